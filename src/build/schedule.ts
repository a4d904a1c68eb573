import { balancedRuns } from '../runs.js'

export type TaskResult<T> =
  | { status: 'done'; value: T }
  | { status: 'failed'; error: Error }
  | { status: 'skipped'; reason: string }

/** At most `limit` holders at a time; the rest wait in arrival order. */
export function limiter(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0
  const waiting: (() => void)[] = []
  return async work => {
    if (running >= limit) await new Promise<void>(resolve => waiting.push(resolve))
    running++
    try {
      return await work()
    } finally {
      running--
      waiting.shift()?.()
    }
  }
}

/**
 * The names by level: a name goes one level after the deepest of the names it depends on (names not in `order`
 * do not count), so that a level's names depend only on earlier levels. `order` must list every name after
 * the names it depends on.
 */
export function levels(order: string[], dependsOn: Map<string, string[]>): string[][] {
  const levelOf = new Map<string, number>()
  const result: string[][] = []
  for (const name of order) {
    const level = Math.max(-1, ...(dependsOn.get(name) ?? []).map(dep => levelOf.get(dep) ?? -1)) + 1
    levelOf.set(name, level)
    ;(result[level] ??= []).push(name)
  }
  return result
}

/**
 * Runs `work` level by level (see levels()): a level's names, once the names they depend on are done, cut into
 * at most `limit` lanes that run side by side; `work` answers for every name of its lane, in order. A
 * failure does not stop the others; the names that depend on a failed one are skipped, since their input is
 * missing. Lanes let one helm call serve several charts: each call costs tens of milliseconds of CPU
 * however small the chart.
 */
export async function scheduleLevels<T>(
  order: string[],
  dependsOn: Map<string, string[]>,
  limit: number,
  work: (lane: string[]) => Promise<PromiseSettledResult<T>[]>
): Promise<Map<string, TaskResult<T>>> {
  const results = new Map<string, TaskResult<T>>()
  for (const level of levels(order, dependsOn)) {
    const ready: string[] = []
    for (const name of level) {
      const missing = (dependsOn.get(name) ?? []).filter(dep => results.has(dep) && results.get(dep)!.status !== 'done')
      if (missing.length) results.set(name, { status: 'skipped', reason: `${missing.join(', ')} did not build` })
      else ready.push(name)
    }
    await Promise.all(
      balancedRuns(ready, limit).map(async lane => {
        const settled = await work(lane).catch((error: unknown) =>
          lane.map((): PromiseSettledResult<T> => ({ status: 'rejected', reason: error }))
        )
        lane.forEach((name, index) => results.set(name, taskResult(settled[index])))
      })
    )
  }
  return new Map(order.map(name => [name, results.get(name)!]))
}

function taskResult<T>(settled: PromiseSettledResult<T>): TaskResult<T> {
  if (settled.status === 'fulfilled') return { status: 'done', value: settled.value }
  const { reason } = settled
  return { status: 'failed', error: reason instanceof Error ? reason : new Error(String(reason)) }
}

/**
 * Promise.all that waits for every promise before it rejects with the first failure: what the action started
 * (helm calls) has ended by the time an error unwinds to the clean-up that removes their credentials.
 */
export async function settleAll<T extends unknown[]>(promises: [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
  const results = await Promise.allSettled(promises)
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  if (failed) throw failed.reason
  return results.map(result => (result as PromiseFulfilledResult<unknown>).value) as unknown as T
}
