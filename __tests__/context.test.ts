import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseBoolean, resolveChartDir } from '../src/context.js'

describe('parseBoolean', () => {
  test.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false]
  ])('%s → %s', (value, expected) => {
    expect(parseBoolean('push', value)).toBe(expected)
  })

  test.each(['yes', '1', 'on', 'ture', ''])('refuses %j, naming input and value', value => {
    expect(() => parseBoolean('push', value)).toThrow(`Input push is ${JSON.stringify(value)}; it takes true or false.`)
  })
})

describe('resolveChartDir', () => {
  let outside: string
  let workspace: string
  beforeAll(() => {
    outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'context-')))
    workspace = path.join(outside, 'workspace')
    mkdirSync(path.join(workspace, 'charts', 'api'), { recursive: true })
    mkdirSync(path.join(outside, 'elsewhere'))
    symlinkSync(path.join(outside, 'elsewhere'), path.join(workspace, 'link-out'))
    symlinkSync(path.join(workspace, 'charts', 'api'), path.join(workspace, 'link-in'))
  })
  afterAll(() => rmSync(outside, { recursive: true, force: true }))

  test.each([
    ['.', ''],
    ['charts/api', 'charts/api'],
    ['./charts/api/', 'charts/api'],
    ['charts/../charts/api', 'charts/api'],
    ['link-in', 'charts/api']
  ])('%j resolves inside the workspace', (chart, relative) => {
    expect(resolveChartDir(workspace, chart)).toBe(path.join(workspace, relative))
  })

  test('takes an absolute path inside the workspace', () => {
    expect(resolveChartDir(workspace, path.join(workspace, 'charts', 'api'))).toBe(
      path.join(workspace, 'charts', 'api')
    )
  })

  test.each([['../..'], ['..'], ['/etc'], ['link-out'], ['charts/../../elsewhere']])(
    'refuses %j, outside the workspace',
    chart => {
      expect(() => resolveChartDir(workspace, chart)).toThrow(`Input chart ${JSON.stringify(chart)} resolves to`)
    }
  )

  test('names a directory that does not exist', () => {
    expect(() => resolveChartDir(workspace, 'charts/nope')).toThrow(
      `Input chart "charts/nope": directory ${workspace}/charts/nope does not exist`
    )
  })
})
