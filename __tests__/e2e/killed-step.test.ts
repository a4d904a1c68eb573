// The post step's safety net, with real saved state: the main step cleans up after itself, so the post step
// only has work when the main step was killed. Here the runner kills it mid-push, logged in to a real registry.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { startFaultProxy } from '../../scripts/harness/fault-proxy.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { startAction, visible } from '../../scripts/harness/runner.js'
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

  test('the post step, given the state the killed step saved, leaves no helm home and no password', async () => {
    // The password as typed, and as helm's registry config holds it (base64 of user:password).
    const secrets = [registry.password, Buffer.from(`${registry.username}:${registry.password}`).toString('base64')]
    // The manifest never answers: the run stays logged in, mid-push, until it is killed.
    proxy.inject({ method: 'PUT', path: /\/manifests\//, stall: true })
    const stalled = proxy.faulted('stall')
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    const step = await startAction({
      workspace: workspace.dir,
      helm,
      inputs: { chart: 'chart', ...registry.inputs('killed', proxy.host) },
      detached: true
    })
    try {
      const exited = once(step.child, 'exit').then(() => 'exited before its push stalled')
      expect(await Promise.race([stalled.then(() => 'stalled'), exited])).toBe('stalled')
      const [workDir] = await readdir(step.runnerTemp)
      const helmHome = path.join(step.runnerTemp, workDir, 'helm')
      // What the post step has to remove, found by the same scan that must find nothing after it.
      expect(await filesHolding(step.runnerTemp, secrets)).toEqual([path.join(helmHome, 'registry-config.json')])

      // As a runner ends a step: the step's own process, not what it started.
      step.child.kill('SIGKILL')
      const result = await step.finish()
      expect(result.signal).toBe('SIGKILL')
      expect(result.state).toMatchObject({ isPost: 'true', 'helm-home': helmHome, 'registry-host': proxy.host })
      expect(result.post?.code).toBe(0)
      expect(result.post?.stdout).not.toContain('::warning::')
      expect(result.helmHomesLeft).toEqual([])
      expect(existsSync(helmHome)).toBe(false)
      expect(await filesHolding(step.runnerTemp, secrets)).toEqual([])
      expect(await filesHolding(step.home, secrets)).toEqual([])
      expect(visible(result.everything)).not.toContain(registry.password)
      expect(await registry.tags('killed/llm-proxy')).toEqual([])
    } finally {
      // The killed step's helm push may still run, orphaned (a known bug, filed separately): it goes with the group.
      await step.stopGroup()
      await workspace.remove()
    }
  })
})
