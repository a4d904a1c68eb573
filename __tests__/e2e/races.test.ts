// Two runs releasing the same version at once, against one real registry, each through its own fault proxy.
// The registry has no conditional put: the proxies hold the registry's answers to order the runs deterministically.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { appendFile } from 'node:fs/promises'
import path from 'node:path'
import { startFaultProxy } from '../../scripts/harness/fault-proxy.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { runAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

type Proxy = Awaited<ReturnType<typeof startFaultProxy>>

/** The chart's tag, not its digest: the request that publishes the version. */
const TAG = /\/manifests\/1\.2\.3$/
const DIGEST = /^Digest: (sha256:[0-9a-f]{64})$/m

describe.each(HELM_VERSIONS)('Helm %s, two runs of the same version', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  let a: Proxy
  let b: Proxy
  beforeAll(async () => {
    registry = await startRegistry()
    a = await startFaultProxy(registry.host)
    b = await startFaultProxy(registry.host)
  })
  afterAll(async () => {
    await a?.stop()
    await b?.stop()
    await registry?.stop()
  })

  /** A run with if-exists: fail (the default) through `proxy`; `run` goes into its chart so that the two differ. */
  const release = async (namespace: string, proxy: Proxy, run: string) => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      await appendFile(path.join(workspace.dir, 'chart', 'values.yaml'), `# released by run ${run}\n`)
      return await runAction({
        workspace: workspace.dir,
        helm,
        inputs: { chart: 'chart', ...registry.inputs(namespace, proxy.host) }
      })
    } finally {
      await workspace.remove()
    }
  }

  test('a push landing between a run’s push and its verification fails that run, naming the digest now served', async () => {
    // B looks up (nothing there) and is held as its push starts; A then pushes, and is held before it verifies.
    b.inject({ path: /\/blobs\//, hold: 404, times: 1 })
    const runB = release('race', b, 'B')
    await b.faulted('hold', { before: runB })
    a.inject({ method: 'PUT', path: TAG, hold: 201, times: 1 })
    const runA = release('race', a, 'A')
    await a.faulted('hold', { before: runA })
    b.release()
    const resultB = await runB
    a.release()
    const resultA = await runA

    const served = await registry.manifestDigest('race/llm-proxy', '1.2.3')
    expect(resultB.code).toBe(0)
    expect(resultB.outputs.digest).toBe(served)
    expect(resultA.code).toBe(1)
    const pushedByA = DIGEST.exec(resultA.stdout)?.[1]
    expect(pushedByA).toMatch(/^sha256:/)
    expect(pushedByA).not.toBe(served)
    expect(resultA.stdout).toContain(
      `::error::another push replaced ${a.host}/race/llm-proxy:1.2.3 (now ${served}) after this run pushed ` +
        `${pushedByA}. The chart this run pushed is no longer what the tag serves: check what the registry holds ` +
        `(\`helm show chart oci://${a.host}/race/llm-proxy --version 1.2.3 --plain-http\`) before anything else. ` +
        'Give the release job a concurrency: group per ref'
    )
    expect(await registry.chartConfig('race/llm-proxy', '1.2.3')).toMatchObject({ name: 'llm-proxy', version: '1.2.3' })
  })

  test('a push landing between a run’s look-up and its push makes that run refuse, pushing nothing', async () => {
    // A's look-up reaches the registry (nothing there) and is held; B releases the version meanwhile.
    a.inject({ path: TAG, hold: 404, times: 1 })
    b.inject()
    const runA = release('narrow', a, 'A')
    await a.faulted('hold', { before: runA })
    const resultB = await release('narrow', b, 'B')
    a.release()
    const resultA = await runA

    const served = await registry.manifestDigest('narrow/llm-proxy', '1.2.3')
    expect(resultB.code).toBe(0)
    expect(resultB.outputs.digest).toBe(served)
    expect(resultA.code).toBe(1)
    expect(resultA.stdout).toContain(
      `::error::${a.host}/narrow/llm-proxy:1.2.3 was published (${served}) after this run looked it up and before ` +
        'it pushed: another run or person pushed the same version meanwhile, so this run pushed nothing ' +
        '(if-exists: fail).'
    )
    expect(resultA.stdout).toContain(
      '::group::llm-proxy: look up ' + `${a.host}/narrow/llm-proxy:1.2.3 again before the push`
    )
    expect(a.requests.filter(line => /^(PUT|POST|PATCH) /.test(line))).toEqual([])
    // The outputs say so too: nothing of this run is in the registry.
    expect(resultA.outputs).toMatchObject({ pushed: 'false', digest: '' })
  })
})
