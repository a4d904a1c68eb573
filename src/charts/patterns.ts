import { readdir } from 'node:fs/promises'
import path from 'node:path'
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
