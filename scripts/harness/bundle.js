// The bundle the e2e tests run: built from today's src/ as `make dist` builds dist/, so that a green test run
// never stands for a stale dist/ (CI compares dist/ with src/ on its own).
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { ROOT } from './tools.js'

export const BUNDLE = 'HELM_RELEASE_BUNDLE'

/** Bundles src/index.ts into dir; returns the entry file. */
export async function buildBundle(dir) {
  const ncc = path.join(ROOT, 'node_modules', '.bin', 'ncc')
  // ncc keeps its cache in os.tmpdir(), which in a test run is the run's root: filling it would only cost time.
  const args = ['build', 'src/index.ts', '-o', dir, '--license', 'licenses.txt', '--no-cache', '--quiet']
  await promisify(execFile)(ncc, args, { cwd: ROOT })
  return path.join(dir, 'index.js')
}
