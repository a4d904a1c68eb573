// artifacthub-repo.yml beside Chart.yaml goes to the chart's repository under the tag `artifacthub.io`, with Artifact
// Hub's media types, through the action's own client (a token server in front of the registry, as ghcr.io, and the
// fault proxy in front of that, which records every request); unchanged content is not pushed again, and a file that
// Artifact Hub could not read is refused before anything is written or pushed.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startFaultProxy } from '../../scripts/harness/fault-proxy.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { runAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

const CONFIG = 'application/vnd.cncf.artifacthub.config.v1+yaml'
const LAYER = 'application/vnd.cncf.artifacthub.repository-metadata.layer.v1.yaml'
const EMPTY = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const METADATA =
  'repositoryID: 7b4f2d4e-1b0a-4c8e-9f5e-2a3b4c5d6e7f\nowners:\n  - name: Sofa\n    email: ops@example.com\n'

interface Manifest {
  mediaType: string
  config: { mediaType: string; digest: string; size: number }
  layers: { mediaType: string; size: number }[]
}

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>
  // Every test's own, its runs one after another in it as in one repository.
  let workspace: Awaited<ReturnType<typeof makeWorkspace>>
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token' })
    proxy = await startFaultProxy(registry.host)
  })
  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })
  beforeEach(async () => {
    workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
  })
  afterEach(async () => workspace?.remove())

  const file = () => path.join(workspace.dir, 'chart', 'artifacthub-repo.yml')
  /** A run on the test's workspace through the proxy; if-exists: skip, so that a re-run keeps the chart. */
  const release = (namespace: string, inputs: Record<string, string> = {}) =>
    runAction({
      workspace: workspace.dir,
      helm,
      inputs: { chart: 'chart', ...registry.inputs(namespace, proxy.host), 'if-exists': 'skip', ...inputs }
    })
  /** What the run wrote to the registry: uploads and manifests. */
  const writes = () => proxy.requests.filter(line => /^(POST|PUT|PATCH|DELETE) /.test(line))

  test('pushed beside the chart, not pushed again unchanged, pushed anew when changed', async () => {
    const repository = 'team/llm-proxy'
    await writeFile(file(), METADATA)
    proxy.inject()
    const first = await release('team')
    expect(first.code).toBe(0)
    expect(first.outputs).toMatchObject({
      pushed: 'true',
      'chart-repository': `${proxy.host}/${repository}`,
      'chart-url': `oci://${proxy.host}/${repository}`
    })
    expect(JSON.parse(first.outputs.charts)[0]).toMatchObject({ 'chart-repository': `${proxy.host}/${repository}` })
    const manifest = (await registry.manifest(repository, 'artifacthub.io')) as Manifest
    expect(manifest).toMatchObject({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: CONFIG, digest: EMPTY, size: 0 },
      layers: [{ mediaType: LAYER, size: Buffer.byteLength(METADATA) }]
    })
    expect((await registry.artifactHubLayer(repository, 'artifacthub.io'))?.toString()).toBe(METADATA)
    const digest = await registry.manifestDigest(repository, 'artifacthub.io')
    const ref = `${proxy.host}/${repository}:artifacthub.io`
    expect(first.stdout).toContain(`Pushed ${file()} to ${ref} (${digest}), where Artifact Hub reads it.`)
    expect(writes()).toContain(`PUT /v2/${repository}/manifests/artifacthub.io`)
    // The chart is still what helm pushed, at its version.
    expect(await registry.tags(repository)).toEqual(['1.2.3', 'artifacthub.io'])

    proxy.inject()
    const again = await release('team')
    expect(again.code).toBe(0)
    expect(again.outputs.pushed).toBe('false')
    expect(again.stdout).toContain(`${ref} (${digest}) already holds ${file()} byte for byte: nothing pushed.`)
    // Neither the chart (kept) nor the metadata (unchanged) wrote anything.
    expect(writes()).toEqual([])
    expect(proxy.requests).toContain(`GET /v2/${repository}/manifests/artifacthub.io`)
    expect(await registry.manifestDigest(repository, 'artifacthub.io')).toBe(digest)

    const changed = `${METADATA}ignore:\n  - name: llm-proxy\n    version: beta\n`
    await writeFile(file(), changed)
    proxy.inject()
    const third = await release('team')
    expect(third.code).toBe(0)
    const newDigest = await registry.manifestDigest(repository, 'artifacthub.io')
    expect(newDigest).not.toBe(digest)
    expect((await registry.artifactHubLayer(repository, 'artifacthub.io'))?.toString()).toBe(changed)
    expect(third.stdout).toContain(`Pushed ${file()} to ${ref} (${newDigest})`)
    expect(writes()).toContain(`PUT /v2/${repository}/manifests/artifacthub.io`)
  })

  test('a metadata push that fails after the chart is published: the chart’s problem, saying it is published', async () => {
    const repository = 'failing/llm-proxy'
    await writeFile(file(), METADATA)
    proxy.inject({ method: 'PUT', path: /\/manifests\/artifacthub\.io$/, status: 503 })
    const result = await release('failing', { retries: '0' })
    expect(result.code).toBe(1)
    const digest = await registry.manifestDigest(repository, '1.2.3')
    expect(result.outputs).toMatchObject({ pushed: 'true', digest })
    const error = JSON.parse(result.outputs.charts)[0].error
    expect(error).toMatch(
      new RegExp(`^${proxy.host}/${repository}:1\\.2\\.3 is published \\(${digest}\\); only its Artifact Hub metadata`)
    )
    expect(error).toContain('A re-run with input if-exists: skip keeps the published chart and pushes the metadata.')
    expect(result.stdout).toContain(`::error::${proxy.host}/${repository}:1.2.3 is published (${digest})`)
    expect(result.summary).toContain(`${digest}: ${proxy.host}/${repository}:1.2.3 is published`)
    expect(await registry.manifestDigest(repository, 'artifacthub.io')).toBeUndefined()

    proxy.inject()
    const rerun = await release('failing')
    expect(rerun.code).toBe(0)
    expect((await registry.artifactHubLayer(repository, 'artifacthub.io'))?.toString()).toBe(METADATA)
  })

  test.each([
    ['true', 'bad-push'],
    ['false', 'bad-dry-run']
  ])('a file Artifact Hub could not read is refused (push: %s) before anything is written', async (push, ns) => {
    await writeFile(file(), 'repositoryID: my-repo\nowners: ops@example.com\n')
    const chartYaml = path.join(workspace.dir, 'chart', 'Chart.yaml')
    const before = await readFile(chartYaml, 'utf8')
    proxy.inject()
    const result = await release(ns, { push })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `::error::${file()}: repositoryID is "my-repo", not the UUID Artifact Hub gives a repository.`
    )
    expect(await readFile(chartYaml, 'utf8')).toBe(before)
    expect(proxy.requests).toEqual([])
    expect(await registry.tags(`${ns}/llm-proxy`)).toEqual([])
    expect(result.helmHomesLeft).toEqual([])
  })
})
