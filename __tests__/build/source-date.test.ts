import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  FALLBACK_SOURCE_DATE,
  parseCommitTime,
  parseSourceDateEpoch,
  readSourceDate
} from '../../src/build/source-date.js'
import { show } from '../../src/text.js'
import { GIT_ENV } from '../../scripts/harness/git.js'

describe('parseSourceDateEpoch', () => {
  test.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    // What `SOURCE_DATE_EPOCH: ${{ env.MISSING }}` gives.
    ['', undefined],
    ['1700000000', 1700000000],
    ['0', 0],
    ['0001', 1],
    ['253402300799', 253402300799]
  ])('%j is %j', (value, seconds) => {
    expect(parseSourceDateEpoch(value)).toBe(seconds)
  })

  test.each(['-1', '1.5', ' 1700000000', '1700000000\n', '1e9', '0x10', 'yesterday', '253402300800', '9'.repeat(30)])(
    '%j is refused, naming it',
    value => {
      expect(() => parseSourceDateEpoch(value)).toThrow(`SOURCE_DATE_EPOCH is ${show(value)}; it must be a whole`)
    }
  )
})

describe('parseCommitTime', () => {
  test.each<[string, number | undefined]>([
    ['1700000000\n', 1700000000],
    ['', undefined],
    ['fatal: your current branch does not have any commits yet\n', undefined]
  ])('%j is %j', (stdout, seconds) => {
    expect(parseCommitTime(stdout)).toBe(seconds)
  })
})

describe('readSourceDate', () => {
  let dir: string
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'source-date-')))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], {
      env: {
        ...GIT_ENV,
        GIT_AUTHOR_DATE: '@1500000000 +0000',
        GIT_COMMITTER_DATE: '@1600000000 +0200'
      }
    })
  const env = { PATH: process.env.PATH, HOME: os.tmpdir(), GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }

  test('a checkout: the committer time of HEAD, whatever the zone it was committed in', async () => {
    git('init', '--quiet')
    writeFileSync(path.join(dir, 'Chart.yaml'), 'name: x\n')
    git('add', '--all')
    git('commit', '--quiet', '--message', 'first')
    expect(await readSourceDate(env, dir)).toEqual({
      seconds: 1600000000,
      from: 'the committer time of HEAD',
      workspace: dir
    })
  })

  test('SOURCE_DATE_EPOCH wins over the commit', async () => {
    git('init', '--quiet')
    git('commit', '--quiet', '--allow-empty', '--message', 'first')
    expect(await readSourceDate({ ...env, SOURCE_DATE_EPOCH: '1700000000' }, dir)).toMatchObject({
      seconds: 1700000000,
      from: 'SOURCE_DATE_EPOCH'
    })
  })

  test.each([
    ['no repository', () => undefined],
    ['a repository without a commit', () => git('init', '--quiet')]
  ])('%s: the fixed time', async (_, make) => {
    make()
    expect(await readSourceDate(env, dir)).toEqual({
      seconds: FALLBACK_SOURCE_DATE,
      from: 'no commit in the workspace: a fixed time',
      workspace: dir
    })
    expect(new Date(FALLBACK_SOURCE_DATE * 1000).toISOString()).toBe('1980-01-01T00:00:00.000Z')
  })

  test('a SOURCE_DATE_EPOCH that is no time stops the run before git is asked', async () => {
    await expect(readSourceDate({ ...env, SOURCE_DATE_EPOCH: '2024-01-01' }, dir)).rejects.toThrow(
      'SOURCE_DATE_EPOCH is "2024-01-01"; it must be a whole number of seconds since 1970-01-01 UTC'
    )
  })
})
