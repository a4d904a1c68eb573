// The post step's safety net, with real saved state: the main step cleans up after itself, so the post step
// only has work when the main step was killed. Here the runner kills it mid-push, logged in to a real registry;
// and cancels it (SIGTERM), which the main step answers itself.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { startFaultProxy } from '../../scripts/harness/fault-proxy.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { processesMentioning, startAction, visible } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

/** The files under dir whose bytes hold any of the secrets. */
async function filesHolding(dir: string, secrets: string[]): Promise<string[]> {
  const holding = []
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    const bytes = await readFile(file)
    if (secrets.some(secret => bytes.includes(secret))) holding.push(file)
  }
  return holding
}

describe.each(HELM_VERSIONS)('Helm %s, the main step killed mid-push', helm => {
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

  /**
   * A run of the action whose push stalls (the manifest never answers), logged in, until the test ends it;
   * resolves once the push has stalled, or rejects if the step exits first.
   */
  const startStalledPush = async (namespace: string) => {
    proxy.inject({ method: 'PUT', path: /\/manifests\//, stall: true })
    const stalled = proxy.faulted('stall')
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    const step = await startAction({
      workspace: workspace.dir,
      helm,
      inputs: { chart: 'chart', ...registry.inputs(namespace, proxy.host) },
      detached: true
    })
    const exited = once(step.child, 'exit').then(() => 'exited before its push stalled')
    const outcome = await Promise.race([stalled.then(() => 'stalled'), exited])
    return {
      step,
      outcome,
      async remove() {
        await step.stopGroup()
        await workspace.remove()
      }
    }
  }

  test('the post step, given the state the killed step saved, stops the orphaned helm and leaves no helm home and no password', async () => {
    // The password as typed, and as helm's registry config holds it (base64 of user:password).
    const secrets = [registry.password, Buffer.from(`${registry.username}:${registry.password}`).toString('base64')]
    const { step, outcome, remove } = await startStalledPush('killed')
    try {
      expect(outcome).toBe('stalled')
      const [workDir] = await readdir(step.runnerTemp)
      const helmHome = path.join(step.runnerTemp, workDir, 'helm')
      // What the post step has to remove, found by the same scan that must find nothing after it.
      expect(await filesHolding(step.runnerTemp, secrets)).toEqual([path.join(helmHome, 'registry-config.json')])

      // As a runner ends a step: the step's own process, not what it started.
      step.child.kill('SIGKILL')
      const result = await step.finish()
      expect(result.signal).toBe('SIGKILL')
      expect(result.state).toMatchObject({ isPost: 'true', 'helm-home': helmHome })
      expect(result.post?.code).toBe(0)
      expect(result.post?.stdout).toContain('::warning::The main step ended while helm still ran')
      // The orphaned helm push is gone: nothing talks to the registry after the post step.
      expect(await processesMentioning(proxy.host)).toEqual([])
      expect(result.helmHomesLeft).toEqual([])
      expect(existsSync(helmHome)).toBe(false)
      expect(await filesHolding(step.runnerTemp, secrets)).toEqual([])
      expect(await filesHolding(step.home, secrets)).toEqual([])
      expect(visible(result.everything)).not.toContain(registry.password)
      expect(await registry.tags('killed/llm-proxy')).toEqual([])
    } finally {
      await remove()
    }
  })

  test('a cancelled step (SIGTERM) stops its helm, removes the credentials and fails saying what was under way', async () => {
    const { step, outcome, remove } = await startStalledPush('cancelled')
    try {
      expect(outcome).toBe('stalled')
      expect(await processesMentioning(proxy.host)).not.toEqual([])
      step.child.kill('SIGTERM')
      const result = await step.finish({ post: false })
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        '::error::The step was cancelled (SIGTERM). Stopped what helm was doing:%0Ahelm push '
      )
      expect(result.stdout).toContain('re-run with if-exists: skip to complete the release.')
      // One error: the helm push it stopped is not reported as a failure of its own.
      expect(result.stdout.match(/^::error::/gm)).toHaveLength(1)
      expect(await processesMentioning(proxy.host)).toEqual([])
      expect(result.helmHomesLeft).toEqual([])
      expect(result.state['helm-groups']).toBe('')
      proxy.inject()
      expect(await registry.tags('cancelled/llm-proxy')).toEqual([])
    } finally {
      await remove()
    }
  })
})
