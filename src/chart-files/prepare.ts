import { existsSync } from 'node:fs'
import path from 'node:path'
import type { PlannedChart } from '../charts/plan.js'
import { replaceFile } from '../files.js'
import type { Inputs } from '../inputs/inputs.js'
import { resolveValuesFile } from '../inputs/paths.js'
import { renderTemplate } from '../version/templates.js'
import { readArtifactHubRepo, type ArtifactHubRepo } from './artifacthub-repo.js'
import { updateLock } from './chart-lock.js'
import { readChartText } from './read-text.js'
import { artifactHubAnnotations, type SignKey } from './artifacthub-annotations.js'
import type { ChangelogSection } from './changelog-section.js'
import { CHANGELOG, readChangelog } from './changelog.js'
import { addAnnotations, linkSource, setChartVersions, SOURCE_ANNOTATION } from './chart-yaml.js'
import { imageTagEdit } from './values.js'

export interface Prepared extends PlannedChart {
  /** Chart.yaml as the release writes it. */
  chartYaml: string
  /** The repository URL added as annotation org.opencontainers.image.source; undefined when none was added. */
  linkedSource?: string
  /** The changelog found for the chart (undefined when none), and its section of the version, when it has one. */
  changelog: { file?: string; section?: ChangelogSection }
  /** The Artifact Hub annotations added to Chart.yaml (those the chart did not set itself). */
  annotationsAdded: string[]
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

export type PrepareOptions = ImageTagOptions &
  Pick<Inputs, 'image'> & {
    /** The repository's URL for a chart that names no source (input link-source); empty adds none. */
    sourceUrl: string
    /** The key the chart is signed with, for Artifact Hub; undefined when it is not signed. */
    signKey?: SignKey
  }

/**
 * What the release writes into Chart.yaml (and Chart.lock): version, appVersion, the constraint on every
 * in-repo dependency whose version this release moves, since helm checks a file:// chart against it, the
 * repository as the chart's source when it names none, which ghcr.io links the package to, and Artifact Hub's
 * annotations: the changelog's entries for the version, the image, prerelease and the signing key.
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
  const linkedSource = linked === undefined ? undefined : options.sourceUrl
  // Rendered only when something uses it, so that an image-tag template nobody reads refuses nothing.
  const usesTag = options.image !== '' || options.imageTagPath.length > 0
  const tag = usesTag ? renderTemplate('image-tag', options.imageTag, planned.placeholders) : ''
  const changelog = await readChangelog(chart.dir, workspace, release.version)
  const annotations = artifactHubAnnotations({
    changes: changelog.section?.changes ?? [],
    image: options.image ? { name: options.image, tag } : undefined,
    prerelease: release.prerelease !== '',
    signKey: options.signKey
  })
  const { text: chartYaml, added: annotationsAdded } = addAnnotations(
    linked ?? versioned,
    chart.file,
    annotations,
    'or set them in the chart yourself: the action leaves annotations the chart sets alone'
  )
  const values = options.imageTagPath.length ? await imageTag(planned, workspace, options, tag) : undefined
  // Checked with push: false too, so that a pull request's dry run refuses what the tag's run would.
  const artifactHub = await readArtifactHubRepo(chart.dir)
  const lockFile = path.join(chart.dir, 'Chart.lock')
  const made = { ...planned, chartYaml, linkedSource, changelog, annotationsAdded, values, artifactHub }
  if (Object.keys(moved).length === 0 || !existsSync(lockFile)) return { ...made, relock: false }
  // Chart.lock's digest covers the dependencies only, which the annotations leave alone.
  const chartLock = updateLock(await readChartText(lockFile), lockFile, chart.source, chartYaml, moved)
  return { ...made, chartLock, relock: chartLock === undefined }
}

async function imageTag(planned: PlannedChart, workspace: string, options: ImageTagOptions, tag: string) {
  const file = resolveValuesFile(workspace, planned.chart.dir, options.valuesFile)
  return { ...(await imageTagEdit(file, options.imageTagPath, tag)), tag }
}

/** Writes one chart's prepared files; returns what the log says of them. */
export async function writePrepared(prepared: Prepared, imageTagPath: string[]): Promise<string> {
  const { chart } = prepared
  if (prepared.chartLock !== undefined) await replaceFile(path.join(chart.dir, 'Chart.lock'), prepared.chartLock)
  await replaceFile(chart.file, prepared.chartYaml)
  const source = prepared.linkedSource ? `, ${SOURCE_ANNOTATION} ${prepared.linkedSource}` : ''
  const annotations = prepared.annotationsAdded.map(key => `, ${key}`).join('')
  const lines = [
    `${chart.file}: version ${prepared.release.version}, appVersion ${prepared.appVersion}${source}${annotations}`,
    changelogLine(prepared)
  ]
  if (prepared.values) {
    await replaceFile(prepared.values.file, prepared.values.text)
    lines.push(`${prepared.values.file}: ${imageTagPath.join('.')} ${prepared.values.tag}`)
  }
  return lines.join('\n')
}

/** What the log says of the chart's changelog: where its entries came from, or why there are none. */
function changelogLine({ changelog, release }: Prepared): string {
  const { file, section } = changelog
  if (!file) return `No ${CHANGELOG} beside the chart or at the workspace root: no release notes or changes from one.`
  if (!section) return `${file} has no section for ${release.version}: no release notes or changes from it.`
  return `${file} line ${section.line}: the section for ${release.version}, ${section.changes.length} change(s).`
}
