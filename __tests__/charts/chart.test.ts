import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { parseChart } from '../../src/charts/chart.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__', 'chart-yaml')
const read = (name: string, file: string) => readFileSync(path.join(fixtures, name, file), 'utf8')

describe('parseChart', () => {
  test('reads name, version, appVersion and dependencies', () => {
    expect(parseChart(read('trailing-comments', 'Chart.yaml'), 'Chart.yaml')).toEqual({
      name: 'gateway',
      version: '0.1.0',
      appVersion: '0.1.0',
      library: false,
      dependencies: [{ name: 'common', version: '0.1.0', repository: 'file://../common' }]
    })
  })

  // YAML reads 1.0 as the number 1 and 0x1F as 31; what a person reads (and a message quotes) is the file's text.
  test.each([
    ['version: 1.0', { version: '1.0' }],
    ['version: 0x1F', { version: '0x1F' }],
    ['version: "1.0"', { version: '1.0' }],
    ['version: ~', { version: '' }],
    ['appVersion: 2.10', { appVersion: '2.10' }],
    ['type: library', { library: true }],
    ['type: application', { library: false }]
  ])('%s is read as the file spells it', (line, expected) => {
    expect(parseChart(`apiVersion: v2\nname: x\n${line}\n`, 'Chart.yaml')).toMatchObject(expected)
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
