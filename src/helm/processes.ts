import * as core from '@actions/core'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { STATE } from '../state.js'

/**
 * Every helm the action starts leads a process group of its own, and the groups still running are kept in
 * the step's saved state. A runner that kills the main step (SIGKILL) ends only the step's own process, and
 * an orphaned `helm push` would go on to publish after the post step had removed its credentials; the post
 * step stops the groups the state names. Windows has no process groups: there a child is killed by its pid.
 */
const USES_GROUPS = process.platform !== 'win32'
/** How long a stopped helm gets to exit on SIGTERM before it is killed. */
const GRACE_MS = 2000

const running = new Map<number, { child: ChildProcessWithoutNullStreams; command: string }>()

function saveRunning(): void {
  core.saveState(STATE.helmGroups, [...running.keys()].join(' '))
}

/** Spawns a helm command in a process group of its own, tracked until it exits. */
export function spawnHelm(bin: string, args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  const child = spawn(bin, args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: USES_GROUPS })
  const { pid } = child
  if (pid !== undefined) {
    running.set(pid, { child, command: ['helm', ...args].join(' ') })
    saveRunning()
    child.once('exit', () => {
      running.delete(pid)
      saveRunning()
    })
  }
  return child
}

/** Sends a signal to a helm's whole group; false once nothing of the group is left. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(USES_GROUPS ? -pid : pid, signal)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false
    throw error
  }
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/**
 * Stops the given helm groups: SIGTERM, then SIGKILL for whatever is left after a grace period. Resolves when
 * nothing of them runs. A group id is the pid of the helm that led it; the kernel hands a pid out again only
 * after it wrapped around pid_max, far beyond the few seconds between a killed main step and its post step.
 */
export async function stopGroups(pids: number[]): Promise<void> {
  let left = pids.filter(pid => signalGroup(pid, 'SIGTERM'))
  for (const deadline = Date.now() + GRACE_MS; left.length && Date.now() < deadline; await sleep(50)) {
    left = left.filter(pid => signalGroup(pid, 0))
  }
  for (const pid of left) signalGroup(pid, 'SIGKILL')
  for (const deadline = Date.now() + GRACE_MS; left.length && Date.now() < deadline; await sleep(50)) {
    left = left.filter(pid => signalGroup(pid, 0))
  }
}

/** The helm commands still running, for the message of a cancelled step. */
export function runningCommands(): string[] {
  return [...running.values()].map(entry => entry.command)
}

/** Stops every helm this step started that still runs. */
export function stopRunningHelm(): Promise<void> {
  return stopGroups([...running.keys()])
}

/** The helm groups a killed main step left, as its saved state names them. */
export function savedGroups(text: string): number[] {
  return text
    .split(' ')
    .filter(word => /^[1-9][0-9]*$/.test(word))
    .map(Number)
}
