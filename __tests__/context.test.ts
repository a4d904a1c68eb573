import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  parseBoolean,
  parseDuration,
  parseHelmVersion,
  parseIfExists,
  parseMirror,
  parseRetries,
  readDefaultBranch,
  resolveChartDir,
  resolveValuesFile
} from '../src/context.js'

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

describe('readDefaultBranch', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'event-'))
    writeFileSync(path.join(dir, 'push.json'), JSON.stringify({ repository: { default_branch: 'trunk' } }))
    writeFileSync(path.join(dir, 'no-repository.json'), JSON.stringify({ ref: 'refs/heads/main' }))
    writeFileSync(path.join(dir, 'broken.json'), '{')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test.each([
    ['push.json', 'trunk'],
    ['no-repository.json', ''],
    ['broken.json', ''],
    ['missing.json', '']
  ])('%s → %j', (file, branch) => {
    expect(readDefaultBranch(path.join(dir, file))).toBe(branch)
  })

  test('no event file, no default branch', () => expect(readDefaultBranch(undefined)).toBe(''))
})

describe('parseIfExists', () => {
  test.each(['fail', 'skip', 'overwrite'])('%s', value => {
    expect(parseIfExists(value)).toBe(value)
  })

  test.each(['Fail', 'replace', 'true', ''])('refuses %j', value => {
    expect(() => parseIfExists(value)).toThrow(
      `Input if-exists is ${JSON.stringify(value)}; it takes fail, skip or overwrite.`
    )
  })
})

describe('parseRetries', () => {
  test.each([
    ['0', 0],
    ['3', 3],
    ['10', 10]
  ])('%s → %i', (value, expected) => {
    expect(parseRetries(value)).toBe(expected)
  })

  test.each(['-1', '11', '3.5', 'three', ' 3', '1e1', '003'])('refuses %j', value => {
    expect(() => parseRetries(value)).toThrow(
      `Input retries is ${JSON.stringify(value)}; it takes a whole number from 0 to 10.`
    )
  })
})

describe('parseDuration', () => {
  test.each([
    ['5m', 300_000],
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['1500ms', 1_500],
    ['6h', 21_600_000]
  ])('%s → %i ms', (value, expected) => {
    expect(parseDuration('timeout', value)).toBe(expected)
  })

  test.each([
    ['300', 'that is not a duration.'],
    ['5 minutes', 'that is not a duration.'],
    ['-5m', 'that is not a duration.'],
    ['5M', 'that is not a duration.'],
    ['0s', 'it must lie between 1s and 6h.'],
    ['999ms', 'it must lie between 1s and 6h.'],
    ['7h', 'it must lie between 1s and 6h.']
  ])('refuses %j: %s', (value, why) => {
    expect(() => parseDuration('timeout', value)).toThrow(
      `Input timeout is ${JSON.stringify(value)}; ${why} It takes a duration such as 30s, 5m or 1m30s.`
    )
  })
})

describe('parseHelmVersion', () => {
  test.each([
    ['', ''],
    ['3.18.1', '3.18.1'],
    ['v4.1.4', '4.1.4'],
    ['3.8.0', '3.8.0'],
    ['4.0.0-rc.1', '4.0.0-rc.1']
  ])('%j → %j', (value, expected) => {
    expect(parseHelmVersion(value)).toBe(expected)
  })

  test.each(['latest', '3.18', '^3.18.0', 'v3.18.0;id', '3.18.0\n'])('refuses %j', value => {
    expect(() => parseHelmVersion(value)).toThrow(
      `Input helm-version is ${JSON.stringify(value)}; it takes an exact Helm release such as 3.18.1 or 4.1.4`
    )
  })

  test.each(['3.7.2', '2.17.0'])('refuses %s, which has no OCI support', value => {
    expect(() => parseHelmVersion(value)).toThrow('Helm before 3.8 cannot push to OCI registries')
  })
})

describe('parseMirror', () => {
  test.each([
    ['https://get.helm.sh', 'https://get.helm.sh'],
    ['https://mirror.example.test/helm/', 'https://mirror.example.test/helm'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080']
  ])('%s → %s', (value, expected) => {
    expect(parseMirror(value)).toBe(expected)
  })

  test.each(['get.helm.sh', 'ftp://get.helm.sh', 'https://get.helm.sh/?x=1', 'not a url'])('refuses %j', value => {
    expect(() => parseMirror(value)).toThrow(`Input helm-mirror is ${JSON.stringify(value)}; it takes the http(s) URL`)
  })
})
