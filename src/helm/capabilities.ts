import { show } from '../text.js'

export interface HelmVersion {
  major: number
  minor: number
  patch: number
  /** As helm reports it, e.g. `v3.18.0`. */
  text: string
}

/** What the run asks of helm, to check against what the installed version can do. */
export interface HelmNeeds {
  push: boolean
  login: boolean
  plainHttp: boolean
  /** Every version the run publishes. */
  versions: string[]
}

const FIX = 'Set input helm-version (e.g. 4.1.4) to have the action install a suitable helm.'

/** Reads `helm version --template {{.Version}}`: `v3.18.0`, also with a `+g1234abc` or `-rc.1` suffix. */
export function parseHelmVersionOutput(output: string): HelmVersion | undefined {
  const match = /^v?([0-9]+)\.([0-9]+)\.([0-9]+)\S*$/.exec(output.trim())
  if (!match) return undefined
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), text: output.trim() }
}

const atLeast = (version: HelmVersion, major: number, minor: number): boolean =>
  version.major > major || (version.major === major && version.minor >= minor)

/**
 * Helm 3.18 moved to oras-go v2, whose transport retries HTTP 429 (honouring Retry-After) and 5xx five times
 * by itself; a refused or reset connection it does not retry.
 */
export function helmRetriesHttp(version: HelmVersion): boolean {
  return atLeast(version, 3, 18)
}

/** Refuses, before anything changes, a run the installed helm cannot carry out, and says which helm can. */
export function checkHelmSupports(version: HelmVersion, needs: HelmNeeds): void {
  const helm = `helm ${version.text}`
  if (!atLeast(version, 3, 8)) {
    throw new Error(`${helm} cannot push to OCI registries; that needs Helm 3.8 or later. ${FIX}`)
  }
  if (!needs.push) return
  if (needs.plainHttp && !atLeast(version, 3, 13)) {
    throw new Error(`Input plain-http needs Helm 3.13 or later (helm push --plain-http); ${helm} lacks it. ${FIX}`)
  }
  if (needs.plainHttp && needs.login && !atLeast(version, 3, 18)) {
    throw new Error(
      `Input plain-http with a password needs Helm 3.18 or later: ${helm} has no --plain-http on registry login. ${FIX}`
    )
  }
  const withBuild = needs.versions.find(wanted => wanted.includes('+'))
  if (version.major === 3 && version.minor === 18 && version.patch === 0 && withBuild !== undefined) {
    throw new Error(
      `${helm} cannot push version ${show(withBuild)}: it fails with "not found" on any version with build ` +
        `metadata (helm/helm#30881, fixed in 3.18.1). Use Helm 3.18.1 or later, e.g. set input helm-version: 4.1.4.`
    )
  }
}
