import { describe, expect, test } from '@jest/globals'
import { balancedRuns } from '../src/runs.js'

/** Sizes as `count×size` runs, so that 1000 charts read as 232×4 24×3. */
const runsOf = (sizes: number[]): string =>
  sizes
    .reduce<[number, number][]>((runs, size) => {
      const last = runs.at(-1)
      if (last && last[1] === size) last[0]++
      else runs.push([1, size])
      return runs
    }, [])
    .map(([count, size]) => `${count}×${size}`)
    .join(' ')

describe('balancedRuns: the plan’s jobs (max-jobs)', () => {
  test.each([
    [1, 256, '1×1'],
    [3, 2, '1×2 1×1'],
    [10, 3, '1×4 2×3'],
    [255, 256, '255×1'],
    [256, 256, '256×1'],
    [257, 256, '1×2 255×1'],
    [512, 256, '256×2'],
    [1000, 256, '232×4 24×3'],
    [1000, 1, '1×1000'],
    [5000, 256, '136×20 120×19']
  ])('%i charts, at most %i jobs: %s', (count, maxJobs, runs) => {
    const items = Array.from({ length: count }, (_, index) => index)
    const cut = balancedRuns(items, maxJobs)
    expect(runsOf(cut.map(batch => batch.length))).toBe(runs)
    expect(cut.length).toBe(Math.min(count, maxJobs))
    // Contiguous runs of the order they were given in: joined up, the order itself.
    expect(cut.flat()).toEqual(items)
    const sizes = cut.map(batch => batch.length)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
  })
})

describe('balancedRuns: the build’s lanes (parallel)', () => {
  test.each([
    [16, 4, [4, 4, 4, 4]],
    [5, 4, [2, 1, 1, 1]],
    [3, 4, [1, 1, 1]],
    [7, 2, [4, 3]],
    [1, 1, [1]],
    [0, 4, []]
  ])('%i charts, parallel %i: runs of %j', (count, limit, lengths) => {
    const items = Array.from({ length: count }, (_, index) => index)
    const runs = balancedRuns(items, limit)
    expect(runs.map(run => run.length)).toEqual(lengths)
    expect(runs.flat()).toEqual(items)
  })
})
