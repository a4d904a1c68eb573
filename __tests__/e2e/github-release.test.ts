// create-release through the bundle of today’s src/ against a loopback GitHub API (GitHub Enterprise layout),
// after a real push to a real registry: the payloads, the re-run that updates, GitHub's failures and rate
// limits, and the 403.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { startGitHubApi } from '../../scripts/harness/github-api.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { DEFAULT_GITHUB, runAction, visible } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

const TOKEN = DEFAULT_GITHUB.token
const REPO = '/repos/sofatutor/llm-proxy'

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const calls = (api: { requests: { method: string; path: string }[] }) =>
  api.requests.map(request => `${request.method} ${request.path}`)

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  beforeAll(async () => {
    registry = await startRegistry()
  })
  afterAll(async () => registry?.stop())

  const release = async (
    api: { apiUrl: string },
    namespace: string,
    tag: string,
    extra: Record<string, string> = {}
  ) => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      return await runAction({
        workspace: workspace.dir,
        helm,
        github: { ref: `refs/tags/${tag}`, repository: 'sofatutor/llm-proxy' },
        inputs: {
          chart: 'chart',
          ...registry.inputs(namespace),
          'create-release': 'true',
          ...extra
        },
        env: { GITHUB_API_URL: api.apiUrl }
      })
    } finally {
      await workspace.remove()
    }
  }

  /** The asset GitHub holds for the chart the registry serves at version: the same bytes. */
  const assetOf = async (namespace: string, version: string) => {
    const chart = (await registry.chartLayer(`${namespace}/llm-proxy`, version))!
    return { name: `llm-proxy-${version}.tgz`, size: chart.length, digest: `sha256:${sha256(chart)}` }
  }

  describe('a new tag, then a re-run of it', () => {
    let api: Awaited<ReturnType<typeof startGitHubApi>>
    beforeAll(async () => {
      api = await startGitHubApi({ token: TOKEN })
    })
    afterAll(async () => api?.stop())

    test('creates the release with the install line, reference, digest and notes, and attaches the chart', async () => {
      const result = await release(api, 'created', 'v1.2.3')
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const digest = await registry.manifestDigest('created/llm-proxy', '1.2.3')
      const chart = await registry.chartLayer('created/llm-proxy', '1.2.3')

      expect(api.requests.map(request => `${request.method} ${request.path}`)).toEqual([
        'GET /repos/sofatutor/llm-proxy/releases/tags/v1.2.3',
        'POST /repos/sofatutor/llm-proxy/releases/generate-notes',
        'POST /repos/sofatutor/llm-proxy/releases',
        'POST uploads:/repos/sofatutor/llm-proxy/releases/1000/assets'
      ])
      expect(api.requests.every(request => request.authorization?.endsWith(` ${TOKEN}`))).toBe(true)
      expect(api.requests[1].body).toEqual({ tag_name: 'v1.2.3', target_commitish: DEFAULT_GITHUB.sha })
      expect(api.requests[2].body).toEqual({
        tag_name: 'v1.2.3',
        target_commitish: DEFAULT_GITHUB.sha,
        name: 'v1.2.3',
        prerelease: false,
        // The workspace has no git history to compare with, so auto falls back to "stable → latest".
        make_latest: 'true',
        body: [
          '```shell',
          `helm install llm-proxy oci://${registry.host}/created/llm-proxy --version 1.2.3`,
          '```',
          '',
          `Chart: \`${registry.host}/created/llm-proxy:1.2.3\``,
          `Digest: \`${digest}\``,
          '',
          "## What's Changed",
          '* Ship it by @dev',
          ''
        ].join('\n')
      })
      expect(api.requests[3]).toMatchObject({
        query: { name: 'llm-proxy-1.2.3.tgz' },
        contentType: 'application/gzip',
        // The asset is byte for byte the chart the registry holds.
        body: { bytes: chart!.length, sha256: createHash('sha256').update(chart!).digest('hex') }
      })
      expect(api.releases).toHaveLength(1)
      expect(result.outputs['release-url']).toBe(api.releases[0].html_url)
      expect(result.summary).toContain(api.releases[0].html_url)
      expect(result.stdout).toContain('::group::GitHub Release')
      expect(visible(result.everything)).not.toContain(TOKEN)
    })

    test('a re-run updates that release and replaces its asset; no second release', async () => {
      const first = api.releases[0]
      const oldAsset = first.assets[0].id
      api.requests.length = 0
      // The chart is already published by the first run; if-exists: skip is how a re-run says that is fine.
      const result = await release(api, 'created', 'v1.2.3', { 'if-exists': 'skip' })
      expect(result.code).toBe(0)
      expect(api.requests.map(request => `${request.method} ${request.path}`)).toEqual([
        'GET /repos/sofatutor/llm-proxy/releases/tags/v1.2.3',
        'POST /repos/sofatutor/llm-proxy/releases/generate-notes',
        `PATCH /repos/sofatutor/llm-proxy/releases/${first.id}`,
        `DELETE /repos/sofatutor/llm-proxy/releases/assets/${oldAsset}`,
        `POST uploads:/repos/sofatutor/llm-proxy/releases/${first.id}/assets`
      ])
      expect(api.requests[2].body).toMatchObject({ tag_name: 'v1.2.3', name: 'v1.2.3', prerelease: false })
      expect(api.releases).toHaveLength(1)
      expect(api.releases[0].assets.map((asset: { name: string }) => asset.name)).toEqual(['llm-proxy-1.2.3.tgz'])
      expect(api.releases[0].assets[0].id).not.toBe(oldAsset)
      expect(result.outputs['release-url']).toBe(first.html_url)
    })

    test('a prerelease is marked so and never made latest', async () => {
      api.requests.length = 0
      const result = await release(api, 'created', 'v2.0.0-rc.1')
      expect(result.code).toBe(0)
      const create = api.requests.find(request => request.method === 'POST' && request.path.endsWith('/releases'))
      expect(create?.body).toMatchObject({ tag_name: 'v2.0.0-rc.1', prerelease: true, make_latest: 'false' })
    })

    test('push: false creates nothing and calls no API', async () => {
      api.requests.length = 0
      const result = await release(api, 'dry', 'v3.0.0', { push: 'false' })
      expect(result.code).toBe(0)
      expect(api.requests).toEqual([])
      expect(result.outputs['release-url']).toBe('')
      expect(result.stdout).toContain('Not creating a release: push is false')
    })
  })

  test('GitHub’s server errors and rate limits are waited out, and the release completes', async () => {
    const api = await startGitHubApi({ token: TOKEN })
    try {
      // No retry-after: the first back-off, one second.
      api.fail({ method: 'POST', path: `${REPO}/releases/generate-notes`, status: 502 })
      api.fail({
        method: 'POST',
        path: `${REPO}/releases`,
        status: 429,
        body: { message: 'API rate limit exceeded' },
        headers: { 'retry-after': '0' }
      })
      api.fail({
        method: 'POST',
        path: /^uploads:/,
        status: 403,
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
        headers: { 'retry-after': '0' }
      })
      const result = await release(api, 'retried', 'v1.2.3')
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(
        /GitHub answered POST \S+generate-notes with HTTP 502 \(Bad Gateway\); trying again in 1 s/
      )
      expect(result.stdout).toMatch(/with HTTP 429 \(API rate limit exceeded\); trying again in 0 s/)
      expect(result.stdout).toMatch(
        /with HTTP 403 \(You have exceeded a secondary rate limit\. .*\); trying again in 0 s/
      )
      expect(calls(api).filter(call => call === `POST ${REPO}/releases/generate-notes`)).toHaveLength(2)
      expect(api.releases).toEqual([
        expect.objectContaining({ draft: false, assets: [expect.objectContaining(await assetOf('retried', '1.2.3'))] })
      ])
    } finally {
      await api.stop()
    }
  })

  test('a rate limit that asks for a longer wait than the step allows fails at once with GitHub’s message', async () => {
    const api = await startGitHubApi({ token: TOKEN })
    try {
      api.fail({
        method: 'POST',
        path: `${REPO}/releases/generate-notes`,
        status: 429,
        body: { message: 'API rate limit exceeded' },
        headers: { 'retry-after': '120' }
      })
      const result = await release(api, 'limited', 'v1.2.3')
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        `::error::GitHub's rate limit stopped the request to generate release notes for v1.2.3 in ` +
          `sofatutor/llm-proxy at ${api.apiUrl} (HTTP 429: API rate limit exceeded), and the action waits 60 s ` +
          'for GitHub at most. The chart is in the registry; a re-run with if-exists: skip, once the limit has ' +
          'passed, completes the GitHub Release.'
      )
      expect(api.releases).toEqual([])
    } finally {
      await api.stop()
    }
  })

  test('a token without contents: write gets an error that says so, and how to re-run', async () => {
    const api = await startGitHubApi({ token: TOKEN, readOnly: true })
    try {
      const result = await release(api, 'read-only', 'v1.2.3')
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        `::error::GitHub refused to generate release notes for v1.2.3 in sofatutor/llm-proxy at ${api.apiUrl} ` +
          '(HTTP 403: Resource not accessible by integration). The token lacks the contents: write permission: ' +
          'add "permissions: contents: write" to the job, or pass a token that has it as github-token. The ' +
          'chart is already pushed: after that, a re-run with if-exists: skip creates the GitHub Release ' +
          'without pushing it again.'
      )
      expect(api.releases).toEqual([])
      expect(visible(result.everything)).not.toContain(TOKEN)
    } finally {
      await api.stop()
    }
  })

  test('an empty github-token is refused before anything is pushed', async () => {
    const api = await startGitHubApi({ token: TOKEN })
    try {
      const result = await release(api, 'no-token', 'v1.2.3', { 'github-token': '' })
      expect(result.code).toBe(1)
      expect(result.stdout).toContain('::error::Input github-token is empty')
      expect(await registry.tags('no-token/llm-proxy')).toEqual([])
      expect(api.requests).toEqual([])
    } finally {
      await api.stop()
    }
  })
})
