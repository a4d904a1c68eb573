import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { repositoriesToAdd, setChartVersions, writeFileAtomic, type Chart } from './chart.js'
import type { Inputs } from './context.js'
import { Helm, transcript } from './helm.js'
import { updateLock } from './lock.js'
import { phase } from './phase.js'
import type { PlannedChart } from './plan.js'
import type { Registry } from './registry.js'

export interface Prepared extends PlannedChart {
  /** Chart.yaml as the release writes it. */
  chartYaml: string
  /** Chart.lock with moved in-repo versions, when there is one to move. */
  chartLock?: string
  /** Set when Chart.lock pins a moved in-repo chart and cannot be moved in place: helm regenerates it. */
  relock: boolean
}

/**
 * What the release writes into Chart.yaml (and Chart.lock): version, appVersion, and the constraint on every
 * in-repo dependency whose version this release moves, since helm checks a file:// chart against it.
 * Computed for every chart before any is written, so that a refusal leaves all of them untouched.
 */
export async function prepareChart(planned: PlannedChart, all: PlannedChart[]): Promise<Prepared> {
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
  const lockFile = path.join(chart.dir, 'Chart.lock')
  if (Object.keys(moved).length === 0 || !existsSync(lockFile)) return { ...planned, chartYaml, relock: false }
  const chartLock = updateLock(await readFile(lockFile, 'utf8'), lockFile, chart.source, chartYaml, moved)
  return { ...planned, chartYaml, chartLock, relock: chartLock === undefined }
}

export async function writePrepared(prepared: Prepared): Promise<string> {
  const { chart } = prepared
  if (prepared.chartLock !== undefined) await writeFileAtomic(path.join(chart.dir, 'Chart.lock'), prepared.chartLock)
  await writeFileAtomic(chart.file, prepared.chartYaml)
  return `${chart.file}: version ${prepared.release.version}, appVersion ${prepared.appVersion}`
}

/** Adds the http(s) repositories every chart's dependencies name, once, before any dependency build. */
export async function addRepositories(helm: Helm, charts: Chart[]): Promise<void> {
  const repositories = repositoriesToAdd(charts.flatMap(chart => chart.meta.dependencies))
  if (repositories.length === 0) return
  await phase('Chart repositories', async log => {
    for (const repository of repositories) log(transcript(await helm.repoAdd(repository.name, repository.url)))
  })
}

/** Dependencies, then lint and package side by side; returns the package's path. */
export async function buildChart(helm: Helm, prepared: Prepared, inputs: Inputs, destination: string): Promise<string> {
  const { chart, release } = prepared
  const label = (step: string) => `${chart.meta.name}: ${step}`
  if (chart.meta.dependencies.length) {
    await phase(label('dependencies'), async log => {
      if (prepared.relock) {
        log(`Chart.lock pins in-repo charts this release moves and could not be updated in place; helm regenerates it.`)
        log(transcript(await helm.dependencyUpdate(chart.dir)))
      } else {
        log(transcript(await helm.dependencyBuild(chart.dir)))
      }
    })
  }
  const [, packagePath] = await Promise.all([
    phase(label('lint'), async log => log(transcript(await helm.lint(chart.dir, inputs.lintStrict)))),
    phase(label('package'), async log => {
      log(transcript(await helm.packageChart(chart.dir, destination)))
      return path.join(destination, `${chart.meta.name}-${release.version}.tgz`)
    })
  ])
  return packagePath
}

/** Pushes a package; returns the digest the registry reported. */
export async function pushChart(
  helm: Helm,
  chart: Chart,
  packagePath: string,
  registry: Registry,
  inputs: Inputs
): Promise<string> {
  return phase(`${chart.meta.name}: push to ${registry.url}`, async log => {
    const pushed = await helm.push(packagePath, registry.url, inputs.plainHttp)
    log(transcript(pushed))
    return pushed.digest
  })
}
