// Where scripts/setup-tools.sh puts the real programs the tests, the demo and the benchmark run.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const TOOLS = path.join(ROOT, '.tools')
/** Every e2e case runs on each. */
export const HELM_VERSIONS = ['4.1.4', '3.18.0']
/** The other helms scripts/setup-tools.sh installs: the happy-path release (release.test.ts) runs on them too. */
export const MORE_HELM_VERSIONS = ['4.1.3', '3.17.2']

function installed(file) {
  if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/setup-tools.sh (make test does).`)
  return file
}

/** The directory holding the `helm` binary of a version, to put first on PATH. */
export function helmDir(version) {
  return path.dirname(installed(path.join(TOOLS, `helm-${version}`, 'helm')))
}

/** Node 24, what `runs.using: node24` gives on a runner. */
export function node24() {
  return installed(path.join(TOOLS, 'node-24', 'bin', 'node'))
}
