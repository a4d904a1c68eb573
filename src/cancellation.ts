import * as core from '@actions/core'
import { runningCommands, stopRunningHelm } from './helm/processes.js'
import { closeOpenSession } from './helm/session.js'

let cancelledBy: NodeJS.Signals | undefined

/** Whether the step is being cancelled: its helm calls then fail for that reason, which needs no error of its own. */
export function isCancelled(): boolean {
  return cancelledBy !== undefined
}

/**
 * A cancelled job: the runner sends SIGINT, then SIGTERM 7.5 s later, then kills the step. The step stops the
 * helm it started (each in a group of its own, which no signal to the step reaches), removes the credentials
 * and exits non-zero, saying what was under way; a later signal does not cut that short.
 */
export function stopOnCancel(): void {
  const cancel = async (signal: NodeJS.Signals) => {
    if (cancelledBy) return
    cancelledBy = signal
    const commands = runningCommands()
    await stopRunningHelm()
    await closeOpenSession()
    const underWay = commands.length
      ? ` Stopped what helm was doing:\n${commands.join('\n')}\nA push among them may or may not have reached ` +
        'the registry: check it before re-running, and re-run with if-exists: skip to complete the release.'
      : ''
    core.setFailed(`The step was cancelled (${signal}).${underWay}`)
    process.exit(1)
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, signal => void cancel(signal))
}
