import { readdir, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { isWithin } from '../inputs/paths.js'
import { show } from '../text.js'

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

/** The most chart directories one run takes; past it, a glob has gone further than anyone meant. */
export const MAX_CHARTS = 5000

/** One expansion of the charts input: the real workspace, the entry at hand, and what it has found so far. */
interface Expansion {
  root: string
  pattern: string
  /** Relative to the workspace, in the input's order: a Set keeps the first place of a directory named twice. */
  found: Set<string>
  /** `real path, segments left` already expanded: a linked directory is walked once, and a loop ends. */
  seen: Set<string>
  /** Chart directories this entry matched, those named before included. */
  matched: number
}

/** A directory as the glob reached it (`shown`, relative to the workspace) and as it is on disk (`real`). */
interface Place {
  shown: string
  real: string
}

/**
 * Where a directory entry leads, when it is a directory. A symlink is followed only inside the workspace: a
 * glob that reaches a link out of it is refused rather than skipped, so that nobody wonders where a chart went.
 */
async function directoryAt(expansion: Expansion, at: Place, name: string): Promise<Place | undefined> {
  const shown = path.join(at.shown, name)
  const real = await realpath(path.join(at.real, name)).catch(() => undefined)
  if (real === undefined || !(await stat(real).catch(() => undefined))?.isDirectory()) return undefined
  if (!isWithin(expansion.root, real)) {
    throw new Error(
      `Input charts: ${show(expansion.pattern)} reaches ${path.join(expansion.root, shown)}, a symlink to ` +
        `${real}, outside the workspace ${expansion.root}. Charts come from the repository only: remove the ` +
        'link, or list the charts so that no glob reaches it.'
    )
  }
  return { shown, real }
}

async function subdirectories(expansion: Expansion, at: Place): Promise<Place[]> {
  const entries = await readdir(at.real, { withFileTypes: true }).catch(() => [])
  const places: Place[] = []
  // Hidden directories and node_modules hold no charts of the repository's own.
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    if (entry.isDirectory())
      places.push({ shown: path.join(at.shown, entry.name), real: path.join(at.real, entry.name) })
    else if (entry.isSymbolicLink()) {
      const place = await directoryAt(expansion, at, entry.name)
      if (place) places.push(place)
    }
  }
  return places
}

async function hasChartYaml(dir: string): Promise<boolean> {
  return (await readdir(dir).catch(() => [] as string[])).includes('Chart.yaml')
}

function add(expansion: Expansion, dir: string): void {
  expansion.matched++
  expansion.found.add(dir)
  if (expansion.found.size > MAX_CHARTS) {
    throw new Error(
      `Input charts: ${show(expansion.pattern)} brings the chart directories past ${MAX_CHARTS}, the most one run ` +
        'releases. Narrow the glob (charts/* rather than **), or split the charts over several steps, each with ' +
        'a charts input of its own.'
    )
  }
}

/**
 * Adds the chart directories a glob names below `at`, with `**` for any depth, in the order of a walk that
 * visits a directory before what is below it. One directory at a time: which of two ways to a directory
 * counts is then the first in that order, the same on every run.
 */
async function expandGlob(expansion: Expansion, at: Place, segments: string[]): Promise<void> {
  const key = `${at.real}\0${segments.length}`
  if (expansion.seen.has(key)) return
  expansion.seen.add(key)
  if (segments.length === 0) {
    if (await hasChartYaml(at.real)) add(expansion, at.shown || '.')
    return
  }
  const [head, ...rest] = segments
  if (head === '**') {
    await expandGlob(expansion, at, rest)
    for (const place of await subdirectories(expansion, at)) await expandGlob(expansion, place, segments)
    return
  }
  if (!GLOB.test(head)) {
    const place = await directoryAt(expansion, at, head)
    if (place) await expandGlob(expansion, place, rest)
    return
  }
  const pattern = segmentPattern(head)
  for (const place of await subdirectories(expansion, at)) {
    if (pattern.test(path.basename(place.shown))) await expandGlob(expansion, place, rest)
  }
}

/**
 * The chart directories the `charts` input names, in its order, each once. A literal entry is taken as it is
 * (a missing Chart.yaml is reported when it is read); a glob keeps only directories holding a Chart.yaml and
 * must match at least one. No more than MAX_CHARTS in all.
 *
 * Hand-written rather than a library's: none keeps symlinks inside the workspace while refusing the ones out
 * of it. @actions/glob follows every link (one to / walks the machine) and enters hidden directories and
 * node_modules before filtering; Node's fs.glob follows no link at all and is missing from Node 20, which the
 * unit tests run on.
 */
export async function expandChartPatterns(workspace: string, patterns: string[]): Promise<string[]> {
  const root = await realpath(workspace)
  const found = new Set<string>()
  for (const pattern of patterns) {
    const expansion: Expansion = { root, pattern, found, seen: new Set(), matched: 0 }
    if (!GLOB.test(pattern)) {
      add(expansion, pattern)
      continue
    }
    const wanted = path.resolve(workspace, pattern)
    if (!isWithin(workspace, wanted)) {
      throw new Error(
        `Input charts: ${show(pattern)} reaches outside the workspace ${root}. Give globs relative to the repository.`
      )
    }
    await expandGlob(
      expansion,
      { shown: '', real: root },
      path.relative(workspace, wanted).split(path.sep).filter(Boolean)
    )
    if (expansion.matched === 0) {
      throw new Error(`Input charts: ${show(pattern)} matches no directory holding a Chart.yaml in ${workspace}.`)
    }
  }
  return [...found]
}
