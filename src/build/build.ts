import path from 'node:path'
import type { Prepared } from '../chart-files/prepare.js'
import { transcript, type Helm, type SignWith } from '../helm/helm.js'
import type { Inputs } from '../inputs/inputs.js'
import { logGroup, type Log } from '../log-group.js'
import type { ChartLocation } from '../registry/reference.js'
import { lintTranscripts, packageTranscripts } from './split-output.js'
import { addRepositories } from './repositories.js'
import { scheduleLevels } from './schedule.js'
import type { SourceDate } from './source-date.js'
import { stampCharts } from './stamp.js'
import { validateChart, type ValidationOptions } from './validation.js'

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
  /** Whether the published chart carries a provenance file that verified against the signing key. */
  signed?: boolean
  /**
   * Whether the registry serves a provenance file with the chart, at `<packagePath>.prov` then; read for the
   * GitHub Release (create-release), which attaches exactly what the registry serves. Verified when `signed`.
   */
  provenance?: boolean
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

/** What each chart is linted, validated and packaged with. */
type Checks = ValidationOptions & {
  /** Signs each package (a `.prov` beside it); undefined: unsigned. */
  sign?: SignWith
}

export type BuildOptions = Pick<Inputs, 'parallel'> & Checks

const packagePath = ({ chart, release }: Prepared, destination: string) =>
  path.join(destination, `${chart.meta.name}-${release.version}.tgz`)

/** `helm dependency build` (or update, for a lock the action could not move) when the chart has dependencies. */
async function buildDependencies(helm: Helm, prepared: Prepared, log: Log): Promise<void> {
  const { chart } = prepared
  if (chart.meta.dependencies.length && prepared.relock) {
    log('Chart.lock pins in-repo charts this release moves and cannot be moved in place; helm regenerates it.')
    log(transcript(await helm.dependencyUpdate(chart.dir)))
  } else if (chart.meta.dependencies.length) {
    log(transcript(await helm.dependencyBuild(chart.dir)))
  }
}

/**
 * Lint and package of one chart side by side (they read the same files and write nothing into the chart), with
 * its validation (started by the lane); the first failure of the three is the chart's.
 */
async function lintAndPackage(
  helm: Helm,
  prepared: Prepared,
  checks: Checks,
  destination: string,
  log: Log,
  validated: Promise<void>
) {
  const results = await Promise.allSettled([
    helm.lint([prepared.chart.dir], checks.lintStrict, { kubeVersion: checks.kubeVersion }),
    helm.packageCharts([prepared.chart.dir], destination, checks.sign)
  ])
  for (const result of results) if (result.status === 'fulfilled') log(transcript(result.value))
  // The validation settles before the chart's result too: none of its helm calls may outlive the build.
  const checked = await Promise.allSettled([validated])
  for (const result of [...results, ...checked]) if (result.status === 'rejected') throw result.reason
  return packagePath(prepared, destination)
}

/**
 * The ready charts' validations (validateChart), one after the other beside the lane's lint and package: the
 * lane is one of the `parallel` places, and each render is a helm process of its own.
 */
function validateInTurn(
  helm: Helm,
  lane: Prepared[],
  ready: number[],
  checks: ValidationOptions,
  logs: Log[]
): Map<number, Promise<void>> {
  let previous: Promise<unknown> = Promise.resolve()
  return new Map(
    ready.map(index => {
      const validated = previous.then(() => validateChart(helm, lane[index].chart, checks, logs[index]))
      // Awaited with the chart's lint and package; until then a failure must not count as unhandled.
      previous = validated.catch(() => undefined)
      return [index, validated]
    })
  )
}

/**
 * A lane's charts: each one's dependencies in turn, then one `helm lint` and one `helm package` for all of
 * them, side by side, whose output is cut into each chart's part, and beside them each chart's validation.
 * When either call fails, each chart is linted and packaged alone: `helm package` stops at the first failure
 * and `helm lint` reports its failures together, and each chart is owed its own outcome and error. A single
 * chart is built alone from the start.
 */
