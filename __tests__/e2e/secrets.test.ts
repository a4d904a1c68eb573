// Where the step's secrets may go: the programs it starts see none of them, and a run warns when its helm or
// its plain-http would hand the registry password to someone else.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import os from 'node:os'
import { startFaultProxy } from '../../scripts/harness/fault-proxy.js'
import { recordingPrograms } from '../../scripts/harness/recording-programs.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { DEFAULT_GITHUB, releaseExampleChart } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'

/** What a job may hold in its environment besides the inputs: the runner's tokens and a secret of its own. */
const STEP_SECRETS = {
  ACTIONS_RUNTIME_TOKEN: 'actions-runtime-token-5f2c9e',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-token-request-token-81d4a7',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example.invalid/oidc?secret=3b90ce',
  ACTIONS_CACHE_URL: 'https://cache.example.invalid/secret-0c61fa/',
  GITHUB_TOKEN: 'ghs_job-github-token-d07e13',
  DEPLOY_KEY: 'job-secret-in-env-a4419b',
  HELM_KUBETOKEN: 'kube-token-secret-6e2d58'
}

/** What the programs do need, set to values that show they arrived. */
const PASSED_ON = { NO_PROXY: 'proxy-exempt.example.invalid', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' }

const FIXED = /Helm 4\.2\.1 .*3\.21\.1/
const CLEAR_TEXT = 'clear text'

/** `::warning::` lines of a step's log. */
const warnings = (stdout: string) => stdout.split('\n').filter(line => line.startsWith('::warning::'))

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  beforeAll(async () => {
    registry = await startRegistry()
  })
  afterAll(async () => registry?.stop())

  const release = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
    releaseExampleChart({ helm, inputs, env })

  test('helm and git see none of the step’s secrets, and the release still goes through', async () => {
    const recording = await recordingPrograms(helm)
    const result = await release(registry.inputs('environment'), {
      ...STEP_SECRETS,
      ...PASSED_ON,
      PATH: recording.PATH
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(await registry.tags('environment/llm-proxy')).toEqual(['1.2.3'])

    const calls = await recording.calls()
    // version, lint, package and push at least; git for the tag history.
    expect(calls.filter(call => call.program === 'helm').length).toBeGreaterThanOrEqual(4)
    expect(calls.some(call => call.program === 'git')).toBe(true)
    const secrets = [...Object.values(STEP_SECRETS), registry.password, DEFAULT_GITHUB.token]
    const leaks = calls.flatMap(({ program, env }) =>
      Object.entries(env)
        .filter(
          ([name, value]) =>
            /^(INPUT|ACTIONS|STATE)_/i.test(name) ||
            name in STEP_SECRETS ||
            secrets.some(secret => value.includes(secret))
        )
        // Names only: the failure message must not print a secret.
        .map(([name]) => `${program}: ${name}`)
    )
    expect([...new Set(leaks)]).toEqual([])
    for (const { env } of calls) expect(env).toMatchObject({ ...PASSED_ON, HOME: result.home, TMPDIR: os.tmpdir() })
    for (const { env } of calls.filter(call => call.program === 'helm' && call.env.HELM_REGISTRY_CONFIG)) {
      expect(env.HELM_REGISTRY_CONFIG.startsWith(result.runnerTemp)).toBe(true)
    }
  })

  describe('the password and a blob upload sent to another origin', () => {
    let proxy: Awaited<ReturnType<typeof startFaultProxy>>
    let elsewhere: Awaited<ReturnType<typeof startFaultProxy>>
    beforeAll(async () => {
      proxy = await startFaultProxy(registry.host)
      // Another port on 127.0.0.1 is another origin, as another host would be.
      elsewhere = await startFaultProxy(registry.host)
    })
    afterAll(async () => {
      await proxy?.stop()
      await elsewhere?.stop()
    })

    test(`helm ${helm} hands the password to it; the run warns once, naming the helm releases that do not`, async () => {
      proxy.inject({ method: 'POST', path: /\/blobs\/uploads\/$/, location: elsewhere.host })
      elsewhere.inject()
      const result = await release(registry.inputs('elsewhere', proxy.host))
      expect(result.code).toBe(0)
      expect(await registry.tags('elsewhere/llm-proxy')).toEqual(['1.2.3'])
      // The flaw the warning is about: the upload went elsewhere, with the registry's credentials.
      expect(elsewhere.authorized).toContainEqual(
        expect.stringMatching(/^PUT \/v2\/elsewhere\/llm-proxy\/blobs\/uploads\//)
      )
      // The only warning: plain HTTP to 127.0.0.1 stays on this machine, so no clear-text warning.
      const [warning, ...others] = warnings(result.stdout)
      expect(others).toEqual([])
      expect(warning).toMatch(FIXED)
      expect(warning).toContain('helm-version: 4.2.4')
    })
  })

  // The run goes past the point where the warnings are given (the exit code, the outputs and the error show how
  // far), so that no warning means none was due.
  test.each([
    [
      'push: false',
      { push: 'false' },
      0,
      expect.objectContaining({ pushed: 'false', digest: '', 'chart-version': '1.2.3' }),
      undefined
    ],
    // Refused on the look-up, which comes after the warnings; a run that stops there sets no outputs.
    ['no password', { password: '', retries: '0' }, 1, {}, 'refused the credentials (401) on look-up of']
  ])('%s: no warning about the password', async (_, extra, code, outputs, error) => {
    const result = await release({ ...registry.inputs('quiet'), ...extra })
    expect(result.code).toBe(code)
    expect(result.outputs).toEqual(outputs)
    const errors = result.stdout.split('\n').filter((line: string) => line.startsWith('::error::'))
    expect(errors).toEqual(error ? [expect.stringContaining(error)] : [])
    expect(warnings(result.stdout).filter(line => FIXED.test(line) || line.includes(CLEAR_TEXT))).toEqual([])
  })

  test('plain-http with a password to a host not on this machine warns of clear text before it connects', async () => {
    const result = await release({
      ...registry.inputs('remote'),
      registry: 'oci://registry.example.invalid/remote',
      retries: '0'
    })
    expect(result.code).toBe(1)
    const warning = warnings(result.stdout).find(line => line.includes(CLEAR_TEXT))
    expect(warning).toContain('registry.example.invalid')
    expect(result.stdout.indexOf(warning ?? '')).toBeLessThan(result.stdout.indexOf('::error::'))
  })
})
