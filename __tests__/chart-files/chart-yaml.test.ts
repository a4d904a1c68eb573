import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { setChartVersions } from '../../src/chart-files/chart-yaml.js'
import { parseChart } from '../../src/charts/chart.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__', 'chart-yaml')
const read = (name: string, file: string) => readFileSync(path.join(fixtures, name, file), 'utf8')

describe('setChartVersions against golden files', () => {
  test.each([
    ['llm-proxy', '1.2.3', '1.2.3'],
    ['single-quoted', '2.0.0-rc.1', 'v2.0.0-rc.1'],
    ['no-app-version', '1.2.3', '1.2.3'],
    ['numeric-app-version', '1.2.3', '1.2'],
    ['trailing-comments', '1.2.3+build.5', 'v1.2.3'],
    ['crlf', '1.0.0', '1.0.0'],
    ['document-markers', '3.0.0', 'true']
  ])('%s: version %s, appVersion %s', (name, version, appVersion) => {
    const source = read(name, 'Chart.yaml')
    const written = setChartVersions(source, `${name}/Chart.yaml`, { version, appVersion })
    expect(written).toBe(read(name, 'expected.yaml'))
    expect(parseChart(written, 'Chart.yaml')).toMatchObject({ version, appVersion })
  })

  test('moves the constraints of in-repo dependencies released in lockstep, and no others', () => {
    const written = setChartVersions(read('dependency-moved', 'Chart.yaml'), 'Chart.yaml', {
      version: '1.2.3',
      appVersion: '1.2.3',
      dependencies: { common: '1.2.3', metrics: '1.2.3' }
    })
    expect(written).toBe(read('dependency-moved', 'expected.yaml'))
  })

  test('refuses to move a dependency that has no version', () => {
    expect(() =>
      setChartVersions('apiVersion: v2\nname: x\nversion: 0.1.0\ndependencies:\n  - name: common\n', 'Chart.yaml', {
        version: '1.0.0',
        appVersion: '1.0.0',
        dependencies: { common: '1.0.0' }
      })
    ).toThrow('Chart.yaml: dependency "common" needs a version to set it to 1.0.0.')
  })

  test('changes nothing but the two values', () => {
    const source = read('llm-proxy', 'Chart.yaml')
    const written = setChartVersions(source, 'Chart.yaml', { version: '9.9.9', appVersion: '9.9.9' })
    const changed = written.split('\n').filter((line, index) => line !== source.split('\n')[index])
    expect(changed).toEqual(['version: 9.9.9', 'appVersion: "9.9.9"'])
  })

  test('refuses a flow mapping, whose layout it cannot keep', () => {
    expect(() =>
      setChartVersions('{apiVersion: v2, name: x, version: 0.1.0}\n', 'Chart.yaml', {
        version: '1.0.0',
        appVersion: '1.0.0'
      })
    ).toThrow('Chart.yaml must be a block mapping')
  })

  test('refuses a version that is a list', () => {
    expect(() =>
      setChartVersions('apiVersion: v2\nname: x\nversion: [1]\n', 'Chart.yaml', {
        version: '1.0.0',
        appVersion: '1.0.0'
      })
    ).toThrow('Chart.yaml: version must be a single value')
  })
})
