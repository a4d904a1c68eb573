import { describe, expect, test } from '@jest/globals'
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
function planned(source: string): PlannedChart {
  return {
    chart: {
      input: 'chart',
      dir: '/nonexistent/chart',
      file: '/nonexistent/chart/Chart.yaml',
      source,
      meta: parseChart(source, 'Chart.yaml')
    },
    release: { version: '1.2.3', major: 1, minor: 2, patch: 3, prerelease: [], build: [], tag: 'v1.2.3' },
    appVersion: '1.2.3',
    placeholders: {},
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
