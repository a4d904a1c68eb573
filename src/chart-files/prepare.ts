import { existsSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { PlannedChart } from '../charts/plan.js'
import type { Inputs } from '../inputs/inputs.js'
import { resolveValuesFile } from '../inputs/paths.js'
import { renderTemplate } from '../version/templates.js'
import { readArtifactHubRepo, type ArtifactHubRepo } from './artifacthub-repo.js'
import { updateLock } from './chart-lock.js'
import { readChartText } from './read-text.js'
import { linkSource, setChartVersions, SOURCE_ANNOTATION } from './chart-yaml.js'
import { imageTagEdit } from './values.js'

export interface Prepared extends PlannedChart {
  /** Chart.yaml as the release writes it. */
  chartYaml: string
  /** The repository URL added as annotation org.opencontainers.image.source; undefined when none was added. */
  linkedSource?: string
  /** Chart.lock with moved in-repo versions, when there is one to move. */
  chartLock?: string
  /** values.yaml with the image tag set, when image-tag-path asks for it. */
  values?: { file: string; text: string; tag: string }
  /** Set when Chart.lock pins a moved in-repo chart and cannot be moved in place: helm regenerates it. */
  relock: boolean
  /** artifacthub-repo.yml beside Chart.yaml, checked; pushed beside the chart when the run publishes it. */
  artifactHub?: ArtifactHubRepo
}

export type ImageTagOptions = Pick<Inputs, 'imageTagPath' | 'valuesFile' | 'imageTag'>

export type PrepareOptions = ImageTagOptions & {
  /** The repository's URL for a chart that names no source (input link-source); empty adds none. */
  sourceUrl: string
}

/**
 * What the release writes into Chart.yaml (and Chart.lock): version, appVersion, the constraint on every
 * in-repo dependency whose version this release moves, since helm checks a file:// chart against it, and the
 * repository as the chart's source when it names none, which ghcr.io links the package to.
 * Computed for every chart before any is written, so that a refusal leaves all of them untouched.
 */
export async function prepareChart(
  planned: PlannedChart,
  all: PlannedChart[],
  workspace: string,
  options: PrepareOptions
): Promise<Prepared> {
  const { chart, release, appVersion } = planned
  const moved: Record<string, string> = {}
  for (const name of planned.dependsOn) {
    const dependency = all.find(other => other.chart.meta.name === name)!
    if (dependency.release.version !== dependency.chart.meta.version) moved[name] = dependency.release.version
  }
  const versioned = setChartVersions(chart.source, chart.file, {
    version: release.version,
    appVersion,
    dependencies: moved
  })
  const linked = options.sourceUrl ? linkSource(versioned, chart.file, options.sourceUrl) : undefined
  const chartYaml = linked ?? versioned
  const linkedSource = linked === undefined ? undefined : options.sourceUrl
  const values = options.imageTagPath.length ? await imageTag(planned, workspace, options) : undefined
  // Checked with push: false too, so that a pull request's dry run refuses what the tag's run would.
  const artifactHub = await readArtifactHubRepo(chart.dir)
  const lockFile = path.join(chart.dir, 'Chart.lock')
  if (Object.keys(moved).length === 0 || !existsSync(lockFile)) {
    return { ...planned, chartYaml, linkedSource, values, relock: false, artifactHub }
  }
  // Chart.lock's digest covers the dependencies only, which the annotation leaves alone.
  const chartLock = updateLock(await readChartText(lockFile), lockFile, chart.source, chartYaml, moved)
  return { ...planned, chartYaml, linkedSource, chartLock, values, relock: chartLock === undefined, artifactHub }
}

async function imageTag(planned: PlannedChart, workspace: string, options: ImageTagOptions) {
  const file = resolveValuesFile(workspace, planned.chart.dir, options.valuesFile)
  const tag = renderTemplate('image-tag', options.imageTag, planned.placeholders)
  return { ...(await imageTagEdit(file, options.imageTagPath, tag)), tag }
}

/** Replaces a file through a rename, so a failure midway leaves the old content rather than a torn file. */
async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
  await writeFile(temporary, text)
  await rename(temporary, file)
}

/** Writes one chart's prepared files; returns what the log says of them. */
export async function writePrepared(prepared: Prepared, imageTagPath: string[]): Promise<string> {
  const { chart } = prepared
  if (prepared.chartLock !== undefined) await writeFileAtomic(path.join(chart.dir, 'Chart.lock'), prepared.chartLock)
  await writeFileAtomic(chart.file, prepared.chartYaml)
  const source = prepared.linkedSource ? `, ${SOURCE_ANNOTATION} ${prepared.linkedSource}` : ''
  const lines = [`${chart.file}: version ${prepared.release.version}, appVersion ${prepared.appVersion}${source}`]
  if (prepared.values) {
    await writeFileAtomic(prepared.values.file, prepared.values.text)
    lines.push(`${prepared.values.file}: ${imageTagPath.join('.')} ${prepared.values.tag}`)
  }
  return lines.join('\n')
}
