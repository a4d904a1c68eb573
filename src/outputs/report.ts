import * as core from '@actions/core'
import type { Outcome } from '../build/build.js'
import { logOutcomes, setOutputs, type RunOutcome } from './outputs.js'
import { failedCount, writeSummary } from './summary.js'

/** What the run leaves for the workflow and for people: outputs, the job summary, the log's last word. */
export async function report(outcomes: Outcome[], run: RunOutcome): Promise<void> {
  setOutputs(outcomes, run)
  await writeSummary(outcomes, run)
  logOutcomes(outcomes)
}

/**
 * Why the step fails, when a chart has a problem. With one chart that is its problem; with several, one
 * annotation per failed chart and a message that names them, says what the registry now holds, and how a
 * re-run completes the set.
 */
export function problemsMessage(outcomes: Outcome[]): string | undefined {
  const failed = outcomes.filter(outcome => outcome.problem)
  if (!failed.length) return undefined
  if (outcomes.length === 1) return failed[0].problem
  const names = failed.map(outcome => outcome.chartName).join(', ')
  const inRegistry = outcomes.filter(outcome => outcome.digest)
  if (!inRegistry.length) return `${failedCount(outcomes)} (${names}); nothing was pushed.`
  const held = inRegistry.map(outcome => `${outcome.location.ref}@${outcome.digest}`).join(', ')
  return (
    `${failedCount(outcomes)} (${names}). The registry now holds ${held}. ` +
    'Re-run the job with input if-exists: skip to complete the set: it keeps what is published and pushes the rest.'
  )
}

/** Fails the step when a chart has a problem: after report(), so that outputs and summary say what happened. */
export function failOnProblems(outcomes: Outcome[]): void {
  const message = problemsMessage(outcomes)
  if (!message) return
  if (outcomes.length > 1)
    for (const outcome of outcomes.filter(({ problem }) => problem))
      core.error(`${outcome.chartName}: ${outcome.problem}`)
  throw new Error(message)
}
