import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Chart } from '../src/chart.js'
import { dependencyOrder, expandChartPatterns, inRepoDependencies, segmentPattern } from '../src/plan.js'

describe('segmentPattern', () => {
  test.each([
    ['*', 'api', true],
    ['*', '', true],
    ['api-*', 'api-v2', true],
    ['api-*', 'worker', false],
    ['?pi', 'api', true],
    ['?pi', 'oapi', false],
    ['[aw]*', 'worker', true],
    ['[!aw]*', 'worker', false],
    ['a.b', 'a.b', true],
    ['a.b', 'axb', false],
    ['(x)', '(x)', true]
  ])('%s against %s → %s', (pattern, name, matches) => {
    expect(segmentPattern(pattern).test(name)).toBe(matches)
  })
})

describe('expandChartPatterns', () => {
  let workspace: string
  beforeAll(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'plan-'))
    for (const dir of [
      'charts/api',
      'charts/worker',
      'charts/common',
      'charts/notes',
      'deploy/a/b/deep',
      '.hidden/x'
    ]) {
      mkdirSync(path.join(workspace, dir), { recursive: true })
      if (dir !== 'charts/notes') writeFileSync(path.join(workspace, dir, 'Chart.yaml'), 'name: x\n')
    }
  })
  afterAll(() => rmSync(workspace, { recursive: true, force: true }))

  test.each([
    [['charts/*'], ['charts/api', 'charts/common', 'charts/worker']],
    [
      ['charts/w*', 'charts/a*'],
      ['charts/worker', 'charts/api']
    ],
    [
      ['charts/api', 'charts/*'],
      ['charts/api', 'charts/common', 'charts/worker']
    ],
    [['deploy/**'], ['deploy/a/b/deep']],
    [['**/deep'], ['deploy/a/b/deep']],
    [['charts/notes'], ['charts/notes']]
  ])('%j → %j', async (patterns, dirs) => {
    expect(await expandChartPatterns(workspace, patterns)).toEqual(dirs)
  })

  test('a glob that matches no chart is an error naming it', async () => {
    await expect(expandChartPatterns(workspace, ['helm/*'])).rejects.toThrow(
      `Input charts: "helm/*" matches no directory holding a Chart.yaml in ${workspace}.`
    )
  })
})

describe('dependencyOrder', () => {
  const graph = (entries: [string, string[]][]) => new Map(entries)

  test.each([
    [
      [
        ['api', ['common']],
        ['worker', ['common']],
        ['common', []]
      ],
      ['common', 'api', 'worker']
    ],
    [
      [
        ['a', []],
        ['b', []],
        ['c', []]
      ],
      ['a', 'b', 'c']
    ],
    [
      [
        ['a', ['b']],
        ['b', ['c']],
        ['c', []]
      ],
      ['c', 'b', 'a']
    ],
    [
      [
        ['api', ['common', 'outside']],
        ['common', []]
      ],
      ['common', 'api']
    ]
  ] as [[string, string[]][], string[]][])('%j → %j', (entries, order) => {
    expect(dependencyOrder(graph(entries))).toEqual(order)
  })

  test.each([
    [
      [
        ['api', ['common']],
        ['common', ['api']]
      ],
      'api → common → api'
    ],
    [
      [
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a']]
      ],
      'a → b → c → a'
    ],
    [[['self', ['self']]], 'self → self']
  ] as [[string, string[]][], string][])('refuses the cycle %j, naming it', (entries, cycle) => {
    expect(() => dependencyOrder(graph(entries))).toThrow(`The charts depend on each other in a cycle: ${cycle}.`)
  })
})

describe('inRepoDependencies', () => {
  const chart = (name: string, dir: string, repositories: string[]): Chart => ({
    input: dir,
    dir,
    file: path.join(dir, 'Chart.yaml'),
    source: '',
    meta: {
      name,
      version: '0.1.0',
      appVersion: '',
      dependencies: repositories.map((repository, index) => ({ name: `d${index}`, version: '1', repository }))
    }
  })

  test('resolves file:// paths to the charts they point at, ignoring everything else', () => {
    const common = chart('common', '/w/charts/common', [])
    const lib = chart('lib', '/w/lib', [])
    const api = chart('api', '/w/charts/api', [
      'file://../common',
      'file://../../lib/',
      'https://x.test',
      'file://../gone'
    ])
    expect(inRepoDependencies(api, [common, lib, api])).toEqual(['common', 'lib'])
  })
})
