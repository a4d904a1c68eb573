import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expandChartPatterns, MAX_CHARTS, segmentPattern } from '../../src/charts/patterns.js'

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

describe('expandChartPatterns and symlinks', () => {
  let base: string
  let workspace: string
  beforeAll(() => {
    base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'plan-links-')))
    workspace = path.join(base, 'ws')
    for (const dir of ['ws/charts/api', 'ws/vendor/worker', 'outside/machine']) {
      mkdirSync(path.join(base, dir), { recursive: true })
      writeFileSync(path.join(base, dir, 'Chart.yaml'), 'name: x\n')
    }
    mkdirSync(path.join(workspace, 'loops', 'a'), { recursive: true })
    // Two ways back up, the pattern that once ran until memory gave out.
    symlinkSync('..', path.join(workspace, 'loops', 'up'))
    symlinkSync('../..', path.join(workspace, 'loops', 'a', 'up'))
    symlinkSync('../vendor/worker', path.join(workspace, 'charts', 'worker'))
    symlinkSync('missing', path.join(workspace, 'charts', 'dangling'))
    mkdirSync(path.join(base, 'escaping', 'escape'), { recursive: true })
    symlinkSync(path.join(base, 'outside'), path.join(base, 'escaping', 'escape', 'out'))
  })
  afterAll(() => rmSync(base, { recursive: true, force: true }))

  test.each([
    [['charts/*'], ['charts/api', 'charts/worker']],
    [['loops/**'], ['loops/a/up/charts/api', 'loops/a/up/charts/worker']],
    [['**/api'], ['charts/api']],
    [
      ['charts/worker', 'vendor/*'],
      ['charts/worker', 'vendor/worker']
    ]
  ])('%j → %j: a link inside the workspace is followed, each directory walked once', async (patterns, dirs) => {
    expect(await expandChartPatterns(workspace, patterns)).toEqual(dirs)
  })

  test.each([['escape/*'], ['escape/**'], ['escape/out/*'], ['**']])(
    '%j reaches a link out of the workspace and is refused, naming it',
    async pattern => {
      const escaping = path.join(base, 'escaping')
      await expect(expandChartPatterns(escaping, [pattern])).rejects.toThrow(
        `Input charts: ${JSON.stringify(pattern)} reaches ${escaping}/escape/out, a symlink to ${base}/outside, ` +
          `outside the workspace ${escaping}.`
      )
    }
  )

  test.each([['../*'], ['/etc/*'], ['charts/../../*']])(
    '%j lies outside the workspace and is refused',
    async pattern => {
      await expect(expandChartPatterns(workspace, [pattern])).rejects.toThrow(
        `Input charts: ${JSON.stringify(pattern)} reaches outside the workspace ${workspace}.`
      )
    }
  )
})

describe('expandChartPatterns past MAX_CHARTS', () => {
  let workspace: string
  beforeAll(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'plan-many-'))
    for (let index = 0; index < MAX_CHARTS; index++) {
      mkdirSync(path.join(workspace, 'charts', `c${index}`), { recursive: true })
      writeFileSync(path.join(workspace, 'charts', `c${index}`, 'Chart.yaml'), 'name: x\n')
    }
  })
  afterAll(() => rmSync(workspace, { recursive: true, force: true }))

  test.each([
    [['charts/*'], MAX_CHARTS],
    [['charts/*', 'charts/c1'], MAX_CHARTS]
  ])('%j: %i directories are taken', async (patterns, count) => {
    expect(await expandChartPatterns(workspace, patterns)).toHaveLength(count)
  })

  test.each([[['charts/*', 'other']], [['other', 'charts/*']]])(
    '%j: one more is refused, naming the entry that passed the limit',
    async patterns => {
      await expect(expandChartPatterns(workspace, patterns)).rejects.toThrow(
        `Input charts: ${JSON.stringify(patterns.at(-1))} brings the chart directories past 5000`
      )
    }
  )
})
