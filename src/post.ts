import * as core from '@actions/core'
import { rm } from 'node:fs/promises'
import { Helm, helmEnv } from './helm.js'

/** Names of what the main step leaves for the post step (the runner hands them back as STATE_*). */
export const STATE = {
  isPost: 'isPost',
  workDir: 'work-dir',
  helm: 'helm',
  registryHost: 'registry-host'
} as const

/**
 * Logs out and deletes the run's helm home, also after a failed main step. Logging out matters beyond the
 * file: helm may have handed the credentials to a native credential helper.
 */
export async function post(): Promise<void> {
  const workDir = core.getState(STATE.workDir)
  const host = core.getState(STATE.registryHost)
  const bin = core.getState(STATE.helm)
  try {
    if (host && bin && workDir) {
      const helm = new Helm(bin, helmEnv(workDir))
      await helm
        .registryLogout(host)
        .catch((error: Error) => core.warning(`Could not log out of ${host}: ${error.message}`))
    }
  } finally {
    if (workDir) await rm(workDir, { recursive: true, force: true })
  }
}
