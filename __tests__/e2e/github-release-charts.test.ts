// create-release for a tag that releases several charts, through the bundle of today’s src/, real helm, a real
// registry (behind the fault proxy where a push must fail) and the loopback GitHub API: no GitHub Release while a
// chart failed, and once every chart is published, a Release carrying each chart (and its .prov) as the registry
// serves it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startFaultProxy } from '../../scripts/harness/fault-proxy.js'
import { startGitHubApi } from '../../scripts/harness/github-api.js'
import { startGnupg } from '../../scripts/harness/gpg.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { DEFAULT_GITHUB, runAction, summaryTable } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

const TOKEN = DEFAULT_GITHUB.token
const PROV_LAYER = 'application/vnd.cncf.helm.chart.provenance.v1.prov'
/** In the order the action releases them: by directory. */
const NAMES = ['llm-gateway', 'llm-proxy']
const HEADER = ['Chart', 'Version', 'appVersion', 'Reference', 'Digest']

type Api = Awaited<ReturnType<typeof startGitHubApi>>
interface ChartEntry {
  name: string
  digest: string
  pushed: boolean
  error: string
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

let gnupg: Awaited<ReturnType<typeof startGnupg>>
let signingKey: string
beforeAll(async () => {
  gnupg = await startGnupg()
  // RSA, which Helm 3.18 signs with too (it cannot with Ed25519); 2048 bits are made faster than the default.
  signingKey = await gnupg.exportSecret(await gnupg.generate({ name: 'Charts Releaser', length: 2048 }))
}, 60_000)
afterAll(async () => gnupg?.stop())

describe.each(HELM_VERSIONS)('Helm %s, two charts', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>
  beforeAll(async () => {
    registry = await startRegistry()
    proxy = await startFaultProxy(registry.host)
  })
  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })

  /**
   * A run with create-release on a fresh checkout of two charts that depend on nothing: the example chart, and a
   * copy of it named llm-gateway. Through the proxy, whose faults the test sets before.
   */
  const release = async (api: Api, namespace: string, extra: Record<string, string> = {}) => {
    const workspace = await makeWorkspace({ 'charts/llm-gateway': EXAMPLE_CHART, 'charts/llm-proxy': EXAMPLE_CHART })
    try {
      const chartYaml = path.join(workspace.dir, 'charts/llm-gateway/Chart.yaml')
      await writeFile(chartYaml, (await readFile(chartYaml, 'utf8')).replace(/^name: llm-proxy$/m, 'name: llm-gateway'))
      return await runAction({
        workspace: workspace.dir,
        helm,
        github: { repository: 'sofatutor/llm-proxy' },
        inputs: {
          charts: 'charts/*',
          ...registry.inputs(namespace, proxy.host),
          'create-release': 'true',
          ...extra
        },
        env: { GITHUB_API_URL: api.apiUrl }
      })
    } finally {
      await workspace.remove()
    }
  }

  /** The asset GitHub must hold for a layer the registry serves: its bytes, under the chart's file name. */
  const assetOf = (name: string, layer: Buffer | undefined) => {
    if (!layer) throw new Error(`The registry serves no layer for ${name}`)
    return expect.objectContaining({ name, size: layer.length, digest: `sha256:${sha256(layer)}` })
  }

  test('one chart failing: no GitHub Release, the outputs and summary name the published one; a re-run with if-exists: skip completes both and the Release', async () => {
    const api = await startGitHubApi({ token: TOKEN })
    try {
      // A 403 is not retried: llm-gateway fails at once, llm-proxy is published.
      proxy.inject({ method: 'PUT', path: /\/partial\/llm-gateway\/manifests\//, status: 403 })
      const failed = await release(api, 'partial')
      expect(failed.code).toBe(1)
      const published = await registry.manifestDigest('partial/llm-proxy', '1.2.3')
      expect(published).toMatch(/^sha256:/)
      expect(await registry.tags('partial/llm-gateway')).toEqual([])

      // No GitHub Release, not even a look for one.
      expect(api.requests).toEqual([])
      expect(api.releases).toEqual([])
      expect(failed.outputs['release-url']).toBe('')
      const charts: ChartEntry[] = JSON.parse(failed.outputs.charts)
      expect(charts.map(({ name, digest, pushed }) => ({ name, digest, pushed }))).toEqual([
        { name: 'llm-gateway', digest: '', pushed: false },
        { name: 'llm-proxy', digest: published, pushed: true }
      ])
      expect(charts[0].error).toContain(`${proxy.host} denied push (403)`)
      expect(charts[1].error).toBe('')
      const rows = summaryTable(failed.summary)
      expect(rows[0]).toEqual(HEADER)
      expect(rows[1][0]).toBe('llm-gateway')
      expect(rows[1][4]).toContain(`${proxy.host} denied push (403)`)
      expect(rows[2]).toEqual(['llm-proxy', '1.2.3', '1.2.3', `${proxy.host}/partial/llm-proxy:1.2.3`, published])
      expect(failed.summary).not.toContain('GitHub Release')
      expect(failed.stdout).toContain(
        `::error::1 of 2 charts failed (llm-gateway). The registry now holds ${proxy.host}/partial/llm-proxy:1.2.3@${published}.`
      )

      proxy.inject()
      const rerun = await release(api, 'partial', { 'if-exists': 'skip' })
      expect(rerun.code).toBe(0)
      const gateway = await registry.manifestDigest('partial/llm-gateway', '1.2.3')
      expect(
        JSON.parse(rerun.outputs.charts).map(({ name, digest, pushed, error }: ChartEntry) => [
          name,
          digest,
          pushed,
          error
        ])
      ).toEqual([
        ['llm-gateway', gateway, true, ''],
        ['llm-proxy', published, false, '']
      ])
      expect(api.releases).toHaveLength(1)
      const [made] = api.releases
      expect(made).toMatchObject({ tag_name: 'v1.2.3', draft: false })
      expect(made.assets).toEqual([
        assetOf('llm-gateway-1.2.3.tgz', await registry.chartLayer('partial/llm-gateway', '1.2.3')),
        assetOf('llm-proxy-1.2.3.tgz', await registry.chartLayer('partial/llm-proxy', '1.2.3'))
      ])
      expect(made.body).toContain(`- \`${proxy.host}/partial/llm-gateway:1.2.3\` \`${gateway}\``)
      expect(made.body).toContain(`- \`${proxy.host}/partial/llm-proxy:1.2.3\` \`${published}\``)
      expect(rerun.outputs['release-url']).toBe(made.html_url)
      expect(rerun.summary).toContain(made.html_url)
    } finally {
      await api.stop()
    }
  })

  test('signed: every chart and its .prov attached, each the layer the registry serves', async () => {
    const api = await startGitHubApi({ token: TOKEN })
    try {
      proxy.inject()
      const result = await release(api, 'signed', { 'signing-key': signingKey })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(JSON.parse(result.outputs.charts).map((chart: { signed: boolean }) => chart.signed)).toEqual([true, true])
      expect(api.releases).toHaveLength(1)
      const expected = await Promise.all(
        NAMES.map(async name => [
          assetOf(`${name}-1.2.3.tgz`, await registry.chartLayer(`signed/${name}`, '1.2.3')),
          assetOf(`${name}-1.2.3.tgz.prov`, await registry.layer(`signed/${name}`, '1.2.3', PROV_LAYER))
        ])
      )
      expect(api.releases[0].assets).toEqual(expected.flat())
      expect(result.outputs['release-url']).toBe(api.releases[0].html_url)
    } finally {
      await api.stop()
    }
  })
})
