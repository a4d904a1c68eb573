// Every GitHub API request has the input timeout to answer whole, and every answer the step uses is checked before
// it is read: a GitHub that drips its answer, or sends JSON cut short, costs a try of the existing retry budget,
// and in the end a message that names the call, says the chart is in the registry and how to re-run. Bundle of
// today's src/, a real registry, the loopback GitHub API dripping or truncating the answers a test names.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { startGitHubApi } from '../../scripts/harness/github-api.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { DEFAULT_GITHUB, runAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

const REPO = '/repos/sofatutor/llm-proxy'
const NOTES = `${REPO}/releases/generate-notes`
const BY_TAG = `${REPO}/releases/tags/v1.2.3`
// Short enough to keep the tests quick, long enough for a run's registry calls on a busy machine (helm's local
// work gets at least 5m whatever the input says).
const TIMEOUT = '3s'
const RERUN = 'The chart is in the registry; a re-run with if-exists: skip completes the GitHub Release.'

type Api = Awaited<ReturnType<typeof startGitHubApi>>

// GitHub is not helm's business: the newest helm is enough.
describe(`Helm ${HELM_VERSIONS[0]}`, () => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  beforeAll(async () => {
    registry = await startRegistry()
  })
  afterAll(async () => registry?.stop())

  const withApi = async (work: (api: Api) => Promise<void>) => {
    const api = await startGitHubApi({ token: DEFAULT_GITHUB.token })
    try {
      await work(api)
    } finally {
      await api.stop()
    }
  }

  /** A run of v1.2.3 with a GitHub Release, and how long it took. */
  const release = async (api: Api, namespace: string, extra: Record<string, string> = {}) => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      const result = await runAction({
        workspace: workspace.dir,
        helm: HELM_VERSIONS[0],
        github: { ref: 'refs/tags/v1.2.3', repository: 'sofatutor/llm-proxy' },
        inputs: {
          chart: 'chart',
          ...registry.inputs(namespace),
          'create-release': 'true',
          timeout: TIMEOUT,
          ...extra
        },
        env: { GITHUB_API_URL: api.apiUrl }
      })
      return result
    } finally {
      await workspace.remove()
    }
  }
  const calls = (api: Api, method: string, path: string) =>
    api.requests.filter(request => request.method === method && request.path === path).length

  test('an answer that drips is cut off at the timeout and tried again, and the release completes', async () => {
    await withApi(async api => {
      // A byte a second: the notes would take a minute to arrive whole.
      api.drip({ method: 'POST', path: NOTES, intervalMs: 1000 })
      const result = await release(api, 'dripped')
      expect(result.stdout).toContain(
        `GitHub's answer to POST ${NOTES} did not come whole within ${TIMEOUT} (input timeout); trying again in 1 s.`
      )
      expect(result.code).toBe(0)
      expect(calls(api, 'POST', NOTES)).toBe(2)
      expect(api.releases).toEqual([
        expect.objectContaining({ draft: false, body: expect.stringContaining('Ship it') })
      ])
    })
  })

  test('an answer that drips on every try fails within the budget, naming the call, the chart and the re-run', async () => {
    await withApi(async api => {
      api.drip({ method: 'POST', path: NOTES, intervalMs: 1000, times: 5 })
      const result = await release(api, 'always-dripped')
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        `::error::Could not generate release notes for v1.2.3 in sofatutor/llm-proxy at ${api.apiUrl} (GitHub's ` +
          `answer to POST ${NOTES} did not come whole within ${TIMEOUT} (input timeout), after 5 tries). ${RERUN}`
      )
      expect(calls(api, 'POST', NOTES)).toBe(5)
      expect(api.releases).toEqual([])
      expect(result.outputs).toMatchObject({ pushed: 'true', 'release-url': '' })
    })
  })

  test('a truncated JSON answer is tried again, and the re-run completes the release', async () => {
    await withApi(async api => {
      expect((await release(api, 'truncated')).code).toBe(0)
      api.truncate({ method: 'GET', path: BY_TAG })
      const result = await release(api, 'truncated', { 'if-exists': 'skip' })
      expect(result.stdout).toContain(
        `GitHub's answer to GET ${BY_TAG} is malformed: the release is text, not JSON; trying again in 1 s.`
      )
      expect(result.code).toBe(0)
      expect(calls(api, 'GET', BY_TAG)).toBe(3)
      expect(api.releases).toHaveLength(1)
      expect(result.outputs['release-url']).toBe(api.releases[0].html_url)
    })
  })

  test('an answer truncated on every try ends in a message that names it malformed, with the re-run advice', async () => {
    await withApi(async api => {
      expect((await release(api, 'always-truncated')).code).toBe(0)
      const before = api.releases
      api.truncate({ method: 'GET', path: BY_TAG, times: 5 })
      const result = await release(api, 'always-truncated', { 'if-exists': 'skip' })
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        `::error::Could not look up the release for v1.2.3 in sofatutor/llm-proxy at ${api.apiUrl} (GitHub's answer ` +
          `to GET ${BY_TAG} is malformed: the release is text, not JSON, after 5 tries). ${RERUN}`
      )
      expect(api.releases).toEqual(before)
    })
  })
})
