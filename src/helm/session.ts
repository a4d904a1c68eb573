import * as core from '@actions/core'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { STATE } from '../state.js'
import { DEFAULT_TIMEOUT_MS, Helm } from './helm.js'
import { helmEnv, prepareHelmHome } from './home.js'

/** What holds credentials while the action runs: the run's helm home, and the registry logged in to. */
export interface Session {
  home: string
  /** helm's environment pointing at the home. */
  env: Record<string, string>
  /** Where the packages go; they stay after the step (package-path), until the runner empties RUNNER_TEMP. */
  packages: string
  helmBin: string
  /** Empty until a login is attempted. */
  host: string
}

/** The session open in this step, for a cancelled step to close; one at a time. */
let openedSession: Session | undefined
/** Each session's one clean-up: a cancelled step waits for the one the run has begun instead of racing it. */
const closing = new WeakMap<object, Promise<void>>()

/** A helm home of this run's own under RUNNER_TEMP, recorded for the post step before anything goes in. */
export async function openSession(runnerTemp: string): Promise<Session> {
  await mkdir(runnerTemp, { recursive: true })
  const workDir = await mkdtemp(path.join(runnerTemp, 'helm-release-'))
  const home = path.join(workDir, 'helm')
  core.saveState(STATE.helmHome, home)
  openedSession = { home, env: {}, packages: path.join(workDir, 'package'), helmBin: '', host: '' }
  openedSession.env = await prepareHelmHome(home)
  return openedSession
}

/** Closes the session this step opened, if any: what a cancelled step does after stopping helm. */
export async function closeOpenSession(): Promise<void> {
  if (openedSession) await closeSession(openedSession)
}

/** The session's helm, recorded so that the post step logs out with the same one. */
export function sessionHelm(session: Session, bin: string, timeoutMs: number): Helm {
  session.helmBin = bin
  core.saveState(STATE.helm, bin)
  return new Helm(bin, session.env, timeoutMs)
}

/** Recorded before the attempt: even a login that fails halfway may have stored something to log out of. */
export function recordLogin(session: Session, host: string): void {
  session.host = host
  core.saveState(STATE.registryHost, host)
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
export function closeSession(session: Pick<Session, 'home' | 'helmBin' | 'host'>): Promise<void> {
  let done = closing.get(session)
  if (!done) closing.set(session, (done = logOutAndDelete(session)))
  return done
}

async function logOutAndDelete(session: Pick<Session, 'home' | 'helmBin' | 'host'>): Promise<void> {
  try {
    const env = helmEnv(session.home)
    const config = await readFile(env.HELM_REGISTRY_CONFIG, 'utf8').catch(() => undefined)
    if (session.host && mayUseCredentialHelper(config)) {
      const helm = new Helm(session.helmBin, env, DEFAULT_TIMEOUT_MS, true)
      await helm
        .registryLogout(session.host)
        .catch((error: Error) => core.warning(`Could not log out of ${session.host}: ${error.message}`))
    }
  } finally {
    await rm(session.home, { recursive: true, force: true })
  }
  // Nothing left for the post step, which then does not even load.
  core.saveState(STATE.helmHome, '')
}

/** The session a killed main step left behind, as its saved state names it. */
export function savedSession(): Pick<Session, 'home' | 'helmBin' | 'host'> {
  return {
    home: core.getState(STATE.helmHome),
    helmBin: core.getState(STATE.helm),
    host: core.getState(STATE.registryHost)
  }
}
