import path from 'node:path'
import type { Prepared } from '../chart-files/prepare.js'
import { transcript, type Helm } from '../helm/helm.js'
import type { Inputs } from '../inputs/inputs.js'
import { logGroup } from '../log-group.js'
import type { ChartLocation } from '../registry/reference.js'
import { addRepositories } from './repositories.js'
import { schedule } from './schedule.js'

/** One chart of the run: made here when it is built, completed by the registry step when it is published. */
export interface Outcome {
  chartName: string
  version: string
  tag: string
  appVersion: string
  packagePath: string
  location: ChartLocation
  /** Empty when nothing was pushed. */
  digest: string
  pushed: boolean
  /** Whether anyone can pull the published chart without credentials; undefined when unpublished or unknown. */
  public?: boolean
  /** Why the chart did not build, push, verify or come back from the registry; a build problem stops every push. */
  problem?: string
}

/** A chart that failed before it had a package: the build's problem, not the registry's. */
export function didNotBuild(outcome: Outcome): boolean {
  return Boolean(outcome.problem) && !outcome.packagePath && !outcome.digest
}

export function installCommand(outcome: Outcome): string {
  return `helm install ${outcome.chartName} ${outcome.location.url} --version ${outcome.version}`
}

export type BuildOptions = Pick<Inputs, 'parallel' | 'lintStrict'>

/**
 * Dependencies, then lint and package side by side (they read the same files and write nothing into the
 * chart); one log group per chart. Returns the package's path.
 */
export async function buildChart(helm: Helm, prepared: Prepared, lintStrict: boolean, destination: string) {
  const { chart, release } = prepared
  return logGroup(`${chart.meta.name}: build`, async log => {
    if (chart.meta.dependencies.length && prepared.relock) {
      log('Chart.lock pins in-repo charts this release moves and cannot be moved in place; helm regenerates it.')
      log(transcript(await helm.dependencyUpdate(chart.dir)))
    } else if (chart.meta.dependencies.length) {
      log(transcript(await helm.dependencyBuild(chart.dir)))
    }
    const results = await Promise.allSettled([
      helm.lint(chart.dir, lintStrict),
      helm.packageChart(chart.dir, destination)
    ])
    for (const result of results) if (result.status === 'fulfilled') log(transcript(result.value))
    for (const result of results) if (result.status === 'rejected') throw result.reason
    return path.join(destination, `${chart.meta.name}-${release.version}.tgz`)
  })
}

/**
 * Builds the charts (`locations` in the same order) in dependency order, `parallel` at a time, after the given login when a chart has
 * oci:// dependencies (they may live in that registry). Every chart gets an outcome: a failure does not stop
 * the others from being checked, and its dependents are reported as skipped.
 */
export async function buildAll(
  helm: Helm,
  options: BuildOptions,
  charts: Prepared[],
  locations: ChartLocation[],
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
    options.parallel,
    name => buildChart(helm, byName.get(name)!, options.lintStrict, destination)
  )
  return charts.map(({ chart, release, appVersion }, index) => {
    const result = results.get(chart.meta.name)!
    return {
      chartName: chart.meta.name,
      version: release.version,
      tag: release.tag,
      appVersion,
      packagePath: result.status === 'done' ? result.value : '',
      location: locations[index],
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
