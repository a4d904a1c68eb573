// What the action says it published is what the registry holds: a push failing among several charts, a chart
// kept by if-exists: skip and attached to the GitHub Release, a build failure's one annotation. The bundle of
// today's src/, real helm, a real registry behind a fault proxy, the loopback GitHub API.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { appendFile, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startFaultProxy } from '../../scripts/harness/fault-proxy.js'
import { startGitHubApi } from '../../scripts/harness/github-api.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { DEFAULT_GITHUB, processesMentioning, runAction, summaryTable } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace, MONOREPO_CHARTS } from '../../scripts/harness/workspace.js'

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

interface ChartEntry {
  name: string
  digest: string
  pushed: boolean
  error: string
  'package-path': string
}

describe.each(HELM_VERSIONS)('Helm %s', helm => {
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

  describe('three charts, the registry refusing one of them (403)', () => {
    let workspace: Awaited<ReturnType<typeof makeWorkspace>>
    beforeAll(async () => {
      workspace = await makeWorkspace({ charts: MONOREPO_CHARTS })
    })
    afterAll(async () => workspace?.remove())

    const release = (extra: Record<string, string> = {}) =>
      runAction({
        workspace: workspace.dir,
        helm,
        inputs: { charts: 'charts/*', parallel: '3', ...registry.inputs('partial', proxy.host), ...extra }
      })
    const ref = (name: string) => `${proxy.host}/partial/${name}:1.2.3`

    test('every push finishes before the clean-up; outputs, summary and error say what is published', async () => {
      proxy.inject(
        { method: 'PUT', path: /\/partial\/worker\/manifests\//, status: 403 },
        // The first manifest of common and of api reaches the registry; its answer waits for the gate below.
        { method: 'PUT', path: /\/partial\/(common|api)\/manifests\//, hold: 201, times: 2 }
      )
      const running = release()
      // Gate: worker's push has failed while both other pushes are still under way; only then do they go on.
      await proxy.faulted('403', { before: running })
      await proxy.faulted('hold', { count: 2, before: running })
      proxy.release()
      const result = await running
      expect(result.code).toBe(1)
      // Nothing the step started outlives it.
      expect(await processesMentioning(proxy.host)).toEqual([])
      const digests = {
        common: await registry.manifestDigest('partial/common', '1.2.3'),
        api: await registry.manifestDigest('partial/api', '1.2.3')
      }
      expect(digests.common).toMatch(/^sha256:/)
      expect(digests.api).toMatch(/^sha256:/)
      expect(await registry.tags('partial/worker')).toEqual([])
      // worker's push was tried once: a 403 is not retried.
      expect(proxy.requests.filter(line => line.startsWith('PUT /v2/partial/worker/manifests/'))).toEqual([
        expect.stringMatching(/ -> 403$/)
      ])

      const charts: ChartEntry[] = JSON.parse(result.outputs.charts)
      expect(charts.map(({ name, digest, pushed }) => ({ name, digest, pushed }))).toEqual([
        { name: 'common', digest: digests.common, pushed: true },
        { name: 'api', digest: digests.api, pushed: true },
        { name: 'worker', digest: '', pushed: false }
      ])
      expect(charts.map(chart => chart.error === '')).toEqual([true, true, false])
      expect(charts[2].error).toContain(`${proxy.host} denied push (403)`)

      const rows = summaryTable(result.summary)
      expect(result.summary).toContain('<h2>1 of 3 charts failed; 2 in the registry</h2>')
      expect(rows.slice(1).map(row => row[0])).toEqual(['common', 'api', 'worker'])
      expect([rows[1][4], rows[2][4]]).toEqual([digests.common, digests.api])
      expect(rows[3][4]).toContain(`${proxy.host} denied push (403)`)

      expect(result.stdout).toContain(
        `::error::1 of 3 charts failed (worker). The registry now holds ${ref('common')}@${digests.common}, ` +
          `${ref('api')}@${digests.api}. Re-run the job with input if-exists: skip to complete the set`
      )
      expect(result.stdout).toMatch(/^::error::worker: .*denied push \(403\)/m)
      expect(result.helmHomesLeft).toEqual([])
    })

    test('a re-run with if-exists: skip completes the set', async () => {
      proxy.inject()
      const before = {
        common: await registry.manifestDigest('partial/common', '1.2.3'),
        api: await registry.manifestDigest('partial/api', '1.2.3')
      }
      const result = await release({ 'if-exists': 'skip' })
      expect(result.code).toBe(0)
      const charts: ChartEntry[] = JSON.parse(result.outputs.charts)
      const worker = await registry.manifestDigest('partial/worker', '1.2.3')
      expect(charts.map(({ name, digest, pushed, error }) => ({ name, digest, pushed, error }))).toEqual([
        { name: 'common', digest: before.common, pushed: false, error: '' },
        { name: 'api', digest: before.api, pushed: false, error: '' },
        { name: 'worker', digest: worker, pushed: true, error: '' }
      ])
    })
  })

  test('if-exists: skip attaches the registry’s own chart to the GitHub Release, and package-path is it', async () => {
    const api = await startGitHubApi({ token: DEFAULT_GITHUB.token })
    /** A run of the example chart, with `valuesTail` added to its values.yaml. */
    const run = async (extra: Record<string, string>, valuesTail = '') => {
      const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
      try {
        await appendFile(path.join(workspace.dir, 'chart', 'values.yaml'), valuesTail)
        return await runAction({
          workspace: workspace.dir,
          helm,
          github: { repository: 'sofatutor/llm-proxy' },
          inputs: { chart: 'chart', ...registry.inputs('kept'), ...extra },
          env: { GITHUB_API_URL: api.apiUrl },
          post: false
        })
      } finally {
        await workspace.remove()
      }
    }
    try {
      const first = await run({})
      expect(first.code).toBe(0)
      // The re-run's chart differs, so its package does too (Helm 4 would package the same files byte for byte):
      // package-path can only be the registry's chart if the run downloaded it.
      const rerun = await run({ 'if-exists': 'skip', 'create-release': 'true' }, '# changed after the release\n')
      expect(rerun.code).toBe(0)
      expect(rerun.stdout).toContain(
        `::warning::${registry.host}/kept/llm-proxy:1.2.3 is already published (${first.outputs.digest}); ` +
          'not pushed again (if-exists: skip).'
      )
      const layer = (await registry.chartLayer('kept/llm-proxy', '1.2.3'))!
      expect(rerun.outputs).toMatchObject({ pushed: 'false', digest: first.outputs.digest })
      expect(sha256(await readFile(rerun.outputs['package-path']))).toBe(sha256(layer))
      const assets = api.releases.flatMap(release => release.assets)
      expect(assets.map(asset => [asset.name, asset.digest])).toEqual([
        ['llm-proxy-1.2.3.tgz', `sha256:${sha256(layer)}`]
      ])
      expect(api.releases[0].body).toContain(`Digest: \`${first.outputs.digest}\``)
    } finally {
      await api.stop()
    }
  })

  describe('a chart that does not build', () => {
    const build = async (edit: (dir: string) => Promise<void>, ref = 'refs/tags/v1.2.3') => {
      const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
      try {
        await edit(path.join(workspace.dir, 'chart'))
        return await runAction({
          workspace: workspace.dir,
          helm,
          github: { ref },
          inputs: { chart: 'chart', push: 'false' }
        })
      } finally {
        await workspace.remove()
      }
    }

    test('a lint failure is one annotation, and the outputs say nothing was pushed', async () => {
      const result = await build(dir => writeFile(path.join(dir, 'templates', 'broken.yaml'), 'kind: [\n'))
      expect(result.code).toBe(1)
      expect(result.stdout.match(/^::error::/gm)).toHaveLength(1)
      expect(result.stdout).toMatch(/^::error::helm lint failed \(exit code 1\):/m)
      expect(result.outputs).toMatchObject({ pushed: 'false', digest: '', 'package-path': '' })
      expect(result.summary).toContain('<h2>Nothing published: 1 of 1 chart did not build</h2>')
    })

    test('version: 1.0 is quoted as the file writes it', async () => {
      const result = await build(async dir => {
        const file = path.join(dir, 'Chart.yaml')
        await writeFile(file, (await readFile(file, 'utf8')).replace(/^version: .*$/m, 'version: 1.0'))
      }, 'refs/heads/main')
      expect(result.code).toBe(1)
      expect(result.stdout).toContain('Chart.yaml has version "1.0", which is not SemVer 2.0.')
    })
  })
})
