// One temporary root per test run, removed by jest's global teardown. TMPDIR points at it, so whatever the
// test workers and the processes they start (registry, helm, the action, git) put in os.tmpdir() goes with
// it, also when a test fails or a worker dies before its own clean-up.
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export const TEST_ROOT = 'HELM_RELEASE_TEST_ROOT'
// Not helm-release-*: the action names its own work dirs so, and a clean-up of those would take this too.
const PREFIX = 'test-run-helm-release-action-'

function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

/**
 * Removes the roots of runs whose jest died before its teardown: killed, or taken down by a test when the
 * tests ran in jest's own process (--runInBand, the default with two cores), where no teardown follows.
 */
async function removeAbandoned() {
  for (const name of await readdir(os.tmpdir())) {
    const pid = new RegExp(`^${PREFIX}([0-9]+)-`).exec(name)?.[1]
    if (pid && !alive(Number(pid))) await rm(path.join(os.tmpdir(), name), { recursive: true, force: true })
  }
}

/** The run's root, made by whichever global setup asks first: jest runs a project's before the top level's. */
export async function testRoot() {
  if (!process.env[TEST_ROOT]) {
    await removeAbandoned()
    const root = await mkdtemp(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`))
    process.env[TEST_ROOT] = root
    process.env.TMPDIR = root
  }
  return process.env[TEST_ROOT]
}
