// Artifact Hub's metadata pushed by the action's client to the real registry (token auth and htpasswd), through the
// fault proxy, which records every request: what the registry then serves at `artifacthub.io`, and that unchanged
// content is not pushed again.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { startFaultProxy } from '../../scripts/harness/fault-proxy.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import {
  ARTIFACTHUB_CONFIG,
  ARTIFACTHUB_LAYER,
  ARTIFACTHUB_TAG,
  metadataManifest,
  syncMetadata
} from '../../src/registry/artifacthub-metadata.js'
import { RegistryClient } from '../../src/registry/client.js'

const sha256 = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`
const FILE = 'artifacthub-repo.yml'

interface Manifest {
  config: { mediaType: string }
  layers: { mediaType: string }[]
}

describe('metadataManifest', () => {
  test.each([
    ['a file', Buffer.from('repositoryID: 7b4f2d4e-1b0a-4c8e-9f5e-2a3b4c5d6e7f\n')],
    ['an empty file', Buffer.alloc(0)]
  ])('%s: an OCI manifest with Artifact Hub’s media types and an empty config', (_name, bytes) => {
    expect(JSON.parse(metadataManifest(bytes, FILE).toString())).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.cncf.artifacthub.config.v1+yaml',
        digest: 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        size: 0
      },
      layers: [
        {
          mediaType: 'application/vnd.cncf.artifacthub.repository-metadata.layer.v1.yaml',
          digest: sha256(bytes),
          size: bytes.length,
          annotations: { 'org.opencontainers.image.title': FILE }
        }
      ]
    })
    // No time in it: the same file makes the same manifest.
    expect(metadataManifest(bytes, FILE)).toEqual(metadataManifest(Buffer.from(bytes), FILE))
  })
})

describe.each(['token', 'htpasswd'] as const)('syncMetadata, the registry with %s auth', auth => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>
  beforeAll(async () => {
    registry = await startRegistry({ auth })
    proxy = await startFaultProxy(registry.host)
  })
  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })
  beforeEach(() => proxy.inject())

  const client = () =>
    new RegistryClient({
      host: proxy.host,
      plainHttp: true,
      credentials: { username: registry.username, password: registry.password },
      timeoutMs: 15000
    })
  /** The requests that wrote to the registry. */
  const writes = () => proxy.requests.filter(line => /^(POST|PUT|PATCH|DELETE) /.test(line))

  test('pushed when missing or changed, left alone when the same', async () => {
    const repository = 'team/llm-proxy'
    const first = Buffer.from('repositoryID: 7b4f2d4e-1b0a-4c8e-9f5e-2a3b4c5d6e7f\n')
    const pushed = await syncMetadata(client(), repository, first, FILE)
    expect(pushed).toEqual({ digest: sha256(metadataManifest(first, FILE)), pushed: true })
    expect(await registry.manifestDigest(repository, ARTIFACTHUB_TAG)).toBe(pushed.digest)
    const manifest = (await registry.manifest(repository, ARTIFACTHUB_TAG)) as Manifest
    expect(manifest.config.mediaType).toBe(ARTIFACTHUB_CONFIG)
    expect(manifest.layers.map(layer => layer.mediaType)).toEqual([ARTIFACTHUB_LAYER])
    expect(await registry.artifactHubLayer(repository, ARTIFACTHUB_TAG)).toEqual(first)
    expect(writes()).toEqual([
      `POST /v2/${repository}/blobs/uploads/`,
      expect.stringMatching(/^PUT \/v2\/team\/llm-proxy\/blobs\/uploads\//),
      `POST /v2/${repository}/blobs/uploads/`,
      expect.stringMatching(/^PUT \/v2\/team\/llm-proxy\/blobs\/uploads\//),
      `PUT /v2/${repository}/manifests/${ARTIFACTHUB_TAG}`
    ])

    proxy.inject()
    expect(await syncMetadata(client(), repository, Buffer.from(first), FILE)).toEqual({
      digest: pushed.digest,
      pushed: false
    })
    expect(writes()).toEqual([])
    // Asked, challenged (401), asked with credentials: only the manifest is read.
    expect(new Set(proxy.requests)).toEqual(new Set([`GET /v2/${repository}/manifests/${ARTIFACTHUB_TAG}`]))

    proxy.inject()
    const changed = Buffer.from('repositoryID: 7b4f2d4e-1b0a-4c8e-9f5e-2a3b4c5d6e7f\nowners: []\n')
    const again = await syncMetadata(client(), repository, changed, FILE)
    expect(again).toEqual({ digest: sha256(metadataManifest(changed, FILE)), pushed: true })
    expect(await registry.artifactHubLayer(repository, ARTIFACTHUB_TAG)).toEqual(changed)
    // The empty config is there already: only the new layer and the manifest are uploaded.
    expect(writes()).toEqual([
      `POST /v2/${repository}/blobs/uploads/`,
      expect.stringMatching(/^PUT \/v2\/team\/llm-proxy\/blobs\/uploads\//),
      `PUT /v2/${repository}/manifests/${ARTIFACTHUB_TAG}`
    ])
  })

  test('a tag holding the same bytes under another config type is replaced: Artifact Hub would not read it', async () => {
    const repository = 'team/other-config'
    const bytes = Buffer.from('ignore:\n  - name: llm-proxy\n    version: beta\n')
    const registryClient = client()
    const config = await registryClient.pushBlob(repository, Buffer.from('{}'))
    await registryClient.pushBlob(repository, bytes)
    const foreign = JSON.parse(metadataManifest(bytes, FILE).toString())
    foreign.config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 2 }
    await registryClient.pushManifest(repository, ARTIFACTHUB_TAG, Buffer.from(JSON.stringify(foreign)))

    const synced = await syncMetadata(client(), repository, bytes, FILE)
    expect(synced).toEqual({ digest: sha256(metadataManifest(bytes, FILE)), pushed: true })
    expect(((await registry.manifest(repository, ARTIFACTHUB_TAG)) as Manifest).config.mediaType).toBe(
      ARTIFACTHUB_CONFIG
    )
  })

  test('a registry failure is the client’s classified error', async () => {
    proxy.inject({ method: 'PUT', path: /\/manifests\//, status: 503 })
    const error = await syncMetadata(client(), 'team/failing', Buffer.from('owners: []\n'), FILE).catch(
      (error: unknown) => error
    )
    expect(error).toMatchObject({ name: 'RegistryHttpError', kind: 'server', status: 503 })
    expect(await registry.manifestDigest('team/failing', ARTIFACTHUB_TAG)).toBeUndefined()
  })
})
