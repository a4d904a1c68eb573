import { existsSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { PlannedChart } from '../charts/plan.js'
import type { Inputs } from '../inputs/inputs.js'
import { resolveValuesFile } from '../inputs/paths.js'
import { renderTemplate } from '../version/templates.js'
import { updateLock } from './chart-lock.js'
import { readChartText } from './read-text.js'
import { setChartVersions } from './chart-yaml.js'
import { imageTagEdit } from './values.js'

export interface Prepared extends PlannedChart {
  /** Chart.yaml as the release writes it. */
  chartYaml: string
  /** Chart.lock with moved in-repo versions, when there is one to move. */
  chartLock?: string
  /** values.yaml with the image tag set, when image-tag-path asks for it. */
  values?: { file: string; text: string; tag: string }
  /** Set when Chart.lock pins a moved in-repo chart and cannot be moved in place: helm regenerates it. */
  relock: boolean
}

export type ImageTagOptions = Pick<Inputs, 'imageTagPath' | 'valuesFile' | 'imageTag'>

/**
 * What the release writes into Chart.yaml (and Chart.lock): version, appVersion, and the constraint on every
 * in-repo dependency whose version this release moves, since helm checks a file:// chart against it.
 * Computed for every chart before any is written, so that a refusal leaves all of them untouched.
 */
export async function prepareChart(
  planned: PlannedChart,
  all: PlannedChart[],
  workspace: string,
  options: ImageTagOptions
): Promise<Prepared> {
  const { chart, release, appVersion } = planned
  const moved: Record<string, string> = {}
  for (const name of planned.dependsOn) {
    const dependency = all.find(other => other.chart.meta.name === name)!
    if (dependency.release.version !== dependency.chart.meta.version) moved[name] = dependency.release.version
  }
  const chartYaml = setChartVersions(chart.source, chart.file, {
    version: release.version,
    appVersion,
    dependencies: moved
  })
  const values = options.imageTagPath.length ? await imageTag(planned, workspace, options) : undefined
  const lockFile = path.join(chart.dir, 'Chart.lock')
  if (Object.keys(moved).length === 0 || !existsSync(lockFile)) return { ...planned, chartYaml, values, relock: false }
  const chartLock = updateLock(await readChartText(lockFile), lockFile, chart.source, chartYaml, moved)
  return { ...planned, chartYaml, chartLock, values, relock: chartLock === undefined }
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
  const lines = [`${chart.file}: version ${prepared.release.version}, appVersion ${prepared.appVersion}`]
  if (prepared.values) {
    await writeFileAtomic(prepared.values.file, prepared.values.text)
    lines.push(`${prepared.values.file}: ${imageTagPath.join('.')} ${prepared.values.tag}`)
  }
  return lines.join('\n')
}
