import { describe, expect, test } from '@jest/globals'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { planMatrix, planRelease, type Plan, type PlanOptions } from '../../src/charts/plan.js'

const monorepo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__', 'monorepo')

describe('planMatrix', () => {
  const plan = (count: number, version: (index: number) => string = () => '1.2.3'): Plan =>
    ({
      charts: Array.from({ length: count }, (_, index) => ({
        chart: { meta: { name: `c${index}` }, input: `charts/c${index}` },
        release: { version: version(index) }
      })),
      tagged: undefined
    }) as unknown as Plan

  test('up to max-jobs charts: one entry per chart, as before batches', () => {
    expect(planMatrix(plan(3), 256)).toEqual({
      include: [
        { name: 'c0', chart: 'charts/c0', version: '1.2.3' },
        { name: 'c1', chart: 'charts/c1', version: '1.2.3' },
        { name: 'c2', chart: 'charts/c2', version: '1.2.3' }
      ]
    })
    expect(planMatrix(plan(256), 256).include).toHaveLength(256)
  })

  test('past max-jobs: each entry a run of the order, name holding what input only takes', () => {
    expect(planMatrix(plan(3), 2)).toEqual({
      include: [
        { name: 'c0, c1', chart: 'charts/c0, charts/c1', version: '1.2.3' },
        { name: 'c2', chart: 'charts/c2', version: '1.2.3' }
      ]
    })
    const matrix = planMatrix(plan(1000), 256)
    expect(matrix.include).toHaveLength(256)
    expect(matrix.include[0].name).toBe('c0, c1, c2, c3')
    expect(matrix.include[255].name).toBe('c997, c998, c999')
    expect(matrix.include.flatMap(entry => entry.name.split(', '))).toEqual(
      Array.from({ length: 1000 }, (_, index) => `c${index}`)
    )
  })

  test("a batch whose charts are at their own versions (a dry run) lists each chart's", () => {
    const matrix = planMatrix(
      plan(3, index => `0.${index}.0`),
      1
    )
    expect(matrix.include).toEqual([
      { name: 'c0, c1, c2', chart: 'charts/c0, charts/c1, charts/c2', version: '0.0.0, 0.1.0, 0.2.0' }
    ])
  })
})

describe('planRelease with input only', () => {
  const options = (only: string[]): PlanOptions => ({
    chartsInput: 'charts',
    chartPatterns: ['charts/*'],
    only,
    tag: 'v1.2.3',
    tagPrefix: 'v',
    version: '',
    appVersion: '{{version}}',
    push: true
  })
  const selected = async (only: string[]) =>
    (await planRelease(monorepo, options(only), 'abc1234')).charts
      .filter(chart => chart.selected)
      .map(({ chart }) => chart.meta.name)

  test.each([
    [[], ['common', 'api', 'worker']],
    [['api'], ['api']],
    [
      ['worker', 'common'],
      ['common', 'worker']
    ],
    [
      ['common', 'api', 'worker'],
      ['common', 'api', 'worker']
    ]
  ])('%j builds %j, in dependency order', async (only, names) => {
    expect(await selected(only)).toEqual(names)
  })

  test.each([
    [['nope'], 'Input only is "nope", which this tag does not release.'],
    [['api', 'nope'], 'Input only names "nope", which this tag does not release.'],
    [['nope', 'api', 'Worker'], 'Input only names "nope", "Worker", which this tag does not release.']
  ])('refuses %j, naming what the tag does not release and what it does', async (only, message) => {
    await expect(planRelease(monorepo, options(only), 'abc1234')).rejects.toThrow(
      `${message} It releases: api, common, worker.`
    )
  })

  test('a per-chart tag releases one chart: only naming another is refused', async () => {
    await expect(
      planRelease(monorepo, { ...options(['api', 'worker']), tag: 'worker-v1.2.3' }, 'abc1234')
    ).rejects.toThrow('Input only names "api", which this tag does not release. It releases: worker.')
  })
})
