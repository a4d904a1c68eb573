// What the action reads of the registry, it reads itself: the look-up, the verification and whether the chart is
// public go over HTTP (a token server in front of the registry, as ghcr.io works, and Basic auth), and helm is
// called only to build and push. A re-run whose package is byte for byte what the registry holds succeeds.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { recordingPrograms } from '../../scripts/harness/recording-programs.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { releaseExampleChart, visible } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'

/** Reproducible packages need a helm that keeps the files' times (see docs/how-it-works.md). */
const REPRODUCIBLE = new Set(['4.1.4'])

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  let tokenRegistry: Awaited<ReturnType<typeof startRegistry>>
  let basicRegistry: Awaited<ReturnType<typeof startRegistry>>
  beforeAll(async () => {
    ;[tokenRegistry, basicRegistry] = await Promise.all([
      startRegistry({ auth: 'token', publicNamespaces: ['open'] }),
      startRegistry()
    ])
  })
  afterAll(async () => Promise.all([tokenRegistry?.stop(), basicRegistry?.stop()]))

  const release = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
    releaseExampleChart({ helm, inputs, env })

  test.each([
    ['token auth, a public namespace', 'true', 'token', 'open'],
    ['token auth, a private namespace', 'false', 'token', 'closed'],
    ['Basic auth', 'false', 'basic', 'basic']
  ])('%s: looked up, pushed, verified, public=%s; helm only builds and pushes', async (_, isPublic, auth, ns) => {
    const registry = auth === 'token' ? tokenRegistry : basicRegistry
    const recording = await recordingPrograms(helm)
    const result = await release(registry.inputs(ns), { PATH: recording.PATH })
    expect(result.code).toBe(0)
    const ref = `${registry.host}/${ns}/llm-proxy:1.2.3`
    const digest = await registry.manifestDigest(`${ns}/llm-proxy`, '1.2.3')
    expect(result.outputs).toMatchObject({ pushed: 'true', digest, public: isPublic })
    expect(JSON.parse(result.outputs.charts)[0]).toMatchObject({ digest, public: isPublic === 'true' })
    expect(result.stdout).toContain(`${ref} does not exist yet.`)
    expect(result.stdout).toContain(`${ref} resolves to ${digest}: llm-proxy 1.2.3, as pushed.`)

    const helmCalls = (await recording.calls())
      .filter(call => call.program === 'helm')
      .map(call => call.args.slice(0, ['dependency', 'registry'].includes(call.args[0]) ? 2 : 1).join(' '))
      .sort()
    expect(helmCalls).toEqual(['lint', 'package', 'push', 'version'])
  })

  test('a wrong password fails the credential check before anything is pushed, and shows no password', async () => {
    const result = await release({ ...tokenRegistry.inputs('wrong'), password: 'not-the-password-91c2' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `::error::${tokenRegistry.host} refused the credentials (401) on the credential check.`
    )
    expect(visible(result.everything)).not.toContain('not-the-password-91c2')
    expect(result.helmHomesLeft).toEqual([])
    expect(await tokenRegistry.tags('wrong/llm-proxy')).toEqual([])
  })

  test('a re-run on a fresh checkout of the same tag, in a later second', async () => {
    const first = await release(tokenRegistry.inputs('rerun'))
    expect(first.code).toBe(0)
    // Helm 3 writes the time of packaging into the archive, rounded to the nearest second (Go's tar writer): only
    // a package made a whole second after the first is sure to differ. Helm 4 packages the files' times, which
    // the action sets, whatever the time.
    await new Promise(resolve => setTimeout(resolve, 1000))
    const again = await release(tokenRegistry.inputs('rerun'))
    const ref = `${tokenRegistry.host}/rerun/llm-proxy:1.2.3`
    if (REPRODUCIBLE.has(helm)) {
      // The same bytes: the release is already done, whatever if-exists (fail by default) says.
      expect(again.code).toBe(0)
      expect(again.outputs).toMatchObject({ pushed: 'false', digest: first.outputs.digest, public: 'false' })
      expect(again.stdout).toContain(`${ref} (${first.outputs.digest}) already holds this run's package byte for byte`)
    } else {
      // Other bytes, so if-exists (fail by default) refuses them.
      expect(again.code).toBe(1)
      expect(again.stdout).toContain(`::error::${ref} is already published (${first.outputs.digest})`)
    }
    expect(again.stdout).not.toContain('::group::llm-proxy: push')
    expect(await tokenRegistry.manifestDigest('rerun/llm-proxy', '1.2.3')).toBe(first.outputs.digest)
  })
})
