import { realpath } from 'node:fs/promises'
import type { Inputs } from '../inputs/inputs.js'
import { balancedRuns } from '../runs.js'
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
  /** Built and pushed by this step: every released chart, or the ones input `only` names. */
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

/** Every name in input `only` must be one the tag releases: a typo would otherwise build and push nothing. */
function checkOnly(only: string[], released: string[]): void {
  const unknown = only.filter(name => !released.includes(name))
  if (unknown.length === 0) return
  // One name reads as the input itself; of a list, the names the tag does not release.
  const which = only.length === 1 ? `is ${show(only[0])}` : `names ${unknown.map(show).join(', ')}`
  throw new Error(`Input only ${which}, which this tag does not release. It releases: ${released.join(', ')}.`)
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
  checkOnly(
    inputs.only,
    released.map(chart => chart.meta.name)
  )

  const edges = new Map(released.map(chart => [chart.meta.name, inRepoDependencies(chart, released)]))
  const order = dependencyOrder(edges)
  const charts = order.map(name => {
    const chart = released.find(candidate => candidate.meta.name === name)!
    const release = resolved?.release ?? ownRelease(chart, inputs.tagPrefix)
    const values = placeholders(release, shaShort)
    const appVersion = renderTemplate('app-version', inputs.appVersion, values)
    const selected = inputs.only.length === 0 || inputs.only.includes(name)
    return { chart, release, appVersion, placeholders: values, dependsOn: edges.get(name)!, selected }
  })
  return { charts, tagged: resolved?.release }
}

export interface MatrixEntry {
  /** The chart's name, or a batch's names joined by ", ": what input `only` of the entry's job takes. */
  name: string
  /** The chart's directory as the inputs named it; a batch's joined by ", ". */
  chart: string
  /** The version released; a batch whose charts differ (a dry run at their own versions) lists each. */
  version: string
}

/**
 * The `matrix` output of a plan, for `strategy.matrix`: one job per chart in dependency order, or, with more
 * charts than `maxJobs` (GitHub refuses a matrix of more than 256 jobs), `maxJobs` jobs, each a contiguous run
 * of the dependency order. Since `file://` dependencies come from the checkout, the jobs need not wait for each
 * other; the runs only keep a batch's charts near the ones they share.
 */
export function planMatrix(plan: Plan, maxJobs: number): { include: MatrixEntry[] } {
  return {
    include: balancedRuns(plan.charts, maxJobs).map(batch => {
      const versions = batch.map(({ release }) => release.version)
      return {
        name: batch.map(({ chart }) => chart.meta.name).join(', '),
        chart: batch.map(({ chart }) => chart.input).join(', '),
        version: new Set(versions).size === 1 ? versions[0] : versions.join(', ')
      }
    })
  }
}
