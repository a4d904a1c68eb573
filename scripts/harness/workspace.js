// Temporary checkouts for a run of the action: chart directories copied in, removed by the caller.
import { cp, mkdtemp, realpath, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ROOT } from './tools.js'

export const EXAMPLE_CHART = path.join(ROOT, 'examples', 'charts', 'llm-proxy')
export const FIXTURE_CHARTS = path.join(ROOT, '__tests__', '__fixtures__', 'charts')
/** charts/{api,worker,common}: api and worker depend on common through file://, with committed Chart.lock files. */
export const MONOREPO_CHARTS = path.join(ROOT, '__tests__', '__fixtures__', 'monorepo', 'charts')

/** A new workspace holding copies of the given chart directories, keyed by their target path inside it. */
export async function makeWorkspace(charts) {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'workspace-')))
  for (const [target, source] of Object.entries(charts)) {
    await cp(source, path.join(dir, target), { recursive: true })
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}
