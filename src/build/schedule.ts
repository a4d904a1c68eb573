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
 * Runs `work` for every name once the names it depends on are done, at most `limit` at once. A failure does
 * not stop the others; the names that depend on a failed one are skipped, since their input is missing.
 * `order` must list every name after the names it depends on.
 */
export async function schedule<T>(
  order: string[],
  dependsOn: Map<string, string[]>,
  limit: number,
  work: (name: string) => Promise<T>
): Promise<Map<string, TaskResult<T>>> {
  const slot = limiter(limit)
  const tasks = new Map<string, Promise<TaskResult<T>>>()
  for (const name of order) {
    const before = (dependsOn.get(name) ?? []).filter(dep => tasks.has(dep))
    tasks.set(
      name,
      (async (): Promise<TaskResult<T>> => {
        const results = await Promise.all(before.map(dep => tasks.get(dep)!))
        const missing = before.filter((_, index) => results[index].status !== 'done')
        if (missing.length) return { status: 'skipped', reason: `${missing.join(', ')} did not build` }
        try {
          return { status: 'done', value: await slot(() => work(name)) }
        } catch (error) {
          return { status: 'failed', error: error instanceof Error ? error : new Error(String(error)) }
        }
      })()
    )
  }
  const entries = await Promise.all(order.map(async name => [name, await tasks.get(name)!] as const))
  return new Map(entries)
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
