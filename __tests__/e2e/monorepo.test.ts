// Several charts from one step: lockstep and per-chart tags, file:// dependency order, committed locks.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { startRegistry } from '../../scripts/harness/registry.js'
import { runAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { MONOREPO_CHARTS, makeWorkspace } from '../../scripts/harness/workspace.js'

const run = promisify(execFile)
const NAMES = ['common', 'api', 'worker']

describe.each(HELM_VERSIONS)('Helm %s, charts/{api,worker,common}', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  beforeAll(async () => {
    registry = await startRegistry()
  })
  afterAll(async () => registry?.stop())

  // The post step would delete the packages the tests look into; it is tested in release.test.ts.
  const release = async (namespace: string, tag: string, extra: Record<string, string> = {}, workspace?: string) => {
    const dir = workspace ?? (await makeWorkspace({ charts: MONOREPO_CHARTS })).dir
    const result = await runAction({
      workspace: dir,
      helm,
      github: { ref: `refs/tags/${tag}` },
      inputs: {
        charts: 'charts/*',
        registry: `oci://${registry.host}/${namespace}`,
        username: registry.username,
        password: registry.password,
        'plain-http': 'true',
        ...extra
      },
      post: false
    })
    return { ...result, dir }
  }
  const tagsOf = async (namespace: string) =>
    Object.fromEntries(await Promise.all(NAMES.map(async name => [name, await registry.tags(`${namespace}/${name}`)])))
  const packagedChartYaml = async (packagePath: string, member: string) =>
    (await run('tar', ['-xzOf', packagePath, member])).stdout

  test('v1.2.3 releases all three in lockstep from the committed Chart.lock files, and again with v1.2.4', async () => {
    const first = await release('lockstep', 'v1.2.3')
    expect(first.code).toBe(0)
    const charts = JSON.parse(first.outputs.charts)
    expect(charts.map((chart: { name: string }) => chart.name)).toEqual(NAMES)
    for (const chart of charts) {
      expect(chart).toMatchObject({ version: '1.2.3', 'app-version': '1.2.3', pushed: true })
      expect(chart.digest).toBe(await registry.manifestDigest(`lockstep/${chart.name}`, '1.2.3'))
    }
    // The tag's version is the run's; a chart's own outputs would be ambiguous with three charts.
    expect(first.outputs.version).toBe('1.2.3')
    expect(first.outputs['chart-name']).toBeUndefined()
    expect(first.stdout.indexOf('::group::common: build')).toBeLessThan(first.stdout.indexOf('::group::api: build'))
    expect(first.stdout.indexOf('::group::common: build')).toBeLessThan(first.stdout.indexOf('::group::worker: build'))

    const api = charts.find((chart: { name: string }) => chart.name === 'api')
    expect(await packagedChartYaml(api['package-path'], 'api/charts/common/Chart.yaml')).toContain('version: 1.2.3')
    expect(await packagedChartYaml(api['package-path'], 'api/Chart.yaml')).toContain(
      '- name: common\n  repository: file://../common\n  version: 1.2.3\n'
    )
    expect(await readFile(path.join(first.dir, 'charts/api/Chart.yaml'), 'utf8')).toContain(
      'version: 1.2.3 # moved by the action when common moves'
    )
    expect(await readFile(path.join(first.dir, 'charts/api/Chart.lock'), 'utf8')).toMatch(
      /version: 1\.2\.3\ndigest: sha256:/
    )

    const second = await release('lockstep', 'v1.2.4', {}, first.dir)
    expect(second.code).toBe(0)
    expect(await tagsOf('lockstep')).toEqual({
      common: ['1.2.3', '1.2.4'],
      api: ['1.2.3', '1.2.4'],
      worker: ['1.2.3', '1.2.4']
    })
    expect(
      await packagedChartYaml(JSON.parse(second.outputs.charts)[2]['package-path'], 'worker/charts/common/Chart.yaml')
    ).toContain('version: 1.2.4')
  })

  test('worker-v1.2.3 releases worker alone, with the single-chart outputs', async () => {
    const result = await release('alone', 'worker-v1.2.3')
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({
      version: '1.2.3',
      tag: 'worker-v1.2.3',
      'chart-name': 'worker',
      pushed: 'true'
    })
    expect(await tagsOf('alone')).toEqual({ common: [], api: [], worker: ['1.2.3'] })
    expect(await readFile(path.join(result.dir, 'charts/api/Chart.yaml'), 'utf8')).toBe(
      await readFile(path.join(MONOREPO_CHARTS, 'api/Chart.yaml'), 'utf8')
    )
  })

  test('a tag that names no chart is refused with the charts it could name', async () => {
    const result = await release('none', 'gateway-v1.2.3')
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('::error::Tag "gateway-v1.2.3" releases none of the charts api, common, worker.')
    expect(await tagsOf('none')).toEqual({ common: [], api: [], worker: [] })
  })

  test('a dependency cycle is refused, naming it, before anything changes', async () => {
    const workspace = await makeWorkspace({ charts: MONOREPO_CHARTS })
    const common = path.join(workspace.dir, 'charts/common/Chart.yaml')
    await writeFile(
      common,
      `${await readFile(common, 'utf8')}dependencies:\n  - name: api\n    version: 0.1.0\n    repository: file://../api\n`
    )
    const before = await readFile(path.join(workspace.dir, 'charts/api/Chart.yaml'), 'utf8')
    const result = await release('cycle', 'v1.2.3', {}, workspace.dir)
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /::error::The charts depend on each other in a cycle: (api → common → api|common → api → common)/
    )
    expect(await readFile(path.join(workspace.dir, 'charts/api/Chart.yaml'), 'utf8')).toBe(before)
  })

  test('one chart failing lint leaves the others checked and nothing pushed', async () => {
    const workspace = await makeWorkspace({ charts: MONOREPO_CHARTS })
    await writeFile(path.join(workspace.dir, 'charts/worker/templates/broken.yaml'), 'kind: [\n')
    const result = await release('failing', 'v1.2.3', { parallel: '1' }, workspace.dir)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('::error::worker: helm lint failed')
    expect(result.stdout).toContain('::group::api: build')
    expect(result.stdout).toMatch(
      /::group::api: build[^\n]*\n\$ helm dependency build[^]*\$ helm lint[^]*\$ helm package/
    )
    expect(result.stdout).toContain('1 of 3 charts did not build (worker); nothing was pushed.')
    expect(result.summary).toContain('<td>worker</td>')
    expect(result.summary).toContain('<td>api</td>')
    expect(await tagsOf('failing')).toEqual({ common: [], api: [], worker: [] })
  })

  test('plan sets a matrix in dependency order and touches nothing', async () => {
    const result = await release('plan', 'v2.0.0', { plan: 'true' })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.outputs.matrix)).toEqual({
      include: [
        { name: 'common', chart: 'charts/common', version: '2.0.0' },
        { name: 'api', chart: 'charts/api', version: '2.0.0' },
        { name: 'worker', chart: 'charts/worker', version: '2.0.0' }
      ]
    })
    expect(await readFile(path.join(result.dir, 'charts/api/Chart.yaml'), 'utf8')).toBe(
      await readFile(path.join(MONOREPO_CHARTS, 'api/Chart.yaml'), 'utf8')
    )
    expect(await tagsOf('plan')).toEqual({ common: [], api: [], worker: [] })
  })

  test('a job of the plan matrix releases its one chart with the lockstep versions', async () => {
    const result = await release('matrix', 'v2.0.0', { only: 'api' })
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ 'chart-name': 'api', version: '2.0.0' })
    expect(await tagsOf('matrix')).toEqual({ common: [], api: ['2.0.0'], worker: [] })
    expect(await packagedChartYaml(result.outputs['package-path'], 'api/charts/common/Chart.yaml')).toContain(
      'version: 2.0.0'
    )
  })

  test('one chart already published: if-exists fail pushes none of them, skip pushes the others', async () => {
    const first = await release('partly', 'v2.0.0', { only: 'api' })
    expect(first.code).toBe(0)
    const refused = await release('partly', 'v2.0.0')
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain(`::error::${registry.host}/partly/api:2.0.0 is already published`)
    expect(await tagsOf('partly')).toEqual({ common: [], api: ['2.0.0'], worker: [] })

    const skipped = await release('partly', 'v2.0.0', { 'if-exists': 'skip' })
    expect(skipped.code).toBe(0)
    const charts = JSON.parse(skipped.outputs.charts)
    expect(charts.map((chart: { name: string; pushed: boolean }) => [chart.name, chart.pushed])).toEqual([
      ['common', true],
      ['api', false],
      ['worker', true]
    ])
    expect(charts[1].digest).toBe(first.outputs.digest)
    expect(await tagsOf('partly')).toEqual({ common: ['2.0.0'], api: ['2.0.0'], worker: ['2.0.0'] })
  })
})
