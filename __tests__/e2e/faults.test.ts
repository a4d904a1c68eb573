// Registry faults, injected by a proxy of our own between helm and the real registry. Each case checks the
// step's outcome and that the registry holds either nothing at the reference or the complete, verified chart.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { startFaultProxy } from '../../scripts/harness/fault-proxy.js'
import { holdClosedPort, startRegistry } from '../../scripts/harness/registry.js'
import { runAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

type Registry = Awaited<ReturnType<typeof startRegistry>>
type Result = Awaited<ReturnType<typeof runAction>>

const BLOB_UPLOAD = /\/blobs\/uploads\/.+/
const MANIFEST = /\/manifests\//
/** The chart's tag, not its digest: the request that publishes the version, and the verification's. */
const TAG = /\/manifests\/1\.2\.3$/

/**
 * The run, failing the test once it has not ended after `seconds`, far more than its time limits and waits add up
 * to: a stall the action never stops fails here, saying so, rather than at jest's timeout.
 */
async function endsWithin<T>(seconds: number, run: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`The run did not end within ${seconds} s: nothing stopped the stalled call.`)),
      seconds * 1000
    )
  })
  try {
    return await Promise.race([run, late])
  } finally {
    clearTimeout(timer)
  }
}

/** 'nothing' or 'complete'; fails the test on anything in between (a tag without its chart, a wrong digest). */
async function registryState(registry: Registry, namespace: string, result: Result): Promise<'nothing' | 'complete'> {
  const repository = `${namespace}/llm-proxy`
  const tags = await registry.tags(repository)
  if (tags.length === 0) return 'nothing'
  expect(tags).toEqual(['1.2.3'])
  const digest = await registry.manifestDigest(repository, '1.2.3')
  expect(await registry.chartConfig(repository, '1.2.3')).toMatchObject({ name: 'llm-proxy', version: '1.2.3' })
  if (result.code === 0) expect(result.outputs.digest).toBe(digest)
  return 'complete'
}

