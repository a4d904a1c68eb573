import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { lintTranscripts, mentions, packageTranscripts, type ChartInCall } from '../../src/build/split-output.js'

// What Helm 4.1.4 and 3.18.0 printed for one lint or package call over charts/{common,api,worker}
// (capture.js there writes it); worker holds a link to a template of common, which helm notes on stderr.
interface Captured {
  helm: string
  case: string
  args: string[]
  charts: ChartInCall[]
  exitCode: number
  stdout: string
  stderr: string
}
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__', 'helm-output')
const captured: Captured[] = JSON.parse(readFileSync(path.join(fixtures, 'several-charts.json'), 'utf8'))
const NAMES = ['common', 'api', 'worker']
const ALL = NAMES

/** Per case: a text of helm's output, and the charts whose part holds it (`{api}` is api's directory). */
const EXPECTED: Record<string, [string, string[]][]> = {
  'lint, every chart passes': [
    [
      '==> Linting {common}\n[INFO] Chart.yaml: icon is recommended\n[INFO] values.yaml: file does not exist',
      ['common']
    ],
    ['==> Linting {api}\n[INFO] Chart.yaml: icon is recommended', ['api']],
    ['==> Linting {worker}\n', ['worker']],
    // Names worker's link first, then common's template it leads to.
    ['found symbolic link in path', ['worker']],
    ['3 chart(s) linted, 0 chart(s) failed', ALL]
  ],
  'lint, worker fails': [
    ['[ERROR] templates/broken.yaml', ['worker']],
    ['Error: 3 chart(s) linted, 1 chart(s) failed', ALL]
  ],
  'lint, api and worker fail': [
    ['{api}\n[INFO] Chart.yaml: icon is recommended\n[ERROR] templates/broken.yaml', ['api']],
    ['{worker}\n[INFO] Chart.yaml: icon is recommended\n[ERROR] templates/broken.yaml', ['worker']],
    ['[ERROR]', ['api', 'worker']],
    ['Error: 3 chart(s) linted, 2 chart(s) failed', ALL]
  ],
  'lint, api warns': [
    ['[WARNING] templates/hpa.yaml: autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated', ['api']],
    ['3 chart(s) linted, 0 chart(s) failed', ALL]
  ],
  'lint --strict, api warns': [
    ['[WARNING] templates/hpa.yaml', ['api']],
    ['Error: 3 chart(s) linted, 1 chart(s) failed', ALL]
  ],
  'package, every chart passes': [
    ['Successfully packaged chart and saved it to: {common}-0.1.0.tgz', ['common']],
    ['Successfully packaged chart and saved it to: {api}-0.1.0.tgz', ['api']],
    ['Successfully packaged chart and saved it to: {worker}-0.1.0.tgz', ['worker']],
    ['found symbolic link in path', ['worker']]
  ],
  'package, api (the second) fails': [
    ['Successfully packaged chart and saved it to: {common}-0.1.0.tgz', ['common']],
    ['Successfully packaged chart and saved it to', ['common']],
    ['Error: found in Chart.yaml, but missing in charts/ directory: common', ALL]
  ]
}

describe('lintTranscripts and packageTranscripts, on what helm printed', () => {
  test('every captured case has its expectations', () => {
    expect(new Set(captured.map(entry => entry.case))).toEqual(new Set(Object.keys(EXPECTED)))
    expect(new Set(captured.map(entry => entry.helm))).toEqual(new Set(['4.1.4', '3.18.0']))
  })

  test.each(captured.map(entry => [entry.helm, entry.case, entry] as const))('Helm %s, %s', (_helm, _case, entry) => {
    const result = { command: ['helm', ...entry.args].join(' '), stdout: entry.stdout, stderr: entry.stderr }
    const parts = (entry.args[0] === 'lint' ? lintTranscripts : packageTranscripts)(result, entry.charts)
    // Lint paths are the directories; package paths the packages, whose names lack the .tgz here.
    const fill = (text: string) =>
      text.replace(/\{(\w+)\}/g, (_, chart: string) => {
        const { dir, packagePath } = entry.charts[NAMES.indexOf(chart)]
        return entry.args[0] === 'lint' ? dir : packagePath.replace(/-0\.1\.0\.tgz$/, '')
      })
    for (const [text, owners] of EXPECTED[entry.case]) {
      expect(parts.map(part => part.includes(fill(text)))).toEqual(NAMES.map(chart => owners.includes(chart)))
    }
    for (const part of parts) expect(part.startsWith(`$ ${result.command}\n`)).toBe(true)
    // Nothing of helm's output is lost: every line is in some chart's part.
    for (const line of `${entry.stdout}\n${entry.stderr}`.split('\n').filter(Boolean)) {
      expect(parts.some(part => part.split('\n').includes(line))).toBe(true)
    }
  })
})

describe('mentions', () => {
  const charts = [
    { dir: '/w/charts/api', packagePath: '/p/api-1.0.0.tgz' },
    { dir: '/w/charts/api-gateway', packagePath: '/p/api-gateway-1.0.0.tgz' },
    { dir: '/w/charts/api/charts/inner', packagePath: '/p/inner-1.0.0.tgz' }
  ]
  test.each([
    ['a chart whose name starts another', 'path=/w/charts/api-gateway/templates/x.tpl', 1],
    ['the directory itself, at the end', '[WARNING] /w/charts/api', 0],
    ['the directory before a colon', '/w/charts/api: chart directory is missing these dependencies', 0],
    ['a chart directory inside another', 'path=/w/charts/api/charts/inner/templates/x.tpl', 2],
    ['the first named of two', 'path=/w/charts/api-gateway/x resolved=/w/charts/api/y', 1],
    ['a package', 'Successfully packaged chart and saved it to: /p/api-gateway-1.0.0.tgz', 1],
    ['none', 'Error: 2 chart(s) linted, 1 chart(s) failed', undefined],
    ['a path past the one named', '/w/charts/apis/x', undefined]
  ])('%s', (_, line, owner) => {
    expect(mentions(line, charts)).toEqual([owner])
  })
})
