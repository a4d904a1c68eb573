import * as core from '@actions/core'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { STATE } from '../state.js'
import { Helm } from './helm.js'
import { prepareHelmHome, type RegistryLogin } from './home.js'

/** What holds credentials while the action runs: the run's helm home. */
export interface Session {
  home: string
  /** helm's environment pointing at the home. */
  env: Record<string, string>
  /** Where the packages go; they stay after the step (package-path), until the runner empties RUNNER_TEMP. */
  packages: string
}

/** The session open in this step, for a cancelled step to close; one at a time. */
let openedSession: Session | undefined
/** Each session's one clean-up: a cancelled step waits for the one the run has begun instead of racing it. */
const closing = new WeakMap<object, Promise<void>>()

/**
 * A helm home of this run's own under RUNNER_TEMP, recorded for the post step before anything goes in; with
 * `login`, its registry config holds the credentials helm pushes with.
 */
export async function openSession(runnerTemp: string, login?: RegistryLogin): Promise<Session> {
  await mkdir(runnerTemp, { recursive: true })
  const workDir = await mkdtemp(path.join(runnerTemp, 'helm-release-'))
  const home = path.join(workDir, 'helm')
  core.saveState(STATE.helmHome, home)
  openedSession = { home, env: {}, packages: path.join(workDir, 'package') }
  openedSession.env = await prepareHelmHome(home, login)
  return openedSession
}

/** Closes the session this step opened, if any: what a cancelled step does after stopping helm. */
export async function closeOpenSession(): Promise<void> {
  if (openedSession) await closeSession(openedSession)
}

export function sessionHelm(session: Session, bin: string, timeoutMs: number): Helm {
  return new Helm(bin, session.env, timeoutMs)
}

/**
 * Deletes the run's helm home: the credentials live only in its registry config (see registryConfig), so that
 * is the whole logout.
 */
export function closeSession(session: Pick<Session, 'home'>): Promise<void> {
  let done = closing.get(session)
  if (!done) closing.set(session, (done = deleteHome(session.home)))
  return done
}

async function deleteHome(home: string): Promise<void> {
  await rm(home, { recursive: true, force: true })
  // Nothing left for the post step, which then does not even load.
  core.saveState(STATE.helmHome, '')
}

/** The session a killed main step left behind, as its saved state names it. */
export function savedSession(): Pick<Session, 'home'> {
  return { home: core.getState(STATE.helmHome) }
}
