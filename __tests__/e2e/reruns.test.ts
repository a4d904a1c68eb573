// Re-runs against a registry that already holds the version (if-exists), build metadata, and the credentials'
// traces: the bundle of today’s src/, real helm, a real registry.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startFaultProxy } from '../../scripts/harness/fault-proxy.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { runAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  beforeAll(async () => {
    registry = await startRegistry()
  })
  afterAll(async () => registry?.stop())

  const release = async (namespace: string, extra: Record<string, string> = {}, options: { ref?: string } = {}) => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        github: { ref: options.ref ?? 'refs/tags/v1.2.3' },
        inputs: {
          chart: 'chart',
          ...registry.inputs(namespace),
          ...extra
        }
      })
      return { ...result, chartYaml: await readFile(path.join(workspace.dir, 'chart', 'Chart.yaml'), 'utf8') }
    } finally {
      await workspace.remove()
    }
  }

  describe('a version that is already published', () => {
    let first: Awaited<ReturnType<typeof release>>
    beforeAll(async () => {
      first = await release('reruns')
    })

    test('the first run pushes and verifies it', async () => {
      expect(first.code).toBe(0)
      expect(first.outputs.pushed).toBe('true')
      expect(first.stdout).toContain('does not exist yet.')
      expect(first.stdout).toContain(`resolves to ${first.outputs.digest}: llm-proxy 1.2.3, as pushed.`)
    })

    test('if-exists fail (the default) stops before pushing other content and names the inputs for a re-run', async () => {
      const proxy = await startFaultProxy(registry.host)
      try {
        const result = await release('reruns', {
          'app-version': 'v{{version}}',
          ...registry.inputs('reruns', proxy.host)
        })
        expect(result.code).toBe(1)
        expect(result.stdout).toContain(
          `::error::${proxy.host}/reruns/llm-proxy:1.2.3 is already published (${first.outputs.digest})`
        )
        expect(result.stdout).toContain('set input if-exists: skip to keep the published chart')
        expect(result.stdout).not.toContain('::group::llm-proxy: push')
        // The registry was read (the look-ups) and never written to, not even a blob.
        expect(proxy.requests).toContainEqual(
          expect.stringMatching(/^GET \/v2\/reruns\/llm-proxy\/manifests\/1\.2\.3$/)
        )
        expect(proxy.requests.filter(request => !/^(GET|HEAD) /.test(request))).toEqual([])
        expect(await registry.manifestDigest('reruns/llm-proxy', '1.2.3')).toBe(first.outputs.digest)
      } finally {
        await proxy.stop()
      }
    })

    test('if-exists skip keeps it: pushed=false, the existing digest, a warning', async () => {
      const result = await release('reruns', { 'if-exists': 'skip', 'app-version': 'v{{version}}' })
      expect(result.code).toBe(0)
      expect(result.outputs).toMatchObject({ pushed: 'false', digest: first.outputs.digest })
      expect(result.stdout).toContain(
        `::warning::${registry.host}/reruns/llm-proxy:1.2.3 is already published (${first.outputs.digest}); not pushed again (if-exists: skip).`
      )
      expect(await registry.chartConfig('reruns/llm-proxy', '1.2.3')).toMatchObject({ appVersion: '1.2.3' })
    })

    test('if-exists overwrite replaces it, warns with both digests and verifies the new one', async () => {
      const result = await release('reruns', { 'if-exists': 'overwrite', 'app-version': 'v{{version}}' })
      expect(result.code).toBe(0)
      const digest = await registry.manifestDigest('reruns/llm-proxy', '1.2.3')
      expect(digest).not.toBe(first.outputs.digest)
      expect(result.outputs).toMatchObject({ pushed: 'true', digest })
      expect(result.stdout).toContain(
        `::warning::Replaced the published ${registry.host}/reruns/llm-proxy:1.2.3: it was ${first.outputs.digest}, now ${digest}`
      )
      expect(await registry.chartConfig('reruns/llm-proxy', '1.2.3')).toMatchObject({ appVersion: 'v1.2.3' })
    })
  })

  test('an anonymous look-up is an auth failure, not "absent": nothing is pushed', async () => {
    const result = await release('anonymous', { password: '' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`::error::${registry.host} refused the credentials (401) on look-up of`)
    expect(await registry.tags('anonymous/llm-proxy')).toEqual([])
  })

  test('build metadata: refused up front on 3.18.0, published as 1.2.3_build.5 elsewhere', async () => {
    const result = await release('build-metadata', {}, { ref: 'refs/tags/v1.2.3+build.5' })
    if (helm === '3.18.0') {
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        '::error::helm v3.18.0 cannot push version "1.2.3+build.5": it fails with "not found" on any version with build metadata'
      )
      expect(result.stdout).toContain('Use Helm 3.18.1 or later, e.g. set input helm-version: 4.2.4.')
      expect(result.chartYaml).toContain('version: 0.1.0')
      expect(await registry.tags('build-metadata/llm-proxy')).toEqual([])
    } else {
      expect(result.code).toBe(0)
      expect(result.outputs['chart-ref']).toBe(`${registry.host}/build-metadata/llm-proxy:1.2.3_build.5`)
      expect(await registry.chartConfig('build-metadata/llm-proxy', '1.2.3_build.5')).toMatchObject({
        version: '1.2.3+build.5'
      })
      expect(result.stdout).toContain('llm-proxy 1.2.3+build.5, as pushed.')
    }
  })

  test('mid-run the registry config is a 0600 file under RUNNER_TEMP, the only place of the login; gone after', async () => {
    const proxy = await startFaultProxy(registry.host)
    const runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'runner-temp-'))
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      // The push hangs on its manifest until the time limit: a window in which the run is logged in.
      proxy.inject({ method: 'PUT', path: /\/manifests\//, stall: true })
      const running = runAction({
        workspace: workspace.dir,
        helm,
        env: { RUNNER_TEMP: runnerTemp },
        inputs: { chart: 'chart', ...registry.inputs('credentials', proxy.host), timeout: '3s', retries: '0' }
      })
      await proxy.faulted('stall', { before: running })
      const [workDir] = await readdir(runnerTemp)
      const config = path.join(runnerTemp, workDir, 'helm', 'registry-config.json')
      expect((await stat(config)).mode & 0o777).toBe(0o600)
      const login = Buffer.from(`${registry.username}:${registry.password}`).toString('base64')
      expect(JSON.parse(await readFile(config, 'utf8'))).toEqual({ auths: { [proxy.host]: { auth: login } } })

      const result = await running
      expect(result.code).toBe(1)
      expect(existsSync(path.join(runnerTemp, workDir, 'helm'))).toBe(false)
      expect(existsSync(path.join(result.home, '.config', 'helm'))).toBe(false)
      expect(result.post?.code).toBe(0)
    } finally {
      await proxy.stop()
      await workspace.remove()
      await rm(runnerTemp, { recursive: true, force: true })
    }
  })
})
