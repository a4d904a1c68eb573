import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseChart, repositoriesToAdd, setChartVersions } from '../src/chart.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'chart-yaml')
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

describe('parseChart', () => {
  test('reads name, version, appVersion and dependencies', () => {
    expect(parseChart(read('trailing-comments', 'Chart.yaml'), 'Chart.yaml')).toEqual({
      name: 'gateway',
      version: '0.1.0',
      appVersion: '0.1.0',
      dependencies: [{ name: 'common', version: '0.1.0', repository: 'file://../common' }]
    })
  })

  test.each([
    ['apiVersion: v2\nname: [x\n', 'Chart.yaml is not valid YAML'],
    ['- a\n- b\n', 'Chart.yaml must be a YAML mapping'],
    ['apiVersion: v2\nname: x\nname: y\nversion: 1.0.0\n', 'Chart.yaml is not valid YAML: Map keys must be unique'],
    [
      'apiVersion: v1\nname: x\nversion: 1.0.0\n',
      'Chart.yaml has apiVersion "v1"; OCI registries take Helm 3 charts. Set apiVersion: v2'
    ],
    ['name: x\nversion: 1.0.0\n', 'Chart.yaml has apiVersion ""'],
    ['apiVersion: v2\nversion: 1.0.0\n', 'Chart.yaml has no name. Add name: <chart-name>'],
    [
      'apiVersion: v2\nname: LLM-Proxy\nversion: 1.0.0\n',
      'Chart.yaml has name "LLM-Proxy", which cannot be an OCI repository name'
    ],
    ['apiVersion: v2\nname: llm proxy\nversion: 1.0.0\n', 'has name "llm proxy"'],
    ['apiVersion: v2\nname: -proxy\nversion: 1.0.0\n', 'has name "-proxy"'],
    ['apiVersion: v2\nname: x\ndependencies: common\n', 'Chart.yaml: dependencies must be a list'],
    ['apiVersion: v2\nname: x\ndependencies: [common]\n', 'Chart.yaml: dependencies[0] must be a mapping']
  ])('refuses %j', (source, message) => {
    expect(() => parseChart(source, 'Chart.yaml')).toThrow(message)
  })
})

describe('repositoriesToAdd', () => {
  test('adds each http(s) repository once, under a name derived from its URL', () => {
    const repositories = repositoriesToAdd([
      { name: 'a', version: '1', repository: 'https://charts.example.test/stable' },
      { name: 'b', version: '1', repository: 'https://charts.example.test/stable' },
      { name: 'c', version: '1', repository: 'http://127.0.0.1:8879' },
      { name: 'd', version: '1', repository: 'oci://ghcr.io/sofatutor' },
      { name: 'e', version: '1', repository: 'file://../common' },
      { name: 'f', version: '1', repository: '' },
      { name: 'g', version: '1', repository: '@stable' }
    ])
    expect(repositories.map(repository => repository.url)).toEqual([
      'https://charts.example.test/stable',
      'http://127.0.0.1:8879'
    ])
    expect(repositories[0].name).toMatch(/^helm-release-[0-9a-f]{12}$/)
    expect(repositories[0].name).not.toBe(repositories[1].name)
    expect(repositoriesToAdd([{ name: 'a', version: '1', repository: 'https://charts.example.test/stable' }])).toEqual([
      repositories[0]
    ])
  })
})
