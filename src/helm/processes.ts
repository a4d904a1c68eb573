import * as core from '@actions/core'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
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

/** The command line of each helm still running, by the pid that is also its group's id. */
const running = new Map<number, string>()
/** Set once the step stops its helm: a call the rest of the run starts after that would outlive the step. */
let stopped = false

function saveRunning(): void {
  core.saveState(STATE.helmGroups, [...running.keys()].join(' '))
}

/** Spawns a helm command in a process group of its own, tracked until it exits; none once the step stopped its helm. */
export function spawnHelm(bin: string, args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  if (stopped) throw new Error(`helm ${args[0]} was not started: the step is stopping its helm calls.`)
  const child = spawn(bin, args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: USES_GROUPS })
  const { pid } = child
  if (pid !== undefined) {
    running.set(pid, ['helm', ...args].join(' '))
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

/** The groups of `pids` still running after up to GRACE_MS of waiting for them to go. */
async function survivors(pids: number[]): Promise<number[]> {
  let left = pids.filter(pid => signalGroup(pid, 0))
  for (
    const deadline = Date.now() + GRACE_MS;
    left.length && Date.now() < deadline;
    left = left.filter(pid => signalGroup(pid, 0))
  )
    await sleep(50)
  return left
}

/**
 * Stops the given helm groups: SIGTERM, then SIGKILL for whatever is left after a grace period. Resolves when
 * nothing of them runs. A group id is the pid of the helm that led it; the kernel hands a pid out again only
 * after it wrapped around pid_max, far beyond the few seconds between a killed main step and its post step.
 */
export async function stopGroups(pids: number[]): Promise<void> {
  const left = await survivors(pids.filter(pid => signalGroup(pid, 'SIGTERM')))
  for (const pid of left) signalGroup(pid, 'SIGKILL')
  await survivors(left)
}

/** The helm commands still running, for the message of a cancelled step. */
export function runningCommands(): string[] {
  return [...running.values()]
}

/** Stops every helm this step started that still runs, and any the rest of the run would start. */
export function stopRunningHelm(): Promise<void> {
  stopped = true
  return stopGroups([...running.keys()])
}

/** The helm groups a killed main step left, as its saved state names them. */
export function savedGroups(text: string): number[] {
  return text
    .split(' ')
    .filter(word => /^[1-9][0-9]*$/.test(word))
    .map(Number)
}
