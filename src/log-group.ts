import * as core from '@actions/core'
import { randomUUID } from 'node:crypto'

export type Log = (text: string) => void

/**
 * Prints text that may come from the chart, helm or the registry so that the runner shows it and acts on none
 * of it: a line of it such as `::set-output …` or `##[add-mask]…` is no workflow command. The runner stops
 * processing commands until it sees the random token again, which the text cannot guess, so it cannot end the
 * block early. One write, so that no other line of the step lands inside the block or is cut off by a kill.
 */
export function printInert(text: string): void {
  const token = randomUUID()
  core.info(`::stop-commands::${token}\n${text}\n::${token}::`)
}

/**
 * A log group whose lines are held until the work ends, so that groups running at the same time still print
 * as one unbroken group each, titled with how long the work took. The group is printed on failure too, with
 * what it had logged.
 */
export async function logGroup<T>(title: string, work: (log: Log) => Promise<T>): Promise<T> {
  const lines: string[] = []
  const start = performance.now()
  try {
    return await work(text => lines.push(text))
  } finally {
    core.startGroup(`${title} (${Math.round(performance.now() - start)} ms)`)
    if (lines.length) printInert(lines.join('\n'))
    core.endGroup()
  }
}
