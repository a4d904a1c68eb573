import type { Log } from '../log-group.js'

/** A release asset as GitHub lists it; `digest` is `sha256:<hex>`, null where GitHub computed none. */
export interface ReleaseAsset {
  id: number
  name: string
  size: number
  digest?: string | null
}

/** A packaged chart to attach. */
export interface ChartPackage {
  name: string
  size: number
  sha256: string
  data: Buffer
  /** `application/gzip` for a chart, `application/pgp-signature` for its `.prov`. */
  contentType: string
}

/** The name a new chart is uploaded under until it replaces the old one: never the name users download. */
export function partName(name: string): string {
  return `${name}.part`
}

/** The asset is the package byte for byte, by the digest GitHub computed. */
export function sameAsset(asset: ReleaseAsset, chart: Pick<ChartPackage, 'name' | 'size' | 'sha256'>): boolean {
  return asset.name === chart.name && asset.size === chart.size && asset.digest === `sha256:${chart.sha256}`
}

/** What attaching a chart to a release takes, from the assets it has. */
export interface SwapPlan {
  /** The release holds the chart already: nothing to do. */
  keep: boolean
  /** The asset the new chart replaces. */
  old?: ReleaseAsset
  /** A part an earlier run left behind, in the way of the new upload. */
  leftover?: ReleaseAsset
}

/**
 * Keeps an asset that is the package byte for byte. The package is always the registry's chart (pushed by this
 * run, or pulled when if-exists: skip kept it), so anything else of the name is replaced.
 */
export function planSwap(assets: ReleaseAsset[], chart: Pick<ChartPackage, 'name' | 'size' | 'sha256'>): SwapPlan {
  const old = assets.find(asset => asset.name === chart.name)
  if (old && sameAsset(old, chart)) return { keep: true }
  return { keep: false, old, leftover: assets.find(asset => asset.name === partName(chart.name)) }
}

/**
 * Provenance the release holds for a chart the registry serves without one now (a signed release, then an
 * unsigned overwrite): beside the new chart, `helm verify` of the pair would fail. Parts of such a file go too.
 * Assets of other names are not the action's, and stay.
 * @param packages the names of the charts attached, and whether each comes with a `.prov`
 */
export function staleProvenance(assets: ReleaseAsset[], packages: { name: string; prov: boolean }[]): ReleaseAsset[] {
  const stale = packages.filter(({ prov }) => !prov).flatMap(({ name }) => [`${name}.prov`, partName(`${name}.prov`)])
  return assets.filter(asset => stale.includes(asset.name))
}

/** The calls a swap makes; each says, when it fails, what it was doing and what the release holds then. */
export interface AssetCalls {
  upload(name: string, file: ChartPackage, left: string): Promise<ReleaseAsset>
  remove(asset: ReleaseAsset, left: string): Promise<void>
  rename(asset: ReleaseAsset, name: string, left: string): Promise<void>
}

/**
 * Attaches the chart so that the release holds a complete one at every moment: the new chart is uploaded
 * under a part name, and only once it is complete is the old one deleted and the new one renamed.
 */
export async function attachChart(
  calls: AssetCalls,
  assets: ReleaseAsset[],
  chart: ChartPackage,
  log: Log
): Promise<void> {
  const plan = planSwap(assets, chart)
  if (plan.keep) {
    log(`${chart.name} is attached already, for the chart the registry holds`)
    return
  }
  const before = plan.old
    ? `The GitHub Release still holds the previous ${chart.name}.`
    : `The GitHub Release holds no ${chart.name} yet.`
  if (plan.leftover) {
    await calls.remove(plan.leftover, before)
    log(`Deleted ${plan.leftover.name}, left by an earlier run`)
  }
  const part = await calls.upload(partName(chart.name), chart, before)
  if (plan.old) {
    await calls.remove(plan.old, `${before} The new one is attached as ${part.name}.`)
    log(`Deleted the previous ${chart.name}`)
  }
  await calls.rename(part, chart.name, `The GitHub Release holds the new chart as ${part.name}.`)
  log(`Attached ${chart.name} (${chart.size} bytes, sha256 ${chart.sha256})`)
}
