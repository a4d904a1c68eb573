import * as core from '@actions/core'

export type Log = (text: string) => void

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
    for (const line of lines) core.info(line)
    core.endGroup()
  }
}
