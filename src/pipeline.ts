import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { repositoriesToAdd, setChartVersions, writeFileAtomic, type Chart } from './chart.js'
import { resolveValuesFile, type Inputs } from './context.js'
import { renderTemplate } from './format.js'
import { Helm, transcript } from './helm.js'
import { updateLock } from './lock.js'
import type { Outcome } from './outputs.js'
import { phase } from './phase.js'
import { decide, type Publisher } from './publish.js'
import type { PlannedChart } from './plan.js'
import { locateChart, type Registry } from './registry.js'
import { limiter, schedule } from './schedule.js'
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

/**
 * What the release writes into Chart.yaml (and Chart.lock): version, appVersion, and the constraint on every
 * in-repo dependency whose version this release moves, since helm checks a file:// chart against it.
 * Computed for every chart before any is written, so that a refusal leaves all of them untouched.
 */
export async function prepareChart(planned: PlannedChart, all: PlannedChart[], inputs: Inputs): Promise<Prepared> {
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
  const values = inputs.imageTagPath.length ? await imageTag(planned, inputs) : undefined
  const lockFile = path.join(chart.dir, 'Chart.lock')
  if (Object.keys(moved).length === 0 || !existsSync(lockFile)) return { ...planned, chartYaml, values, relock: false }
  const chartLock = updateLock(await readFile(lockFile, 'utf8'), lockFile, chart.source, chartYaml, moved)
  return { ...planned, chartYaml, chartLock, values, relock: chartLock === undefined }
}

async function imageTag(planned: PlannedChart, inputs: Inputs): Promise<Prepared['values']> {
  const file = resolveValuesFile(inputs.workspace, planned.chart.dir, inputs.valuesFile)
  const tag = renderTemplate('image-tag', inputs.imageTag, planned.placeholders)
  return { ...(await imageTagEdit(file, inputs.imageTagPath, tag)), tag }
}

export async function writePrepared(prepared: Prepared, inputs: Inputs): Promise<string> {
  const { chart } = prepared
  if (prepared.chartLock !== undefined) await writeFileAtomic(path.join(chart.dir, 'Chart.lock'), prepared.chartLock)
  await writeFileAtomic(chart.file, prepared.chartYaml)
  const lines = [`${chart.file}: version ${prepared.release.version}, appVersion ${prepared.appVersion}`]
  if (prepared.values) {
    await writeFileAtomic(prepared.values.file, prepared.values.text)
    lines.push(`${prepared.values.file}: ${inputs.imageTagPath.join('.')} ${prepared.values.tag}`)
  }
  return lines.join('\n')
}

/** Adds the http(s) repositories every chart's dependencies name, once, before any dependency build. */
export async function addRepositories(helm: Helm, charts: Chart[]): Promise<void> {
  const repositories = repositoriesToAdd(charts.flatMap(chart => chart.meta.dependencies))
  if (repositories.length === 0) return
  await phase('Chart repositories', async log => {
    for (const repository of repositories) log(transcript(await helm.repoAdd(repository.name, repository.url)))
  })
}

/**
 * Dependencies, then lint and package side by side (they read the same files and write nothing into the
 * chart); one log group per chart. Returns the package's path.
 */
export async function buildChart(helm: Helm, prepared: Prepared, inputs: Inputs, destination: string): Promise<string> {
  const { chart, release } = prepared
  return phase(`${chart.meta.name}: build`, async log => {
    if (chart.meta.dependencies.length && prepared.relock) {
      log('Chart.lock pins in-repo charts this release moves and cannot be moved in place; helm regenerates it.')
      log(transcript(await helm.dependencyUpdate(chart.dir)))
    } else if (chart.meta.dependencies.length) {
      log(transcript(await helm.dependencyBuild(chart.dir)))
    }
    const results = await Promise.allSettled([
      helm.lint(chart.dir, inputs.lintStrict),
      helm.packageChart(chart.dir, destination)
    ])
    for (const result of results) if (result.status === 'fulfilled') log(transcript(result.value))
    for (const result of results) if (result.status === 'rejected') throw result.reason
    return path.join(destination, `${chart.meta.name}-${release.version}.tgz`)
  })
}

/**
 * Builds the charts in dependency order, `parallel` at a time, after the given login when a chart has
 * oci:// dependencies (they may live in that registry). Every chart gets an outcome: a failure does not stop
 * the others from being checked, and its dependents are reported as skipped.
 */
export async function buildAll(
  helm: Helm,
  inputs: Inputs,
  charts: Prepared[],
  registry: Registry,
  loggedIn: Promise<void>,
  destination: string
): Promise<Outcome[]> {
  await addRepositories(
    helm,
    charts.map(prepared => prepared.chart)
  )
  if (charts.some(({ chart }) => chart.meta.dependencies.some(dep => dep.repository.startsWith('oci://'))))
    await loggedIn
  const byName = new Map(charts.map(prepared => [prepared.chart.meta.name, prepared]))
  const results = await schedule(
    [...byName.keys()],
    new Map(charts.map(prepared => [prepared.chart.meta.name, prepared.dependsOn])),
    inputs.parallel,
    name => buildChart(helm, byName.get(name)!, inputs, destination)
  )
  return charts.map(({ chart, release, appVersion }) => {
    const result = results.get(chart.meta.name)!
    return {
      chartName: chart.meta.name,
      version: release.version,
      tag: release.tag,
      appVersion,
      packagePath: result.status === 'done' ? result.value : '',
      location: locateChart(registry, chart.meta.name, release.version),
      digest: '',
      pushed: false,
      problem:
        result.status === 'failed'
          ? result.error.message
          : result.status === 'skipped'
            ? `skipped: ${result.reason}`
            : undefined
    }
  })
}

/**
 * Pushes every built package, `parallel` at a time, as if-exists decides given what the registry already
 * holds; fills in the digests. Every chart is decided before any is pushed, so that a refusal
 * (if-exists: fail) leaves the registry as it was.
 */
export async function pushAll(
  publisher: Publisher,
  inputs: Inputs,
  outcomes: Outcome[],
  existing: Map<string, string | undefined>
): Promise<Outcome[]> {
  const decisions = outcomes.map(outcome =>
    decide(inputs.ifExists, existing.get(outcome.chartName), outcome.location.ref)
  )
  const slot = limiter(inputs.parallel)
  return Promise.all(outcomes.map((outcome, index) => slot(() => publisher.publish(outcome, decisions[index]))))
}
