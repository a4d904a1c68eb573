/**
 * `items` cut into at most `count` runs that keep their order and differ in size by one at most, the longer
 * runs first: 257 charts in 256 jobs are one job of 2 and 255 of 1, where runs of ceil(257 / 256) = 2 would
 * be 129 jobs, each as long as the longest. Serves the plan's matrix jobs (max-jobs) and the build's lanes
 * (parallel).
 */
export function balancedRuns<T>(items: readonly T[], count: number): T[][] {
  const runs = Math.min(count, items.length)
  const result: T[][] = []
  for (let run = 0, start = 0; run < runs; run++) {
    const length = Math.floor(items.length / runs) + (run < items.length % runs ? 1 : 0)
    result.push(items.slice(start, (start += length)))
  }
  return result
}
