import { realpath } from 'node:fs/promises'
import type { Inputs } from '../inputs/inputs.js'
import { resolveChartDir } from '../inputs/paths.js'
import { show } from '../text.js'
import { placeholders, renderTemplate } from '../version/templates.js'
import { parseStrictSemver, resolveChartRelease, type Release } from '../version/version.js'
import { readChart, type Chart } from './chart.js'
import { checkChartTree, checkFileDependencies } from './containment.js'
import { dependencyOrder, inRepoDependencies } from './dependency-order.js'
import { expandChartPatterns } from './patterns.js'

export interface PlannedChart {
  chart: Chart
  release: Release
  appVersion: string
  /** What the templates (app-version, image-tag) fill in for this chart. */
  placeholders: Record<string, string>
  /** Released charts of this run that this chart depends on through file://. */
  dependsOn: string[]
  /** Built and pushed by this step: every released chart, or the one input `only` picks. */
  selected: boolean
}

export interface Plan {
  /** Every chart the tag releases, in dependency order: all of them get the release's versions written. */
  charts: PlannedChart[]
  /** The release the tag (or input version) names; undefined on a branch or pull request. */
  tagged: Release | undefined
}

export type PlanOptions = Pick<
  Inputs,
  'chartsInput' | 'chartPatterns' | 'only' | 'tag' | 'tagPrefix' | 'version' | 'appVersion' | 'push'
>

/**
 * Every chart the inputs name, read only once its directory (and then its file:// dependencies) is known to
 * hold nothing from outside the workspace: reading a linked Chart.yaml could show a file of the machine in an
 * error, and helm would publish it.
 */
async function readCharts(workspace: string, options: Pick<PlanOptions, 'chartsInput' | 'chartPatterns'>) {
  const dirs = await expandChartPatterns(workspace, options.chartPatterns)
  const root = await realpath(workspace)
  const walked = new Set<string>()
  const chartDirs: string[] = []
  // One after the other: the walk's loop check follows the trail of the one walk under way.
  for (const dir of dirs) {
    const chartDir = resolveChartDir(workspace, dir, options.chartsInput)
    await checkChartTree(root, chartDir, walked)
    chartDirs.push(chartDir)
  }
  const charts = await Promise.all(chartDirs.map((chartDir, index) => readChart(chartDir, dirs[index])))
  for (const chart of charts) await checkFileDependencies(root, chart.file, chart.meta.dependencies, walked)
  const seen = new Map<string, Chart>()
  for (const chart of charts) {
    const other = seen.get(chart.meta.name)
    if (other && other.dir !== chart.dir) {
      throw new Error(
        `Two charts are named ${chart.meta.name}: ${other.file} and ${chart.file}. Chart names must be unique.`
      )
    }
    seen.set(chart.meta.name, chart)
  }
  return [...seen.values()]
}

function ownRelease(chart: Chart, tagPrefix: string): Release {
  const current = parseStrictSemver(chart.meta.version)
  if (!current) throw new Error(`${chart.file} has version ${show(chart.meta.version)}, which is not SemVer 2.0.`)
  return { ...current, tag: `${tagPrefix}${current.version}` }
}

/**
 * Which charts the tag releases at which version, in dependency order. A dry run on a ref that is no tag (a
 * pull request) takes every chart at its own version.
 */
export async function planRelease(workspace: string, inputs: PlanOptions, shaShort: string): Promise<Plan> {
  const all = await readCharts(workspace, inputs)
  const names = all.map(chart => chart.meta.name)
  const resolved = resolveChartRelease(inputs, names)
  if (!resolved && inputs.push) {
    throw new Error(
      `Tag ${show(inputs.tag)} is not a tag, so there is no version to publish. Run the action on a tag push ` +
        `(on: push: tags: ['${inputs.tagPrefix}*']), set input version, or set push: false for a dry run.`
    )
  }
  const released = resolved?.chart ? all.filter(chart => chart.meta.name === resolved.chart) : all
  if (inputs.only && !released.some(chart => chart.meta.name === inputs.only)) {
    const releasedNames = released.map(chart => chart.meta.name).join(', ')
    throw new Error(
      `Input only is ${show(inputs.only)}, which this tag does not release. It releases: ${releasedNames}.`
    )
  }

  const edges = new Map(released.map(chart => [chart.meta.name, inRepoDependencies(chart, released)]))
  const order = dependencyOrder(edges)
  const charts = order.map(name => {
    const chart = released.find(candidate => candidate.meta.name === name)!
    const release = resolved?.release ?? ownRelease(chart, inputs.tagPrefix)
    const values = placeholders(release, shaShort)
    const appVersion = renderTemplate('app-version', inputs.appVersion, values)
    const selected = !inputs.only || inputs.only === name
    return { chart, release, appVersion, placeholders: values, dependsOn: edges.get(name)!, selected }
  })
  return { charts, tagged: resolved?.release }
}

/** The `matrix` output of a plan: one job per chart, in dependency order, for `strategy.matrix`. */
export function planMatrix(plan: Plan): { include: { name: string; chart: string; version: string }[] } {
  return {
    include: plan.charts.map(({ chart, release }) => ({
      name: chart.meta.name,
      chart: chart.input,
      version: release.version
    }))
  }
}
