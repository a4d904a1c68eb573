import { readdir, readlink, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { isWithin } from '../inputs/paths.js'
import { show } from '../text.js'
import { readDependencies, type Dependency } from './chart.js'

/**
 * Where a symlink leads, as a real path. A dangling or looping link is refused here: helm fails on it when it
 * packages the chart, and by then the release's files would have been written.
 */
export async function linkTarget(link: string): Promise<string> {
  try {
    return await realpath(link)
  } catch (error) {
    const target = path.resolve(path.dirname(link), await readlink(link))
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'which does not exist' : `which cannot be resolved (${code})`
    throw new Error(
      `${link} is a symlink to ${target}, ${why}; helm cannot package a chart with it. Remove the link or restore ` +
        'its target.'
    )
  }
}

export function outsideError(link: string, target: string, root: string): Error {
  return new Error(
    `${link} is a symlink to ${target}, outside the workspace ${root}. A chart may hold only files of the ` +
      'repository: put the file itself in its place, or point the link inside the repository.'
  )
}

/**
 * Refuses a chart directory whose files reach out of the workspace through a symlink, before any of them is
 * read: helm follows every link when it packages a chart (files and directories alike), so a link to a file
 * of the runner's machine would be published. Links inside the workspace stay, and linked directories are
 * walked as helm walks them. Every link is checked, .helmignore'd ones too: helm's ignore rules are a
 * dialect of their own, and the price of a refused ignored link is one link moved.
 *
 * `dir` must be a real path. `walked` holds the real directories already checked, so a directory that
 * several charts or links share is walked once. Walks one directory at a time, in order: the loop check
 * relies on the trail of the one walk under way.
 */
export async function checkChartTree(root: string, dir: string, walked: Set<string>): Promise<void> {
  await walk(root, dir, [dir], walked)
}

async function walk(root: string, dir: string, trail: string[], walked: Set<string>): Promise<void> {
  if (walked.has(dir)) return
  walked.add(dir)
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))
  for (const entry of entries) {
    const entryPath = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      await walk(root, entryPath, [...trail, entryPath], walked)
      continue
    }
    if (!entry.isSymbolicLink()) continue
    const target = await linkTarget(entryPath)
    if (!isWithin(root, target)) throw outsideError(entryPath, target, root)
    if (!(await stat(target)).isDirectory()) continue
    // A link to a directory that holds the walk's own trail: helm goes round it until the kernel stops it (too
    // many levels of symbolic links), after the release's files are written, logging every lap.
    const loop = trail.find(place => isWithin(target, place))
    if (loop) {
      throw new Error(
        `${entryPath} is a symlink to ${target}, which leads back to ${loop}: helm would go round that loop ` +
          'until the system stops it. Remove the link.'
      )
    }
    await walk(root, target, [...trail, target], walked)
  }
}

/** Where a `file://` dependency points: relative to the directory of the Chart.yaml that names it, as helm reads it. */
export function fileDependencyPath(chartFile: string, dependency: { repository: string }): string {
  return path.resolve(path.dirname(chartFile), dependency.repository.slice('file://'.length))
}

/**
 * The real directory of a `file://` dependency, refused when it lies outside the workspace (helm would bundle
 * it into the package); undefined when it does not exist, which helm reports itself.
 */
export async function fileDependencyDir(
  root: string,
  chartFile: string,
  dependency: { name: string; repository: string }
): Promise<string | undefined> {
  const wanted = fileDependencyPath(chartFile, dependency)
  const real = await realpath(wanted).catch(() => undefined)
  const where = real ?? wanted
  if (!isWithin(root, where)) {
    throw new Error(
      `${chartFile}: dependency ${dependency.name} has repository ${show(dependency.repository)}, which resolves to ` +
        `${where}, outside the workspace ${root}. A file:// dependency must be a chart of the repository: ` +
        'publish it and use its repository URL, or move it into the repository.'
    )
  }
  return real
}

/**
 * Checks a chart's file:// dependencies, and theirs, as the chart itself: helm bundles each one into the
 * package. `visited` holds the Chart.yaml files whose dependencies are checked, so a cycle ends.
 */
export async function checkFileDependencies(
  root: string,
  chartFile: string,
  dependencies: Dependency[],
  walked: Set<string>,
  visited = new Set<string>()
): Promise<void> {
  visited.add(chartFile)
  for (const dependency of dependencies.filter(dep => dep.repository.startsWith('file://'))) {
    const dir = await fileDependencyDir(root, chartFile, dependency)
    if (dir === undefined || visited.has(path.join(dir, 'Chart.yaml'))) continue
    await checkChartTree(root, dir, walked)
    const file = path.join(dir, 'Chart.yaml')
    // helm reports a dependency it cannot read; here such a one only has no dependencies of its own to check.
    const own = await readDependencies(file).catch(() => [])
    await checkFileDependencies(root, file, own, walked, visited)
  }
}