describe.each(HELM_VERSIONS)('Helm %s behind a faulty network', helm => {
  let registry: Registry
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>
  beforeAll(async () => {
    registry = await startRegistry()
    proxy = await startFaultProxy(registry.host)
  })
  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })
  beforeEach(() => proxy.inject())

  const release = async (namespace: string, extra: Record<string, string> = {}, host = proxy.host) => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      return await runAction({
        workspace: workspace.dir,
        helm,
        inputs: {
          chart: 'chart',
          ...registry.inputs(namespace, host),
          ...extra
        }
      })
    } finally {
      await workspace.remove()
    }
  }

  test('3× 503 on the manifest, then the registry recovers: helm’s own retries carry it, verified', async () => {
    proxy.inject({ method: 'PUT', path: MANIFEST, status: 503, times: 3 })
    const result = await release('flaky')
    expect(result.code).toBe(0)
    expect(proxy.requests.filter(line => line.endsWith('-> 503'))).toHaveLength(3)
    expect(await registryState(registry, 'flaky', result)).toBe('complete')
    expect(result.stdout).toContain('::group::llm-proxy: verify ')
    expect(result.stdout).toContain('retries HTTP 429 and 5xx itself, five times within about 7 s on each attempt')
  })

  test('a 20 s outage from the first upload on outlasts helm’s own retries; the action’s backoff carries it', async () => {
    proxy.inject({ method: 'POST', path: /\/blobs\/uploads\/$/, status: 503, seconds: 20 })
    const result = await release('outage')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      'Registry retries: up to 3 more attempt(s) after a refused or reset connection, a timeout, HTTP 429 or 5xx'
    )
    expect(result.stdout).toMatch(
      /push: attempt 1 of 4 failed \(server, after helm’s five quick retries\); retrying in [0-9]+ ms/
    )
    // helm's one call retries each request five times; the outage outlasts that, the action's attempts do not.
    expect(proxy.requests.filter(line => line.endsWith('-> 503')).length).toBeGreaterThanOrEqual(12)
    expect(await registryState(registry, 'outage', result)).toBe('complete')
    expect(result.stdout).toContain('::group::llm-proxy: verify ')
  })

  test('a registry that keeps answering 503 fails the step after helm’s retries within each of the action’s', async () => {
    proxy.inject({ method: 'PUT', path: MANIFEST, status: 503 })
    const result = await release('down', { retries: '1' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `::error::${proxy.host} kept failing with a server error (5xx) on push (2 attempts, each retried five times by helm).`
    )
    expect(result.stdout).toMatch(
      /push: attempt 1 of 2 failed \(server, after helm’s five quick retries\); retrying in [0-9]+ ms/
    )
    // Two calls of helm, each with its own five retries: bounded, 2 × 6.
    expect(proxy.requests.filter(line => line.startsWith('PUT') && line.endsWith('-> 503'))).toHaveLength(12)
    expect(await registryState(registry, 'down', result)).toBe('nothing')
    expect(result.helmHomesLeft).toEqual([])
  })

  test('a connection reset mid-upload is retried by the action and the chart lands complete', async () => {
    proxy.inject({ method: 'PUT', path: BLOB_UPLOAD, reset: true, times: 1 })
    const result = await release('reset-once')
    expect(result.code).toBe(0)
    expect(proxy.requests.some(line => line.endsWith('-> reset'))).toBe(true)
    expect(result.stdout).toMatch(/push: attempt 1 of 4 failed \(reset\); retrying in [0-9]+ ms/)
    expect(await registryState(registry, 'reset-once', result)).toBe('complete')
  })

  test('resets on every upload exhaust the retries and leave nothing behind', async () => {
    proxy.inject({ method: 'PUT', path: BLOB_UPLOAD, reset: true })
    const result = await release('reset-always', { retries: '1' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`::error::${proxy.host} dropped the connection on push (2 attempts).`)
    expect(proxy.requests.filter(line => line.endsWith('-> reset')).length).toBeGreaterThanOrEqual(2)
    expect(await registryState(registry, 'reset-always', result)).toBe('nothing')
  })

  test('a stall past the time limit is killed, reported and retried', async () => {
    proxy.inject({ method: 'PUT', path: BLOB_UPLOAD, stall: true, times: 1 })
    const result = await endsWithin(60, release('stall-once', { timeout: '2s' }))
    expect(result.code).toBe(0)
    expect(proxy.requests.some(line => line.endsWith('-> stall'))).toBe(true)
    expect(result.stdout).toMatch(/push: attempt 1 of 4 failed \(timeout\); retrying in [0-9]+ ms/)
    expect(result.stdout).toContain('helm push did not finish within 2s (input timeout) and was stopped.')
    expect(await registryState(registry, 'stall-once', result)).toBe('complete')
  })

  test('a registry that never answers fails with the time limit named', async () => {
    proxy.inject({ method: 'PUT', path: MANIFEST, stall: true })
    const result = await endsWithin(60, release('stall-always', { timeout: '2s', retries: '1' }))
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`::error::push on ${proxy.host} did not finish within 2s (2 attempts).`)
    expect(await registryState(registry, 'stall-always', result)).toBe('nothing')
  })

  test('429 with Retry-After: helm waits it out on each of its own retries, then the action waits its own backoff', async () => {
    // The first try and helm's five retries get 429: the action's second attempt is the one that goes through.
    proxy.inject({ method: 'PUT', path: MANIFEST, status: 429, headers: { 'retry-after': '1' }, times: 6 })
    const result = await release('throttled')
    expect(result.code).toBe(0)
    const throttled = proxy.timeline.filter(entry => entry.fault === '429')
    expect(throttled).toHaveLength(6)
    // Timed by the proxy: each of helm's retries came at least the Retry-After after the 429 before it …
    const helmWaits = throttled.slice(1).map((entry, index) => entry.at - throttled[index].at)
    expect(Math.min(...helmWaits)).toBeGreaterThanOrEqual(1000)
    // … and after helm gave up, nothing reached the registry for as long as the action said it would wait.
    const retry = /push: attempt 1 of 4 failed \(throttled, after helm’s five quick retries\); retrying in ([0-9]+) ms/
    expect(result.stdout).toMatch(retry)
    const last = throttled[5]
    const next = proxy.timeline[proxy.timeline.indexOf(last) + 1]
    expect(next.at - last.at).toBeGreaterThanOrEqual(Number(retry.exec(result.stdout)![1]))
    expect(await registryState(registry, 'throttled', result)).toBe('complete')
  })

  test('nothing listening: refused connections are retried, then reported with the host', async () => {
    // No registry to check afterwards: the run's only host refuses every connection, held so by the test.
    const closed = await holdClosedPort()
    try {
      const result = await release('refused', { retries: '1' }, closed.host)
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        `::error::Nothing accepted a connection at ${closed.host} on the credential check (2 attempts).`
      )
      expect(result.stdout).toMatch(/the credential check: attempt 1 of 2 failed \(refused\)/)
    } finally {
      closed.release()
    }
  })

  test('a 403 on the push is not retried and says the credentials may not write there', async () => {
    proxy.inject({ method: 'POST', path: /\/blobs\/uploads\/$/, status: 403 })
    const result = await release('forbidden')
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`::error::${proxy.host} denied push (403)`)
    expect(proxy.requests.filter(line => line.endsWith('-> 403')).length).toBeLessThanOrEqual(2)
    expect(await registryState(registry, 'forbidden', result)).toBe('nothing')
  })

  test('a verification that stalls past the time limit says the chart is published and how to check it', async () => {
    // Hold the answer to the push's tag until the verification's requests stall, then let the push finish.
    proxy.inject({ method: 'PUT', path: TAG, hold: 201, times: 1 })
    const running = endsWithin(60, release('verify-stall', { timeout: '2s', retries: '0' }))
    await proxy.faulted('hold', { before: running })
    proxy.inject({ path: TAG, stall: true })
    proxy.release()
    const result = await running
    expect(result.code).toBe(1)
    expect(proxy.requests.some(line => line.endsWith('-> stall'))).toBe(true)
    const digest = await registry.manifestDigest('verify-stall/llm-proxy', '1.2.3')
    const ref = `${proxy.host}/verify-stall/llm-proxy:1.2.3`
    expect(result.stdout).toContain(
      `::error::${ref} is published (${digest}); only its verification timed out (2s). Check what the registry ` +
        `serves with \`helm show chart oci://${proxy.host}/verify-stall/llm-proxy --version 1.2.3 --plain-http\` or ` +
        'in the registry; a re-run needs input if-exists: skip, since the version exists now.'
    )
    expect(result.stdout).not.toMatch(/::error::.*[Rr]e-run the job/)
    expect(await registryState(registry, 'verify-stall', result)).toBe('complete')
  })

  test('plain-http: false against a registry that answers plain HTTP', async () => {
    // The action's own credential check speaks HTTPS first, so helm 3.18's silent fallback to HTTP (helm 4 has
    // none) never gets to send the password in clear text.
    const result = await release('plain', { 'plain-http': 'false' }, registry.host)
    // The registry this run reached holds nothing of it: no chart went there in clear text.
    expect(await registry.catalog()).not.toContain('plain/llm-proxy')
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `::error::${registry.host} answered plain HTTP on the credential check, but HTTPS was spoken (input plain-http is false). ` +
        'If it is a registry you trust on a private network, set input plain-http: true;'
    )
    expect(result.stdout).not.toMatch(/the credential check: attempt 1 of/)
  })
})
