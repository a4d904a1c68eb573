/**
 * Artifact Hub's repository metadata (artifacthub-repo.yml) in an OCI registry: an artifact of its own in the
 * chart's repository, under the tag `artifacthub.io`, as `oras push … --config /dev/null:<config type>
 * artifacthub-repo.yml:<layer type>` makes it (artifacthub.io/docs/topics/repositories/helm-charts, OCI support).
 */
import type { RegistryClient } from './client.js'
import type { ChartLocation } from './reference.js'
import { digestOf, OCI_MANIFEST } from './manifest.js'

export const ARTIFACTHUB_TAG = 'artifacthub.io'
export const ARTIFACTHUB_CONFIG = 'application/vnd.cncf.artifacthub.config.v1+yaml'
export const ARTIFACTHUB_LAYER = 'application/vnd.cncf.artifacthub.repository-metadata.layer.v1.yaml'

/** `ghcr.io/sofatutor/llm-proxy:artifacthub.io`: where the metadata of a chart's repository goes. */
export const metadataRef = (location: ChartLocation) => `${location.name}:${ARTIFACTHUB_TAG}`

/** oras's config from /dev/null: no bytes. */
const EMPTY_CONFIG = Buffer.alloc(0)

/** What the tag holds after a sync: its manifest, and whether this run put it there. */
export interface MetadataSync {
  digest: string
  pushed: boolean
}

/**
 * The manifest of the metadata artifact. No creation time (oras adds one): the same file always makes the same
 * manifest, so that its digest says whether the content changed.
 */
export function metadataManifest(bytes: Buffer, fileName: string): Buffer {
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: ARTIFACTHUB_CONFIG, digest: digestOf(EMPTY_CONFIG), size: EMPTY_CONFIG.length },
    layers: [
      {
        mediaType: ARTIFACTHUB_LAYER,
        digest: digestOf(bytes),
        size: bytes.length,
        annotations: { 'org.opencontainers.image.title': fileName }
      }
    ]
  }
  return Buffer.from(JSON.stringify(manifest))
}

/**
 * Brings the repository's `artifacthub.io` tag up to date with the file's bytes: nothing is pushed when its
 * metadata layer already holds them; otherwise the config, the layer and the manifest, in that order, so that the
 * tag never names a blob the registry lacks.
 */
export async function syncMetadata(
  client: RegistryClient,
  repository: string,
  bytes: Buffer,
  fileName: string
): Promise<MetadataSync> {
  const current = await client.manifest(repository, ARTIFACTHUB_TAG)
  const layer = current?.layers.find(candidate => candidate.mediaType === ARTIFACTHUB_LAYER)
  if (current?.config.mediaType === ARTIFACTHUB_CONFIG && layer?.digest === digestOf(bytes))
    return { digest: current.digest, pushed: false }
  await client.pushBlob(repository, EMPTY_CONFIG)
  await client.pushBlob(repository, bytes)
  return {
    digest: await client.pushManifest(repository, ARTIFACTHUB_TAG, metadataManifest(bytes, fileName)),
    pushed: true
  }
}
