import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { prepareChart, type PrepareOptions } from '../../src/chart-files/prepare.js'
import { parseChart } from '../../src/charts/chart.js'
import type { PlannedChart } from '../../src/charts/plan.js'

const url = 'https://github.com/SofaTutor/llm-proxy'
const options = (sourceUrl: string): PrepareOptions => ({
  imageTagPath: [],
  valuesFile: 'values.yaml',
  imageTag: '',
  image: '',
  sourceUrl
})

/** A chart of the plan, at a directory without Chart.lock (none is read) and without file:// dependencies. */
function planned(source: string, dir = '/nonexistent/chart', prerelease = ''): PlannedChart {
  return {
    chart: {
      input: 'chart',
      dir,
      file: path.join(dir, 'Chart.yaml'),
      source,
      meta: parseChart(source, 'Chart.yaml')
    },
    release: { version: '1.2.3', major: 1, minor: 2, patch: 3, prerelease, tag: 'v1.2.3' },
    appVersion: '1.2.3',
    placeholders: { tag: 'v1.2.3', version: '1.2.3' },
    dependsOn: [],
    selected: true
  } as unknown as PlannedChart
}

describe('prepareChart: the repository as the source of a chart that names none', () => {
  test.each([
    ['a chart naming no source', 'apiVersion: v2\nname: x\nversion: 0.1.0\n', url, url],
    [
      'link-source: false, or a run that does not know its repository',
      'apiVersion: v2\nname: x\nversion: 0.1.0\n',
      '',
      undefined
    ],
    [
      'a chart with sources of its own',
      'apiVersion: v2\nname: x\nversion: 0.1.0\nsources: [https://example.com]\n',
      url,
      undefined
    ]
  ])('%s', async (_case, source, sourceUrl, linked) => {
    const prepared = await prepareChart(planned(source), [], '/nonexistent', options(sourceUrl))
    expect(prepared.linkedSource).toBe(linked)
    expect(prepared.chartYaml.includes('org.opencontainers.image.source')).toBe(linked !== undefined)
    expect(parseChart(prepared.chartYaml, 'Chart.yaml')).toMatchObject({ version: '1.2.3', appVersion: '1.2.3' })
  })
})

describe('prepareChart: Artifact Hub annotations', () => {
  let workspace: string
  const source = 'apiVersion: v2\nname: x\nversion: 0.1.0\n'
  beforeAll(async () => {
    workspace = await realpath(await mkdtemp(path.join(os.tmpdir(), 'prepare-')))
    await mkdir(path.join(workspace, 'chart'))
  })
  afterAll(async () => rm(workspace, { recursive: true, force: true }))
  const annotationsOf = (text: string) => (parse(text) as { annotations?: Record<string, string> }).annotations
  const prepare = (prerelease: string, extra: Partial<PrepareOptions>) =>
    prepareChart(planned(source, path.join(workspace, 'chart'), prerelease), [], workspace, {
      ...options(''),
      imageTag: '{{tag}}',
      ...extra
    })

  test.each([
    ['nothing to say: no annotations', '', {}, '', undefined],
    [
      'the changelog section: its entries',
      '',
      {},
      '## 1.2.3\n### Fixed\n- It.\n',
      { 'artifacthub.io/changes': '- kind: fixed\n  description: It.\n' }
    ],
    [
      'an image, a prerelease and a signing key',
      'rc.1',
      { image: 'ghcr.io/o/app', signKey: { fingerprint: 'ABCD', url: '' } },
      '',
      {
        'artifacthub.io/images': '- name: app\n  image: ghcr.io/o/app:v1.2.3\n',
        'artifacthub.io/prerelease': 'true',
        'artifacthub.io/signKey': 'fingerprint: ABCD\n'
      }
    ]
  ])('%s', async (_case, prerelease, extra, changelog, annotations) => {
    await rm(path.join(workspace, 'CHANGELOG.md'), { force: true })
    if (changelog) await writeFile(path.join(workspace, 'CHANGELOG.md'), changelog)
    const prepared = await prepare(prerelease, extra)
    expect(annotationsOf(prepared.chartYaml)).toEqual(annotations)
    expect(prepared.annotationsAdded).toEqual(Object.keys(annotations ?? {}))
    expect(prepared.changelog.section?.line).toBe(changelog ? 1 : undefined)
  })

  test('a section that does not parse refuses the chart, naming the file and the line', async () => {
    await writeFile(path.join(workspace, 'CHANGELOG.md'), '## 1.2.3\n### Fixed\n- It.\n### Other\n- No.\n')
    await expect(prepare('', {})).rejects.toThrow(`${path.join(workspace, 'CHANGELOG.md')} line 4: "### Other"`)
  })
})
