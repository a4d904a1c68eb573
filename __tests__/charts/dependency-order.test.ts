import { describe, expect, test } from '@jest/globals'
import path from 'node:path'
import type { Chart } from '../../src/charts/chart.js'
import { dependencyOrder, inRepoDependencies } from '../../src/charts/dependency-order.js'

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
      library: false,
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
