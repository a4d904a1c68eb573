import * as core from '@actions/core'
import { lutimes, readdir, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { readDependencies, type Chart } from '../charts/chart.js'
import { fileDependencyPath } from '../charts/containment.js'
import { isWithin } from '../inputs/paths.js'
import { logGroup } from '../log-group.js'
import type { SourceDate } from './source-date.js'

/**
 * The directories helm reads when it packages `chart`: its own, and those of its file:// dependencies and
 * theirs (`helm dependency build` packages each into charts/ with its files' times). Paths are resolved
 * against the directory of the Chart.yaml that names them, as helm resolves them.
 */
export async function chartTrees(chart: Chart): Promise<string[]> {
  const dirs = [chart.dir]
  for (let index = 0; index < dirs.length; index++) {
    const dependencies =
      index === 0
        ? chart.meta.dependencies
        : await readDependencies(path.join(dirs[index], 'Chart.yaml')).catch(() => [])
    for (const dependency of dependencies.filter(dep => dep.repository.startsWith('file://'))) {
      const dir = fileDependencyPath(path.join(dirs[index], 'Chart.yaml'), dependency)
      if (!dirs.includes(dir)) dirs.push(dir)
    }
  }
  return dirs
}

interface Walk {
  seconds: number
  /** The workspace's real path. */
  root: string
  /** Real directories already walked: a tree several charts share, or a link that leads back, goes once. */
  walked: Set<string>
  stamped: number
  failures: string[]
}

/** A path and why its time could not be set, for the warning. */
const failure = (file: string, error: unknown) => `${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`

async function stampFile(file: string, walk: Walk): Promise<void> {
  try {
    // lutimes: a file swapped for a link since it was looked at is not followed out.
    await lutimes(file, walk.seconds, walk.seconds)
    walk.stamped++
  } catch (error) {
    walk.failures.push(failure(file, error))
  }
}

async function stampTree(dir: string, walk: Walk): Promise<void> {
  if (walk.walked.has(dir)) return
  walk.walked.add(dir)
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    walk.failures.push(failure(dir, error))
    return []
  })
  // Side by side: one by one, the round trips to the thread pool add up to more than the rest of a small build.
  await Promise.all(
    entries.map(async entry => {
      const entryPath = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        // A directory's own time is not packaged (helm writes no directory entries), so only files get it.
        await stampTree(entryPath, walk)
      } else if (entry.isFile()) {
        await stampFile(entryPath, walk)
      } else if (entry.isSymbolicLink()) {
        // helm packages what a link leads to, with the time of that file, never the link's own. Links out of the
        // workspace were refused when the charts were read (charts/containment.ts); none is followed out here.
        const target = await realpath(entryPath).catch(() => undefined)
        if (target === undefined || !isWithin(walk.root, target)) return
        const isDirectory = await stat(target).then(
          found => found.isDirectory(),
          () => false
        )
        await (isDirectory ? stampTree(target, walk) : stampFile(target, walk))
      }
    })
  )
}

/**
 * Gives every file helm packages for `charts` the one time `date`. Helm 4 writes each file's modification
 * time into the package (pkg/chart/v2/util/save.go; Helm 4.1.4 ignores SOURCE_DATE_EPOCH), and a checkout's
 * files carry the time the checkout wrote them; with one time for all of them, the same sources package to
 * the same bytes. Helm 3 writes the time of packaging into every entry instead (pkg/chartutil/save.go at
 * v3.18.0: `ModTime: time.Now()`), so there nothing makes the package reproducible. The archives
 * `helm dependency build` writes into charts/ need no time of their own: helm reads the times inside an
 * archive, and those come from the files stamped here (or from the repository). Chart.lock is packaged with
 * its `generated:` time rather than the file's: a lock helm writes during the run (none committed, or one it
 * regenerates) holds the time it was written, which makes that package differ from run to run.
 *
 * A file whose time cannot be set (owned by another user, say) is no reason to stop a release: it is named
 * in a warning.
 */
export async function stampCharts(charts: Chart[], date: SourceDate): Promise<void> {
  await logGroup('File times', async log => {
    const walk: Walk = { seconds: date.seconds, root: date.workspace, walked: new Set(), stamped: 0, failures: [] }
    for (const chart of charts) {
      for (const dir of await chartTrees(chart)) {
        // A file:// dependency that is missing is helm's to report.
        const real = await realpath(dir).catch(() => undefined)
        if (real !== undefined && isWithin(walk.root, real)) await stampTree(real, walk)
      }
    }
    const time = new Date(date.seconds * 1000).toISOString().replace('.000Z', 'Z')
    const files = walk.stamped === 1 ? '1 file' : `${walk.stamped} files`
    log(`${files} of the charts set to ${time} (${date.from}), so that the same sources package to the same bytes.`)
    if (walk.failures.length) {
      core.warning(
        `Could not set the time of ${walk.failures.length} chart files, so their packages are not reproducible: ` +
          `${walk.failures.slice(0, 5).join(', ')}${walk.failures.length > 5 ? ', …' : ''}`
      )
    }
  })
}
