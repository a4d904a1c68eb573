// One temporary root per test run, removed by jest's global teardown. TMPDIR points at it, so whatever the
// test workers and the processes they start (registry, helm, the action, git) put in os.tmpdir() goes with
// it, also when a test fails or a worker dies before its own clean-up.
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export const TEST_ROOT = 'HELM_RELEASE_TEST_ROOT'

/** The run's root, made by whichever global setup asks first: jest runs a project's before the top level's. */
export async function testRoot() {
  if (!process.env[TEST_ROOT]) {
    // Not helm-release-*: the action names its own work dirs so, and a clean-up of those would take this too.
    const root = await mkdtemp(path.join(os.tmpdir(), 'test-run-helm-release-action-'))
    process.env[TEST_ROOT] = root
    process.env.TMPDIR = root
  }
  return process.env[TEST_ROOT]
}
