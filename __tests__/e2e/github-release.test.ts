// create-release through the bundle of today’s src/ against a loopback GitHub API (GitHub Enterprise layout),
// after a real push to a real registry: the payloads, re-runs that update and that fail half-way, drafts,
// immutable releases, GitHub's failures and rate limits, and the 403. Every test makes its own GitHub and its
// own namespace in the registry, and every asset is compared with the chart layer the registry serves.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { appendFile } from 'node:fs/promises'
import path from 'node:path'
import { startGitHubApi } from '../../scripts/harness/github-api.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { DEFAULT_GITHUB, runAction, visible } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

const TOKEN = DEFAULT_GITHUB.token
const REPO = '/repos/sofatutor/llm-proxy'
const START = '<!-- helm-release-action: charts -->'
const END = '<!-- /helm-release-action: charts -->'

type Api = Awaited<ReturnType<typeof startGitHubApi>>

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const calls = (api: Api) => api.requests.map(request => `${request.method} ${request.path}`)
const occurrences = (text: string | null, part: string) => (text ?? '').split(part).length - 1

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  beforeAll(async () => {
    registry = await startRegistry()
  })
  afterAll(async () => registry?.stop())

  /** A run on a fresh checkout; `edit` changes the chart in it first. */
  const release = async (
    api: { apiUrl: string },
    namespace: string,
    tag: string,
    extra: Record<string, string> = {},
    edit?: (chartDir: string) => Promise<void>
  ) => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      await edit?.(path.join(workspace.dir, 'chart'))
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

  /** The chart section the release body leads with, for the chart in namespace at version. */
  const section = async (namespace: string, version: string) =>
    [
      START,
      '```shell',
      `helm install llm-proxy oci://${registry.host}/${namespace}/llm-proxy --version ${version}`,
      '```',
      '',
      `Chart: \`${registry.host}/${namespace}/llm-proxy:${version}\``,
      `Digest: \`${await registry.manifestDigest(`${namespace}/llm-proxy`, version)}\``,
      END
    ].join('\n')

  /** The asset GitHub holds for the chart the registry serves at version: the same bytes. */
  const assetOf = async (namespace: string, version: string) => {
    const chart = (await registry.chartLayer(`${namespace}/llm-proxy`, version))!
    return { name: `llm-proxy-${version}.tgz`, size: chart.length, digest: `sha256:${sha256(chart)}` }
  }

  /**
   * A re-run with if-exists: skip of a chart changed since it was published. Helm 4 would package the unchanged
   * chart into the registry's very bytes, so an asset equal to the registry's chart would prove nothing; with the
   * change, on either helm, it can only be the published chart the run downloaded.
   */
  const rerun = async (api: Api, namespace: string, tag: string) => {
    const result = await release(api, namespace, tag, { 'if-exists': 'skip' }, chartDir =>
      appendFile(path.join(chartDir, 'values.yaml'), '# changed after the release\n')
    )
    const version = tag.slice(1)
    const digest = await registry.manifestDigest(`${namespace}/llm-proxy`, version)
    // The run's own package differed from the registry's: it was kept as other content, not as the same bytes.
    expect(result.stdout).toContain(
      `::warning::${registry.host}/${namespace}/llm-proxy:${version} is already published (${digest}); ` +
        'not pushed again (if-exists: skip).'
    )
    return result
  }

  /**
   * A run for v1.2.4 whose every upload fails, over the release an earlier run made for v1.2.4 with another
   * package of the chart: that release as it was, and the run.
   */
  const failedUpload = async (api: Api, namespace: string) => {
    const before = api.addRelease({
      tag_name: 'v1.2.4',
      name: 'v1.2.4',
      body: `${START}\nThe chart section of an earlier run\n${END}\n\n## What's Changed\n* Earlier notes\n`,
      assets: [{ name: 'llm-proxy-1.2.4.tgz', bytes: Buffer.from('an earlier package of the chart') }]
    })
    // A small retry-after keeps the test fast; every try fails.
    api.fail({
      method: 'POST',
      path: /^uploads:/,
      status: 500,
      times: 5,
      body: { message: 'Server Error' },
      headers: { 'retry-after': '0' }
    })
    return { before, result: await release(api, namespace, 'v1.2.4') }
  }

  describe('a new tag, then re-runs of it', () => {
    // A GitHub of its own for every test: no test reads releases or a latest another one left.
    let api: Api
    beforeEach(async () => {
      api = await startGitHubApi({ token: TOKEN })
    })
    afterEach(async () => api?.stop())

    test('creates a draft with the install line, reference, digest and notes, attaches the chart, then publishes it', async () => {
      const result = await release(api, 'created', 'v1.2.3')
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const body = `${await section('created', '1.2.3')}\n\n## What's Changed\n* Ship it by @dev\n`

      expect(calls(api)).toEqual([
        `GET ${REPO}/releases/tags/v1.2.3`,
        `GET ${REPO}/releases`,
        `POST ${REPO}/releases/generate-notes`,
        `POST ${REPO}/releases`,
        `POST uploads:${REPO}/releases/1000/assets`,
        `PATCH ${REPO}/releases/assets/1001`,
        `PATCH ${REPO}/releases/1000`
      ])
      expect(api.requests.every(request => request.authorization?.endsWith(` ${TOKEN}`))).toBe(true)
      expect(api.requests[1].query).toEqual({ per_page: '100' })
      expect(api.requests[2].body).toEqual({ tag_name: 'v1.2.3', target_commitish: DEFAULT_GITHUB.sha })
      expect(api.requests[3].body).toEqual({
        tag_name: 'v1.2.3',
        target_commitish: DEFAULT_GITHUB.sha,
        name: 'v1.2.3',
        prerelease: false,
        draft: true,
        body
      })
      // Uploaded under a name nobody downloads, then renamed once complete.
      expect(api.requests[4]).toMatchObject({
        query: { name: 'llm-proxy-1.2.3.tgz.part' },
        contentType: 'application/gzip'
      })
      expect(api.requests[5].body).toEqual({ name: 'llm-proxy-1.2.3.tgz' })
      expect(api.requests[6].body).toEqual({
        tag_name: 'v1.2.3',
        name: 'v1.2.3',
        prerelease: false,
        body,
        draft: false,
        // The workspace has no git history to compare with, so auto falls back to "stable → latest".
        make_latest: 'true'
      })
      expect(api.releases).toHaveLength(1)
      const [made] = api.releases
      // The asset is byte for byte the chart the registry holds.
      expect(made).toMatchObject({ draft: false, name: 'v1.2.3', body, assets: [await assetOf('created', '1.2.3')] })
      expect(made.html_url).toMatch(/\/releases\/tag\/v1\.2\.3$/)
      expect(api.latest).toBe('v1.2.3')
      expect(result.outputs['release-url']).toBe(made.html_url)
      expect(result.summary).toContain(made.html_url)
      expect(result.stdout).toContain('::group::GitHub Release')
      expect(visible(result.everything)).not.toContain(TOKEN)
    })

    test('a re-run keeps the chart attached for the very chart the registry holds, not a new package of it', async () => {
      expect((await release(api, 'rerun', 'v1.2.3')).code).toBe(0)
      const [before] = api.releases
      api.requests.length = 0
      const result = await rerun(api, 'rerun', 'v1.2.3')
      expect(result.code).toBe(0)
      expect(calls(api)).toEqual([`GET ${REPO}/releases/tags/v1.2.3`, `PATCH ${REPO}/releases/${before.id}`])
      expect(api.releases).toEqual([before])
      expect(api.releases[0].assets).toEqual([expect.objectContaining(await assetOf('rerun', '1.2.3'))])
      expect(result.stdout).toContain('llm-proxy-1.2.3.tgz is attached already, for the chart the registry holds')
      expect(result.outputs['release-url']).toBe(before.html_url)
    })

    test('a run whose upload keeps failing leaves the previous chart attached and says a re-run completes it', async () => {
      const { before, result } = await failedUpload(api, 'failed-upload')
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        `::error::Could not upload llm-proxy-1.2.4.tgz.part for v1.2.4 in sofatutor/llm-proxy at ${api.apiUrl} ` +
          '(HTTP 500: Server Error, after 5 tries). The GitHub Release still holds the previous ' +
          'llm-proxy-1.2.4.tgz. The chart is in the registry; a re-run with if-exists: skip completes the ' +
          'GitHub Release.'
      )
      expect(result.stdout).toContain(
        `GitHub answered POST ${api.apiUrl.replace('/api/v3', '/api/uploads')}${REPO}/releases/${before.id}/assets ` +
          'with HTTP 500 (Server Error); trying again in 0 s.'
      )
      expect(calls(api)).toEqual([
        `GET ${REPO}/releases/tags/v1.2.4`,
        ...Array(5).fill(`POST uploads:${REPO}/releases/${before.id}/assets`)
      ])
      expect(api.releases).toEqual([before])
      // The chart is published, and the outputs say so: no release URL, the registry's digest.
      expect(result.outputs).toMatchObject({
        'release-url': '',
        pushed: 'true',
        digest: await registry.manifestDigest('failed-upload/llm-proxy', '1.2.4')
      })
    })

    test('the re-run it asks for replaces the chart and the chart section, keeping the notes; no second release', async () => {
      const { before, result: failed } = await failedUpload(api, 'completed')
      expect(failed.code).toBe(1)
      api.requests.length = 0
      const result = await rerun(api, 'completed', 'v1.2.4')
      expect(result.code).toBe(0)
      expect(calls(api)).toEqual([
        `GET ${REPO}/releases/tags/v1.2.4`,
        `POST uploads:${REPO}/releases/${before.id}/assets`,
        `DELETE ${REPO}/releases/assets/${before.assets[0].id}`,
        expect.stringMatching(new RegExp(`^PATCH ${REPO}/releases/assets/\\d+$`)),
        `PATCH ${REPO}/releases/${before.id}`
      ])
      expect(api.requests[3].body).toEqual({ name: 'llm-proxy-1.2.4.tgz' })
      expect(api.releases).toHaveLength(1)
      const [after] = api.releases
      expect(after.id).toBe(before.id)
      expect(after.assets).toEqual([expect.objectContaining(await assetOf('completed', '1.2.4'))])
      expect(after.body).toBe(`${await section('completed', '1.2.4')}\n\n## What's Changed\n* Earlier notes\n`)
      expect(after.draft).toBe(false)
      expect(api.latest).toBe('v1.2.4')
      expect(result.outputs['release-url']).toBe(before.html_url)
    })

    test('a prerelease is marked so and never made latest', async () => {
      api.addRelease({ tag_name: 'v1.2.4', name: 'v1.2.4' })
      const result = await release(api, 'prerelease', 'v2.0.0-rc.1')
      expect(result.code).toBe(0)
      const create = api.requests.find(request => request.method === 'POST' && request.path.endsWith('/releases'))
      expect(create?.body).toMatchObject({ tag_name: 'v2.0.0-rc.1', prerelease: true, draft: true })
      expect(api.requests.at(-1)?.body).toMatchObject({ prerelease: true, draft: false, make_latest: 'false' })
      expect(api.releases.find(made => made.tag_name === 'v2.0.0-rc.1')).toMatchObject({
        prerelease: true,
        draft: false
      })
      expect(api.latest).toBe('v1.2.4')
    })

    test('push: false creates nothing and calls no API', async () => {
      const result = await release(api, 'dry', 'v3.0.0', { push: 'false' })
      expect(result.code).toBe(0)
      expect(api.requests).toEqual([])
      expect(result.outputs['release-url']).toBe('')
      expect(result.stdout).toContain('Not creating a release: push is false')
    })
  })
  test('a draft for the tag, past the first page of releases, is completed and published, its notes kept', async () => {
    const api = await startGitHubApi({ token: TOKEN })
    try {
      const draft = api.addRelease({
        tag_name: 'v1.2.3',
        name: 'Spring release',
        body: 'Hand-written notes.',
        draft: true
      })
      // Newer releases push the draft onto the second page of the list.
      for (let minor = 0; minor < 100; minor++) api.addRelease({ tag_name: `v0.${minor}.0`, name: `v0.${minor}.0` })
      const result = await release(api, 'drafted', 'v1.2.3')
      expect(result.code).toBe(0)
      const body = `${await section('drafted', '1.2.3')}\n\nHand-written notes.\n`
      expect(calls(api)).toEqual([
        `GET ${REPO}/releases/tags/v1.2.3`,
        `GET ${REPO}/releases`,
        `GET ${REPO}/releases`,
        `POST uploads:${REPO}/releases/${draft.id}/assets`,
        expect.stringMatching(new RegExp(`^PATCH ${REPO}/releases/assets/\\d+$`)),
        `PATCH ${REPO}/releases/${draft.id}`
      ])
      expect(api.requests[2].query).toEqual({ per_page: '100', page: '2' })
      expect(api.requests.at(-1)?.body).toMatchObject({
        name: 'Spring release',
        body,
        draft: false,
        make_latest: 'true'
      })
      expect(api.releases).toHaveLength(101)
      const completed = api.releases[0]
      expect(completed).toMatchObject({
        id: draft.id,
        draft: false,
        name: 'Spring release',
        body,
        assets: [await assetOf('drafted', '1.2.3')]
      })
      expect(completed.html_url).toMatch(/\/releases\/tag\/v1\.2\.3$/)
      expect(draft.html_url).toMatch(/\/releases\/tag\/untagged-[0-9a-f]+$/)
      expect(result.outputs['release-url']).toBe(completed.html_url)

      // A re-run finds it published and replaces the chart section instead of adding a second one.
      api.requests.length = 0
      const again = await rerun(api, 'drafted', 'v1.2.3')
      expect(again.code).toBe(0)
      expect(calls(api)[0]).toBe(`GET ${REPO}/releases/tags/v1.2.3`)
      expect(api.releases[0].body).toBe(body)
      expect(api.releases[0].assets).toEqual([expect.objectContaining(await assetOf('drafted', '1.2.3'))])
      expect(occurrences(api.releases[0].body, START)).toBe(1)
      expect(occurrences(api.releases[0].body, 'Hand-written notes.')).toBe(1)
    } finally {
      await api.stop()
    }
  })

  describe('a repository with immutable releases', () => {
    let api: Api
    beforeEach(async () => {
      api = await startGitHubApi({ token: TOKEN, immutable: true })
    })
    afterEach(async () => api?.stop())

    test('a new release gets its chart: attached while a draft, then published and sealed', async () => {
      const result = await release(api, 'sealed', 'v1.2.3')
      expect(result.code).toBe(0)
      expect(api.releases).toEqual([
        expect.objectContaining({
          draft: false,
          immutable: true,
          assets: [expect.objectContaining(await assetOf('sealed', '1.2.3'))]
        })
      ])
      expect(result.outputs['release-url']).toBe(api.releases[0].html_url)
    })

    test('a re-run leaves the sealed release as it is: it was made for the chart the registry holds', async () => {
      expect((await release(api, 'sealed-rerun', 'v1.2.3')).code).toBe(0)
      const [before] = api.releases
      expect(before.immutable).toBe(true)
      api.requests.length = 0
      const result = await rerun(api, 'sealed-rerun', 'v1.2.3')
      expect(result.code).toBe(0)
      expect(calls(api)).toEqual([`GET ${REPO}/releases/tags/v1.2.3`])
      expect(api.releases).toEqual([before])
      expect(result.outputs['release-url']).toBe(before.html_url)
      expect(result.stdout).toContain('is published and immutable, and holds these charts already; left as it is')
    })

    test('a sealed release without the chart fails, naming the release and the fix, and is left as it is', async () => {
      const other = api.addRelease({
        tag_name: 'v2.0.0',
        name: 'v2.0.0',
        body: 'Made by hand.',
        assets: [{ name: 'llm-proxy-2.0.0.tgz', bytes: Buffer.from('not the chart') }]
      })
      const result = await release(api, 'sealed-other', 'v2.0.0')
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        `::error::The GitHub Release for v2.0.0 (${other.html_url}) is published and immutable, and its ` +
          `llm-proxy-2.0.0.tgz is not the chart pushed (sha256:${sha256(Buffer.from('not the chart'))}, 13 bytes;`
      )
      expect(result.stdout).toContain('release it as a new version with a new tag.')
      expect(calls(api)).toEqual([`GET ${REPO}/releases/tags/v2.0.0`])
      expect(api.releases).toEqual([other])
      expect(await registry.tags('sealed-other/llm-proxy')).toEqual(['2.0.0'])
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
        /GitHub answered POST \/repos\/sofatutor\/llm-proxy\/releases\/generate-notes with HTTP 502 \(Bad Gateway\); trying again in 1 s/
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
