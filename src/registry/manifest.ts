/**
 * An OCI image manifest, Docker v2 manifest or OCI index as the registry sent it: its digest from the bytes
 * received, checked against what the registry and the reference claim, and its JSON checked field by field
 * before anyone reads it (the registry is untrusted).
 */
import { createHash } from 'node:crypto'
import { BOUNDS, jsonTooDeep, lineOf } from '../bounds.js'
import { show } from '../text.js'

export interface Descriptor {
  mediaType: string
  digest: string
  size: number
  annotations?: Record<string, string>
}

export interface Manifest {
  /** sha256 of the bytes received. */
  digest: string
  mediaType: string
  /** For an index, which has no config: OCI's empty descriptor (EMPTY_DESCRIPTOR). */
  config: Descriptor
  /** Empty for an index. */
  layers: Descriptor[]
  annotations: Record<string, string>
  /** Only for an index: the manifests it lists. */
  manifests?: Descriptor[]
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
/** What the client asks for (Accept) and takes. */
export const MANIFEST_TYPES = [OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX]

/** OCI's descriptor of "no content" (image-spec, manifest.md), standing in for an index's missing config. */
export const EMPTY_DESCRIPTOR: Descriptor = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2
}

/** The digests this client can check: the two algorithms OCI registers. */
export const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/
/** Any digest in OCI's grammar (image-spec, descriptor.md), for descriptors the client only passes on. */
const ANY_DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/
/** RFC 6838 type/subtype, as OCI's schema checks it. */
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/

export class ManifestError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ManifestError'
  }
}

/** `algorithm:hex` of the bytes; the algorithm of a DIGEST. */
export function digestOf(bytes: Buffer, algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`
}

/** Whether bytes hash to a DIGEST (sha256 or sha512). */
export function matchesDigest(bytes: Buffer, digest: string): boolean {
  return DIGEST.test(digest) && digestOf(bytes, digest.slice(0, digest.indexOf(':'))) === digest
}

export interface Claims {
  /** The Content-Type header. */
  contentType?: string
  /** The Docker-Content-Digest header: checked when it is sha256 or sha512, which every registry sends. */
  contentDigest?: string
  /** The reference asked for, when it was a digest. */
  reference?: string
}

/** Throws ManifestError when the bytes are not a manifest of MANIFEST_TYPES or do not match what is claimed. */
export function parseManifest(bytes: Buffer, claims: Claims): Manifest {
  const { contentDigest, reference } = claims
  // Shown as it is: DIGEST allows nothing but the algorithm and hex.
  if (contentDigest && DIGEST.test(contentDigest) && !matchesDigest(bytes, contentDigest)) {
    throw new ManifestError(`the manifest received does not match its Docker-Content-Digest ${contentDigest}`)
  }
  if (reference && !matchesDigest(bytes, reference)) {
    throw new ManifestError(`the manifest received does not match the digest asked for`)
  }
  const text = bytes.toString('utf8')
  const deep = jsonTooDeep(text)
  if (deep !== undefined) {
    throw new ManifestError(`the manifest nests deeper than ${BOUNDS.depth} levels (line ${lineOf(text, deep)})`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new ManifestError('the manifest is not JSON')
  }
  if (!isObject(json)) throw new ManifestError('the manifest is not a JSON object')
  if (json.schemaVersion !== 2)
    throw new ManifestError(`the manifest has schemaVersion ${show(String(json.schemaVersion))}, not 2`)

  const header = claims.contentType?.split(';')[0].trim().toLowerCase()
  const declared = json.mediaType
  if (declared !== undefined && typeof declared !== 'string')
    throw new ManifestError('the manifest has a mediaType that is not text')
  if (declared !== undefined && header && MANIFEST_TYPES.includes(header) && declared !== header) {
    throw new ManifestError(`the manifest says it is ${show(declared)} but was served as ${show(header)}`)
  }
  const mediaType = declared ?? header ?? ''
  if (!MANIFEST_TYPES.includes(mediaType))
    throw new ManifestError(`the manifest is of the unsupported type ${show(mediaType)}`)

  const annotations = annotationsOf(json.annotations, 'the manifest')
  const digest = digestOf(bytes)
  if (mediaType === OCI_INDEX) {
    const manifests = descriptors(json.manifests, 'manifests')
    return { digest, mediaType, config: { ...EMPTY_DESCRIPTOR }, layers: [], annotations, manifests }
  }
  return {
    digest,
    mediaType,
    config: descriptor(json.config, 'config'),
    layers: descriptors(json.layers, 'layers'),
    annotations
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function descriptors(value: unknown, field: string): Descriptor[] {
  if (!Array.isArray(value)) throw new ManifestError(`the manifest's ${field} is not a list`)
  return value.map((entry, index) => descriptor(entry, `${field}[${index}]`))
}

function descriptor(value: unknown, field: string): Descriptor {
  if (!isObject(value)) throw new ManifestError(`the manifest's ${field} is not a descriptor`)
  const { mediaType, digest, size } = value
  if (typeof mediaType !== 'string' || !MEDIA_TYPE.test(mediaType)) {
    throw new ManifestError(`the manifest's ${field} has no valid mediaType`)
  }
  const checkable = typeof digest === 'string' && (digest.startsWith('sha256:') || digest.startsWith('sha512:'))
  if (typeof digest !== 'string' || !ANY_DIGEST.test(digest) || (checkable && !DIGEST.test(digest))) {
    throw new ManifestError(`the manifest's ${field} has no valid digest`)
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new ManifestError(`the manifest's ${field} has no valid size`)
  }
  const result: Descriptor = { mediaType, digest, size }
  if (value.annotations !== undefined) result.annotations = annotationsOf(value.annotations, `the manifest's ${field}`)
  return result
}

function annotationsOf(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {}
  if (!isObject(value)) throw new ManifestError(`${where} has annotations that are not a map`)
  const entries = Object.entries(value)
  if (!entries.every(([, text]) => typeof text === 'string')) {
    throw new ManifestError(`${where} has an annotation whose value is not text`)
  }
  return Object.fromEntries(entries) as Record<string, string>
}
