import * as core from '@actions/core'
import { readFile, rm } from 'node:fs/promises'
import { Helm, helmEnv } from './helm.js'
import { STATE } from './state.js'

/** What holds credentials while the action runs: the run's helm home, and the registry logged in to. */
export interface Session {
  home: string
  helmBin: string
  /** Empty until a login is attempted. */
  host: string
}

/**
 * Whether the credentials may live outside the registry config file: helm hands them to a native credential
 * helper when the config names one (credsStore, credHelpers). An unreadable config counts as "may".
 */
export function mayUseCredentialHelper(registryConfig: string | undefined): boolean {
  if (registryConfig === undefined) return true
  try {
    const config = JSON.parse(registryConfig) as { credsStore?: string; credHelpers?: Record<string, string> }
    return Boolean(config.credsStore) || Object.keys(config.credHelpers ?? {}).length > 0
  } catch {
    return true
  }
}

/**
 * Logs out and deletes the run's helm home. Logging out matters beyond the file when helm handed the
 * credentials to a native credential helper; when the file holds them, deleting it is the whole logout.
 * A failed logout only warns; the files go regardless.
 */
export async function cleanUp(session: Session): Promise<void> {
  try {
    const env = helmEnv(session.home)
    const config = await readFile(env.HELM_REGISTRY_CONFIG, 'utf8').catch(() => undefined)
    if (session.host && mayUseCredentialHelper(config)) {
      const helm = new Helm(session.helmBin, env)
      await helm
        .registryLogout(session.host)
        .catch((error: Error) => core.warning(`Could not log out of ${session.host}: ${error.message}`))
    }
  } finally {
    await rm(session.home, { recursive: true, force: true })
  }
}

/** The safety net: the main step cleans up after itself, so this only runs when it could not (it was killed). */
export async function post(): Promise<void> {
  await cleanUp({
    home: core.getState(STATE.helmHome),
    helmBin: core.getState(STATE.helm),
    host: core.getState(STATE.registryHost)
  })
}
