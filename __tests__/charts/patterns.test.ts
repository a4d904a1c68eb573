import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expandChartPatterns, segmentPattern } from '../../src/charts/patterns.js'

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
