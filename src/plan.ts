import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { readChart, type Chart } from './chart.js'
import { resolveChartDir, type Inputs } from './context.js'
import { placeholders, renderTemplate, show } from './format.js'
import { parseStrictSemver, resolveChartRelease, type Release } from './version.js'

const GLOB = /[*?[]/

/** A glob segment as a RegExp: `*` and `?` stay within the segment, `[…]` is a character class. */
export function segmentPattern(segment: string): RegExp {
  let source = ''
  for (let index = 0; index < segment.length; index++) {
    const char = segment[index]
    if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else if (char === '[') {
      const close = segment.indexOf(']', index + 1)
      if (close === -1) source += '\\['
      else {
        source += `[${segment
          .slice(index + 1, close)
          .replace(/^!/, '^')
          .replaceAll('\\', '\\\\')}]`
        index = close
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  // Hidden directories and node_modules hold no charts of the repository's own.
  return entries
    .filter(
      entry =>
        (entry.isDirectory() || entry.isSymbolicLink()) && !entry.name.startsWith('.') && entry.name !== 'node_modules'
    )
    .map(entry => entry.name)
    .sort()
}

async function hasChartYaml(dir: string): Promise<boolean> {
  return (await readdir(dir).catch(() => [] as string[])).includes('Chart.yaml')
}

/** Directories a glob names below `root`, with `**` for any depth. */
async function expandGlob(root: string, segments: string[]): Promise<string[]> {
  if (segments.length === 0) return [root]
  const [head, ...rest] = segments
  if (head === '**') {
    const deeper = await Promise.all(
      (await subdirectories(root)).map(name => expandGlob(path.join(root, name), segments))
    )
    return [...(await expandGlob(root, rest)), ...deeper.flat()]
  }
  if (!GLOB.test(head)) return expandGlob(path.join(root, head), rest)
  const pattern = segmentPattern(head)
  const matches = (await subdirectories(root)).filter(name => pattern.test(name))
  return (await Promise.all(matches.map(name => expandGlob(path.join(root, name), rest)))).flat()
}

/**
 * The chart directories the `charts` input names, in its order, each once. A literal entry is taken as it is
 * (a missing Chart.yaml is reported when it is read); a glob keeps only directories holding a Chart.yaml and
 * must match at least one.
 */
export async function expandChartPatterns(workspace: string, patterns: string[]): Promise<string[]> {
  const found: string[] = []
  for (const pattern of patterns) {
    if (!GLOB.test(pattern)) {
      found.push(pattern)
      continue
    }
    const base = path.isAbsolute(pattern) ? path.parse(pattern).root : workspace
    const segments = path.relative(base, path.resolve(base, pattern)).split(path.sep).filter(Boolean)
    const dirs = []
    for (const dir of await expandGlob(base, segments)) if (await hasChartYaml(dir)) dirs.push(dir)
    if (dirs.length === 0) {
      throw new Error(`Input charts: ${show(pattern)} matches no directory holding a Chart.yaml in ${workspace}.`)
    }
    found.push(...dirs.map(dir => path.relative(workspace, dir) || '.'))
  }
  return [...new Set(found)]
}

/** Names of the given charts that `chart` depends on through file://, by resolving each path. */
export function inRepoDependencies(chart: Chart, charts: Chart[]): string[] {
  return chart.meta.dependencies
    .filter(dep => dep.repository.startsWith('file://'))
    .map(dep => charts.find(other => other.dir === path.resolve(chart.dir, dep.repository.slice('file://'.length))))
    .filter((other): other is Chart => other !== undefined)
    .map(other => other.meta.name)
}

function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>()
  const trail: string[] = []
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined
    if (state.get(name) === 'open') return [...trail.slice(trail.indexOf(name)), name]
    state.set(name, 'open')
    trail.push(name)
    for (const next of edges.get(name) ?? []) {
      const cycle = visit(next)
      if (cycle) return cycle
    }
    trail.pop()
    state.set(name, 'done')
    return undefined
  }
  for (const name of edges.keys()) {
    const cycle = visit(name)
    if (cycle) return cycle
  }
  return undefined
}

/**
 * Orders chart names so that every chart comes after the charts it depends on; among charts that are free to
 * go, the input order is kept. A cycle is an error that names it.
 */
export function dependencyOrder(edges: Map<string, string[]>): string[] {
  const cycle = findCycle(edges)
  if (cycle)
    throw new Error(`The charts depend on each other in a cycle: ${cycle.join(' → ')}. Break it in Chart.yaml.`)
  const order: string[] = []
  const placed = new Set<string>()
  while (order.length < edges.size) {
    for (const [name, dependsOn] of edges) {
      if (!placed.has(name) && dependsOn.every(dep => placed.has(dep) || !edges.has(dep))) {
        order.push(name)
        placed.add(name)
        break
      }
    }
  }
  return order
}

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

async function readCharts(inputs: Inputs): Promise<Chart[]> {
  const dirs = await expandChartPatterns(inputs.workspace, inputs.chartPatterns)
  const charts = await Promise.all(
    dirs.map(dir => readChart(resolveChartDir(inputs.workspace, dir, inputs.chartsInput), dir))
  )
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
export async function planRelease(inputs: Inputs, shaShort: string): Promise<Plan> {
  const all = await readCharts(inputs)
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