async function buildTogether(
  helm: Helm,
  lane: Prepared[],
  checks: Checks,
  destination: string,
  logs: Log[]
): Promise<PromiseSettledResult<string>[]> {
  const results: PromiseSettledResult<string>[] = []
  const ready: number[] = []
  // One after the other: the lane is one of the `parallel` places.
  for (const [index, prepared] of lane.entries()) {
    await buildDependencies(helm, prepared, logs[index]).then(
      () => ready.push(index),
      (reason: unknown) => (results[index] = { status: 'rejected', reason })
    )
  }
  const validations = validateInTurn(helm, lane, ready, checks, logs)
  const alone = async (index: number) => {
    const validated = validations.get(index)!
    results[index] = await lintAndPackage(helm, lane[index], checks, destination, logs[index], validated).then(
      value => ({ status: 'fulfilled', value }),
      (reason: unknown) => ({ status: 'rejected', reason })
    )
  }
  if (ready.length === 1) await alone(ready[0])
  if (ready.length <= 1) return results
  const charts = ready.map(index => ({
    dir: lane[index].chart.dir,
    packagePath: packagePath(lane[index], destination)
  }))
  const dirs = charts.map(chart => chart.dir)
  const [lint, packaged] = await Promise.allSettled([
    helm.lint(dirs, checks.lintStrict, { kubeVersion: checks.kubeVersion }),
    helm.packageCharts(dirs, destination, checks.sign)
  ])
  if (lint.status === 'fulfilled' && packaged.status === 'fulfilled') {
    const lints = lintTranscripts(lint.value, charts)
    const packages = packageTranscripts(packaged.value, charts)
    const validated = await Promise.allSettled(ready.map(index => validations.get(index)!))
    ready.forEach((index, part) => {
      logs[index](lints[part])
      logs[index](packages[part])
      results[index] =
        validated[part].status === 'rejected'
          ? validated[part]
          : { status: 'fulfilled', value: charts[part].packagePath }
    })
    return results
  }
  const failed = [lint.status === 'rejected' && 'helm lint', packaged.status === 'rejected' && 'helm package']
    .filter(Boolean)
    .join(' and ')
  for (const index of ready) {
    logs[index](
      `${failed} of ${ready.length} charts failed; this chart is linted and packaged alone, for its own result.`
    )
    await alone(index)
  }
  return results
}

/** One log group per chart of the lane, holding its dependency build and its part of lint and package. */
async function buildLane(helm: Helm, lane: Prepared[], checks: Checks, destination: string) {
  const lines = lane.map((): string[] => [])
  const logs = lines.map(held => (text: string) => void held.push(text))
  const built = buildTogether(helm, lane, checks, destination, logs)
  return Promise.allSettled(
    lane.map(({ chart }, index) =>
      logGroup(`${chart.meta.name}: build`, async log => {
        const result = (await built)[index]
        for (const text of lines[index]) log(text)
        if (result.status === 'rejected') throw result.reason
        return result.value
      })
    )
  )
}

/**
 * Builds the charts (`locations` in the same order) in dependency order, after the given login when a chart
 * has oci:// dependencies (they may live in that registry). Each level of the order is cut into `parallel`
 * lanes that run side by side, each linted and packaged in one helm call per step (buildTogether). Every
 * file helm packages first gets the time `sourceDate` (stampCharts). Every chart gets an outcome: a failure
 * does not stop the others from being checked, and its dependents are reported as skipped.
 */
export async function buildAll(
  helm: Helm,
  options: BuildOptions,
  charts: Prepared[],
  locations: ChartLocation[],
  loggedIn: Promise<void>,
  destination: string,
  sourceDate: SourceDate
): Promise<Outcome[]> {
  await stampCharts(
    charts.map(prepared => prepared.chart),
    sourceDate
  )
  await addRepositories(
    helm,
    charts.map(prepared => prepared.chart)
  )
  if (charts.some(({ chart }) => chart.meta.dependencies.some(dep => dep.repository.startsWith('oci://'))))
    await loggedIn
  const byName = new Map(charts.map(prepared => [prepared.chart.meta.name, prepared]))
  const results = await scheduleLevels(
    [...byName.keys()],
    new Map(charts.map(prepared => [prepared.chart.meta.name, prepared.dependsOn])),
    options.parallel,
    names =>
      buildLane(
        helm,
        names.map(name => byName.get(name)!),
        options,
        destination
      )
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
