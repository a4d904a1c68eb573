// The bundle of today’s src/, run as the Actions runner runs it, against real helm and a real OCI registry.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { startFaultProxy } from '../../scripts/harness/fault-proxy.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { DEFAULT_GITHUB, runAction, visible } from '../../scripts/harness/runner.js'
import { serveDirectory } from '../../scripts/harness/static-server.js'
import { HELM_VERSIONS, helmDir, MORE_HELM_VERSIONS, ROOT } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, FIXTURE_CHARTS, makeWorkspace } from '../../scripts/harness/workspace.js'

const run = promisify(execFile)
// The example chart as the release of v1.2.3 leaves it: the versions, and the repository as its source.
const golden = path.join(ROOT, '__tests__', '__fixtures__', 'chart-source', 'llm-proxy', 'expected.yaml')
const SOURCE = 'org.opencontainers.image.source'
/** The helms the tests run that the step warns of: they send the password to another host (docs/helm.md). */
const FORWARDS_CREDENTIALS = new Set(['4.1.4', '4.1.3', '3.18.0'])

// The happy path on every helm scripts/setup-tools.sh installs, so that the range docs/helm.md promises rests on
// more than the two the other cases run on.
describe.each([...HELM_VERSIONS, ...MORE_HELM_VERSIONS])('Helm %s', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  beforeAll(async () => {
    registry = await startRegistry()
  })
  afterAll(async () => registry?.stop())

  test('tag v1.2.3 lands at <registry>/<owner>/<chart>:1.2.3 with the digest the registry reports', async () => {
    const workspace = await makeWorkspace({ 'deploy/llm-proxy': EXAMPLE_CHART })
    try {
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        inputs: { ...registry.inputs('SofaTutor'), chart: 'deploy/llm-proxy' }
      })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)

      const digest = await registry.manifestDigest('sofatutor/llm-proxy', '1.2.3')
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
      expect(result.outputs).toEqual({
        version: '1.2.3',
        tag: 'v1.2.3',
        'chart-name': 'llm-proxy',
        'chart-version': '1.2.3',
        'app-version': '1.2.3',
        'package-path': expect.stringMatching(/\/llm-proxy-1\.2\.3\.tgz$/),
        'chart-url': `oci://${registry.host}/sofatutor/llm-proxy`,
        'chart-ref': `${registry.host}/sofatutor/llm-proxy:1.2.3`,
        'chart-repository': `${registry.host}/sofatutor/llm-proxy`,
        digest,
        pushed: 'true',
        // Basic auth: anonymous reads are refused.
        public: 'false',
        signed: 'false',
        'signing-fingerprint': '',
        charts: expect.any(String),
        major: '1',
        minor: '2',
        patch: '3',
        prerelease: '',
        'is-prerelease': 'false',
        'major-minor': '1.2',
        'sha-short': 'sha-5114f85',
        // The workspace is no git repository, so auto falls back to "stable → latest".
        'is-latest': 'true',
        'docker-tags': '',
        'docker-labels': [
          'org.opencontainers.image.version=v1.2.3',
          `org.opencontainers.image.revision=${DEFAULT_GITHUB.sha}`,
          'org.opencontainers.image.source=https://github.com/SofaTutor/llm-proxy'
        ].join('\n'),
        'release-url': ''
      })
      expect(JSON.parse(result.outputs.charts)).toEqual([
        {
          name: 'llm-proxy',
          version: '1.2.3',
          'app-version': '1.2.3',
          'chart-url': `oci://${registry.host}/sofatutor/llm-proxy`,
          'chart-repository': `${registry.host}/sofatutor/llm-proxy`,
          digest,
          pushed: true,
          public: false,
          signed: false,
          'package-path': result.outputs['package-path'],
          error: ''
        }
      ])
      expect(await registry.tags('sofatutor/llm-proxy')).toEqual(['1.2.3'])
      expect(await registry.chartConfig('sofatutor/llm-proxy', '1.2.3')).toMatchObject({
        mediaType: 'application/vnd.cncf.helm.config.v1+json',
        name: 'llm-proxy',
        version: '1.2.3',
        appVersion: '1.2.3'
      })

      const chartYaml = await readFile(path.join(workspace.dir, 'deploy/llm-proxy/Chart.yaml'), 'utf8')
      expect(chartYaml).toBe(await readFile(golden, 'utf8'))

      expect(result.summary).toContain(
        `helm install llm-proxy oci://${registry.host}/sofatutor/llm-proxy --version 1.2.3`
      )
      expect(result.summary).toContain(digest)
      expect(result.stdout).toContain('::group::llm-proxy: push to oci://')
      // The one warning: whether this helm hands the password to wherever the registry points an upload.
      expect(result.stdout.split('\n').filter((line: string) => line.startsWith('::warning::'))).toEqual(
        FORWARDS_CREDENTIALS.has(helm)
          ? [expect.stringMatching(`^::warning::helm v${helm} sends the registry credentials`)]
          : []
      )

      expect(result.post?.code).toBe(0)
      expect(result.post?.stdout).not.toContain('::warning::')
      expect(result.helmHomesLeft).toEqual([])
      expect(existsSync(path.join(result.home, '.config', 'helm'))).toBe(false)
      expect(visible(result.everything)).not.toContain(registry.password)
    } finally {
      await workspace.remove()
    }
  })
})

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  beforeAll(async () => {
    registry = await startRegistry()
  })
  afterAll(async () => registry?.stop())

  const inputs = (namespace: string, extra: Record<string, string> = {}) => ({
    ...registry.inputs(namespace),
    ...extra
  })
  /** The annotations of the manifest helm pushed, which ghcr.io reads. */
  const manifestAnnotations = async (repository: string) =>
    ((await registry.manifest(repository, '1.2.3')) as { annotations: Record<string, string> }).annotations

  test('a chart naming no source is pushed with the repository as its source; a chart with sources keeps its own', async () => {
    const workspace = await makeWorkspace({ 'charts/llm-proxy': EXAMPLE_CHART, 'charts/sourced': EXAMPLE_CHART })
    try {
      const sourced = path.join(workspace.dir, 'charts/sourced/Chart.yaml')
      const text = (await readFile(sourced, 'utf8')).replace('name: llm-proxy', 'name: sourced')
      await writeFile(sourced, `${text}sources:\n  - https://example.com/sourced/charts\n`)
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        inputs: inputs('linked', { charts: 'charts/*' })
      })
      expect(result.code).toBe(0)

      const repositoryUrl = `https://github.com/${DEFAULT_GITHUB.repository}`
      expect((await manifestAnnotations('linked/llm-proxy'))[SOURCE]).toBe(repositoryUrl)
      expect((await manifestAnnotations('linked/sourced'))[SOURCE]).toBe('https://example.com/sourced/charts')
      expect(await registry.chartConfig('linked/llm-proxy', '1.2.3')).toMatchObject({
        annotations: { [SOURCE]: repositoryUrl }
      })
      expect(result.stdout).toContain(
        `${workspace.dir}/charts/llm-proxy/Chart.yaml: version 1.2.3, appVersion 1.2.3, ${SOURCE} ${repositoryUrl}\n`
      )
      expect(result.stdout).toContain(`${workspace.dir}/charts/sourced/Chart.yaml: version 1.2.3, appVersion 1.2.3\n`)
      expect(await readFile(sourced, 'utf8')).not.toContain(SOURCE)
    } finally {
      await workspace.remove()
    }
  })

  test('link-source: false pushes the chart as it names itself, without a source', async () => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        inputs: inputs('unlinked', { chart: 'chart', 'link-source': 'false' })
      })
      expect(result.code).toBe(0)
      expect((await manifestAnnotations('unlinked/llm-proxy'))[SOURCE]).toBeUndefined()
      expect(await readFile(path.join(workspace.dir, 'chart/Chart.yaml'), 'utf8')).toBe(
        await readFile(path.join(ROOT, '__tests__', '__fixtures__', 'chart-yaml', 'llm-proxy', 'expected.yaml'), 'utf8')
      )
    } finally {
      await workspace.remove()
    }
  })

  describe('a bad tag fails before anything changes or is pushed', () => {
    test.each([
      'v1.2',
      'v01.2.3',
      '1.2.3',
      'v1.2.3.4',
      'refs/tags/v1.2.3;touch /tmp/x',
      'v1.2.3$(id)',
      'v1.2.3\nv1.2.4',
      `v${'9'.repeat(300)}.0.0`
    ])('%j', async tag => {
      const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
      try {
        const before = await readFile(path.join(workspace.dir, 'chart/Chart.yaml'), 'utf8')
        const result = await runAction({
          workspace: workspace.dir,
          helm,
          inputs: inputs('bad-tags', { chart: 'chart', tag })
        })
        expect(result.code).toBe(1)
        const shown = JSON.stringify(tag.replace('refs/tags/', '').slice(0, 60))
        expect(result.stdout).toMatch(/::error::Tag /)
        expect(result.stdout).toContain(shown.slice(0, -1))
        expect(result.stdout).toContain('Release tags look like vMAJOR.MINOR.PATCH')
        expect(await readFile(path.join(workspace.dir, 'chart/Chart.yaml'), 'utf8')).toBe(before)
        expect(await registry.tags('bad-tags/llm-proxy')).toEqual([])
        expect(result.post?.code).toBe(0)
      } finally {
        await workspace.remove()
      }
    })
  })

  /** The example chart released through a proxy in front of the registry, with every request the proxy saw. */
  const releaseThroughProxy = async (
    namespace: string,
    extra: Record<string, string>,
    github: Record<string, string> = {}
  ) => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    const proxy = await startFaultProxy(registry.host)
    try {
      const inputs = { ...registry.inputs(namespace, proxy.host), chart: 'chart', ...extra }
      const result = await runAction({ workspace: workspace.dir, helm, github, inputs })
      return { ...result, proxyHost: proxy.host, requests: proxy.requests }
    } finally {
      await Promise.all([workspace.remove(), proxy.stop()])
    }
  }

  test('a dry run on a pull request packages the chart as it is and asks the registry nothing', async () => {
    // With a password given, as a workflow shared by tags and pull requests gives one.
    const result = await releaseThroughProxy(
      'dry-run',
      { push: 'false', image: 'ghcr.io/SofaTutor/llm-proxy' },
      { ref: 'refs/pull/7/merge' }
    )
    expect(result.code).toBe(0)
    // No tag, no release: the chart is packaged at its own version, the version outputs stay empty.
    expect(result.outputs).toMatchObject({
      'chart-version': '0.1.0',
      version: '',
      tag: '',
      major: '',
      'major-minor': '',
      'is-prerelease': 'false',
      'is-latest': 'false',
      'docker-tags': 'ghcr.io/sofatutor/llm-proxy:sha-5114f85',
      pushed: 'false',
      digest: ''
    })
    expect(existsSync(result.outputs['package-path'])).toBe(true) // kept for later steps of the job
    expect(result.summary).toContain('Packaged llm-proxy 0.1.0 (not pushed)')
    // No login, no look-up, no push.
    expect(result.requests).toEqual([])
  })

  test('verify: false reads nothing back after the push, and the outputs still name what the registry holds', async () => {
    const result = await releaseThroughProxy('unverified', { verify: 'false' })
    expect(result.code).toBe(0)
    const digest = await registry.manifestDigest('unverified/llm-proxy', '1.2.3')
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(result.outputs).toMatchObject({
      pushed: 'true',
      digest,
      'chart-ref': `${result.proxyHost}/unverified/llm-proxy:1.2.3`,
      public: 'false'
    })
    expect(JSON.parse(result.outputs.charts)).toEqual([expect.objectContaining({ digest, pushed: true, error: '' })])
    expect(result.summary).toContain(digest)
    // helm's push ends with the tag; after it, only the anonymous look-up that tells whether the chart is public.
    const tagPut = result.requests.lastIndexOf('PUT /v2/unverified/llm-proxy/manifests/1.2.3')
    expect(tagPut).toBeGreaterThan(-1)
    expect(result.requests.slice(tagPut + 1)).toEqual([`GET /v2/unverified/llm-proxy/manifests/${digest}`])
    expect(result.stdout).not.toContain('::group::llm-proxy: verify')
  })

  test('lint-strict: a lint warning fails the step, naming the warning, and nothing is pushed', async () => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      // helm lint warns of an API that Kubernetes 1.25 removed; without --strict it passes.
      await writeFile(
        path.join(workspace.dir, 'chart/templates/budget.yaml'),
        'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: budget\nspec:\n  minAvailable: 1\n'
      )
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        inputs: inputs('strict', { chart: 'chart', 'lint-strict': 'true' })
      })
      expect(result.code).toBe(1)
      const error = result.commands[0].commands.find((command: { name: string }) => command.name === 'error')
      expect(error?.data).toMatch(/^helm lint failed \(exit code 1\):\n/)
      expect(error?.data).toContain(
        '[WARNING] templates/budget.yaml: policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+, unavailable in v1.25+'
      )
      expect(error?.data).not.toContain('[ERROR]')
      expect(await registry.tags('strict/llm-proxy')).toEqual([])
    } finally {
      await workspace.remove()
    }
  })

  test('dependencies: file:// and an http repository the action adds itself', async () => {
    const repositoryDir = await mkdtemp(path.join(os.tmpdir(), 'chart-repository-'))
    const server = await serveDirectory(repositoryDir)
    const workspace = await makeWorkspace({
      'charts/app': path.join(FIXTURE_CHARTS, 'app'),
      'charts/common': path.join(FIXTURE_CHARTS, 'common')
    })
    try {
      const helmBin = path.join(helmDir(helm), 'helm')
      await run(helmBin, ['package', path.join(FIXTURE_CHARTS, 'remote'), '--destination', repositoryDir])
      await run(helmBin, ['repo', 'index', repositoryDir, '--url', server.url])
      const chartFile = path.join(workspace.dir, 'charts/app/Chart.yaml')
      await writeFile(chartFile, (await readFile(chartFile, 'utf8')).replace('REMOTE_REPOSITORY', server.url))

      const result = await runAction({
        workspace: workspace.dir,
        helm,
        github: { ref: 'refs/tags/v2.0.0' },
        inputs: inputs('deps', { chart: 'charts/app', 'lint-strict': 'true' }),
        post: false
      })
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('::group::app: build')
      expect(server.requests).toEqual(expect.arrayContaining(['/index.yaml', '/remote-0.3.0.tgz']))
      const { stdout: files } = await run('tar', ['-tzf', result.outputs['package-path']])
      expect(files.split('\n')).toEqual(
        expect.arrayContaining(['app/charts/common/Chart.yaml', 'app/charts/remote/Chart.yaml'])
      )
      expect(result.outputs.digest).toBe(await registry.manifestDigest('deps/app', '2.0.0'))
      expect(existsSync(path.join(result.home, '.config', 'helm'))).toBe(false)
    } finally {
      await Promise.all([workspace.remove(), server.stop(), rm(repositoryDir, { recursive: true, force: true })])
    }
  })

  test('a registry that already ends in the chart name is refused with the one to use', async () => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        inputs: inputs('sofatutor/llm-proxy', { chart: 'chart' })
      })
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(`Set registry to oci://${registry.host}/sofatutor instead.`)
      expect(await registry.tags('sofatutor/llm-proxy/llm-proxy')).toEqual([])
    } finally {
      await workspace.remove()
    }
  })

  test('refused credentials fail the credential check, push nothing and show no password', async () => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    const wrong = 'wrong-password-51c2'
    try {
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        inputs: inputs('refused', { chart: 'chart', password: wrong })
      })
      expect(result.code).toBe(1)
      // Deliberately changed: the error now leads with what happened and the fix, helm's own words below.
      expect(result.stdout).toContain(
        `::error::${registry.host} refused the credentials (401) on the credential check.`
      )
      expect(result.stdout).not.toContain('::group::llm-proxy: push')
      expect(await registry.tags('refused/llm-proxy')).toEqual([])
      expect(visible(result.everything)).not.toContain(wrong)
      expect(result.helmHomesLeft).toEqual([])
    } finally {
      await workspace.remove()
    }
  })
})
