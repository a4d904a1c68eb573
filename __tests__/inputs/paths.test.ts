import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { isWithin, resolveChartDir, resolveValuesFile } from '../../src/inputs/paths.js'

describe('isWithin', () => {
  test.each([
    ['/ws', '/ws', true],
    ['/ws', '/ws/chart', true],
    ['/ws', '/ws/..chart', true],
    ['/ws', '/ws/chart/../..', false],
    ['/ws', '/', false],
    ['/ws', '/ws-other', false],
    ['/ws', '/etc/passwd', false]
  ])('%s holds %s: %p', (root, target, within) => {
    expect(isWithin(root, path.resolve(target))).toBe(within)
  })
})

describe('resolveChartDir', () => {
  let outside: string
  let workspace: string
  beforeAll(() => {
    outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'context-')))
    workspace = path.join(outside, 'workspace')
    mkdirSync(path.join(workspace, 'charts', 'api'), { recursive: true })
    mkdirSync(path.join(workspace, '..chart'))
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
    ['link-in', 'charts/api'],
    ['..chart', '..chart']
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

describe('resolveValuesFile', () => {
  let workspace: string
  beforeAll(() => {
    workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'values-')))
    mkdirSync(path.join(workspace, 'chart', 'env'), { recursive: true })
    writeFileSync(path.join(workspace, 'chart', 'values.yaml'), 'image: {}\n')
    writeFileSync(path.join(workspace, 'chart', 'env', 'prod.yaml'), 'image: {}\n')
  })
  afterAll(() => rmSync(workspace, { recursive: true, force: true }))

  test.each([
    ['values.yaml', 'chart/values.yaml'],
    ['env/prod.yaml', 'chart/env/prod.yaml']
  ])('%j is relative to the chart', (file, relative) => {
    expect(resolveValuesFile(workspace, path.join(workspace, 'chart'), file)).toBe(path.join(workspace, relative))
  })

  test('names a file that does not exist', () => {
    expect(() => resolveValuesFile(workspace, path.join(workspace, 'chart'), 'value.yaml')).toThrow(
      `Input values-file "value.yaml": file ${workspace}/chart/value.yaml does not exist. Give the values file relative to the chart directory.`
    )
  })

  test('refuses a file outside the workspace', () => {
    expect(() => resolveValuesFile(workspace, path.join(workspace, 'chart'), '/etc/hostname')).toThrow(
      'Input values-file "/etc/hostname" resolves to /etc/hostname, outside the workspace'
    )
  })
})
