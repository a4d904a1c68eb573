// The registry client against the real registry on loopback, with a token server in front (Bearer, as ghcr.io)
// and with htpasswd (Basic); charts pushed there by the real helm. Faults come from the fault proxy in front of the
// registry or from stub servers of a few lines; TLS from a stub with a certificate this test trusts.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import https from 'node:https'
import os from 'node:os'
import path from 'node:path'
import tls from 'node:tls'
import { startFaultProxy } from '../../scripts/harness/fault-proxy.js'
import { pushExampleChart } from '../../scripts/harness/push-chart.js'
import { holdClosedPort, startRegistry } from '../../scripts/harness/registry.js'
import { startStub } from '../../scripts/harness/stub-server.js'
import { selfSignedCertificate } from '../../scripts/harness/token-server.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import {
  RegistryClient,
  RegistryHttpError,
  UnsupportedAuthError,
  type ClientOptions,
  type Manifest
} from '../../src/registry/client.js'
import { socketFailure, statusKind } from '../../src/registry/http.js'

type Registry = Awaited<ReturnType<typeof startRegistry>>
type Proxy = Awaited<ReturnType<typeof startFaultProxy>>

const CHART = 'llm-proxy'
const VERSION = '1.2.3'
const PUBLIC = `public/${CHART}`
const PRIVATE = `private/${CHART}`
const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json'
const HELM_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip'
const MISSING_DIGEST = `sha256:${'0'.repeat(64)}`
const sha256 = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

type Stub = Awaited<ReturnType<typeof stub>>

/** A server of a few lines on 127.0.0.1 (TLS with `tlsOptions`), recording each request's path and Authorization. */
const stub = (handler: http.RequestListener, tlsOptions?: https.ServerOptions) =>
  startStub(handler, request => ({ url: request.url ?? '', authorization: request.headers.authorization }), tlsOptions)

const json = (response: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) =>
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))

/** Asserts that `promise` fails with a RegistryHttpError and returns it. */
async function failure(promise: Promise<unknown>): Promise<RegistryHttpError> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error
  )
  expect(error).toBeInstanceOf(RegistryHttpError)
  return error as RegistryHttpError
}

describe.each(['token', 'htpasswd'] as const)('the registry with %s auth', auth => {
  let registry: Registry
  let proxy: Proxy
  /** What the registry serves at PUBLIC:VERSION, read through the harness (not the client). */
  let digest: string
  let layer: Buffer
  beforeAll(async () => {
    registry = await startRegistry({ auth, publicNamespaces: ['public'] })
    proxy = await startFaultProxy(registry.host)
    await pushExampleChart(registry, ['public', 'private'])
    digest = (await registry.manifestDigest(PUBLIC, VERSION)) as string
    layer = (await registry.chartLayer(PUBLIC, VERSION)) as Buffer
  })
  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })
  beforeEach(() => {
    proxy.inject()
    registry.tokens?.requests.splice(0)
  })

  const credentials = () => ({ username: registry.username, password: registry.password })
  /** Through the fault proxy, which records each request and whether it carried Authorization. */
  const client = (options: Partial<ClientOptions> = {}) =>
    new RegistryClient({ host: proxy.host, plainHttp: true, credentials: credentials(), timeoutMs: 15000, ...options })

  test.each([PUBLIC, PRIVATE])('%s by tag and by digest, with its config and chart blobs', async repository => {
    const registryClient = client()
    const manifest = (await registryClient.manifest(repository, VERSION)) as Manifest
    expect(manifest).toMatchObject({
      digest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: HELM_CONFIG },
      layers: [{ mediaType: HELM_LAYER, digest: sha256(layer), size: layer.length }],
      annotations: { 'org.opencontainers.image.title': CHART, 'org.opencontainers.image.version': VERSION }
    })
    expect(await registryClient.manifest(repository, digest)).toEqual(manifest)
    const config = await registryClient.blob(repository, manifest.config.digest)
    expect(sha256(config)).toBe(manifest.config.digest)
    expect(JSON.parse(config.toString())).toMatchObject({ name: CHART, version: VERSION })
    expect(await registryClient.blob(repository, manifest.layers[0].digest)).toEqual(layer)
  })

  test.each([
    ['a tag the repository lacks', PUBLIC, '9.9.9'],
    ['a digest the repository lacks', PUBLIC, MISSING_DIGEST],
    ['a repository the registry lacks', 'public/nothing-here', VERSION]
  ])('%s is undefined (a clean 404)', async (_name, repository, reference) => {
    expect(await client().manifest(repository, reference)).toBeUndefined()
    expect(proxy.requests.filter(line => line.includes('/manifests/')).at(-1)).toBe(
      `GET /v2/${repository}/manifests/${reference}`
    )
  })

  test('a 404 without the registry’s MANIFEST_UNKNOWN is an error, not a miss', async () => {
    proxy.inject({ path: /\/manifests\//, status: 404 })
    const error = await failure(client().manifest(PUBLIC, VERSION))
    expect(error).toMatchObject({ kind: 'not-found', status: 404 })
    expect(error.message).toBe(`GET ${proxy.host}/v2/${PUBLIC}/manifests/${VERSION}: HTTP 404 Not Found`)
  })

  test('a missing blob is not-found, naming what was asked', async () => {
    const error = await failure(client().blob(PUBLIC, MISSING_DIGEST))
    expect(error).toMatchObject({ kind: 'not-found', status: 404 })
    expect(error.message).toBe(
      `GET ${proxy.host}/v2/${PUBLIC}/blobs/${MISSING_DIGEST}: HTTP 404 Not Found; the registry says "BLOB_UNKNOWN: blob unknown to registry"`
    )
  })

  test('checkCredentials passes with the password and fails as unauthorized with a wrong one', async () => {
    await expect(client().checkCredentials(PUBLIC, ['pull', 'push'])).resolves.toBeUndefined()
    const wrong = client({ credentials: { username: registry.username, password: 'not-the-password' } })
    const error = await failure(wrong.checkCredentials(PUBLIC, ['pull', 'push']))
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401 })
    expect(error.message).not.toContain('not-the-password')
  })

  test('a blob larger than the limit is refused before it is read', async () => {
    const error = await failure(client().blob(PUBLIC, sha256(layer), layer.length - 1))
    expect(error.kind).toBe('other')
    expect(error.message).toContain(`larger than the limit of ${layer.length - 1} bytes`)
  })

  describe('redirects', () => {
    let store: Stub
    /** What the blob store serves instead of the chart's bytes, when set. */
    let substitute: Buffer | undefined
    beforeAll(async () => {
      store = await stub((_request, response) => response.writeHead(200).end(substitute ?? layer))
    })
    afterAll(async () => store?.stop())
    beforeEach(() => {
      store.requests.splice(0)
      substitute = undefined
    })
    const blobPath = () => `/v2/${PUBLIC}/blobs/${sha256(layer)}`

    /** A client that has authenticated already (a manifest read), so that its blob GET carries Authorization. */
    const warmClient = async () => {
      const registryClient = client()
      await registryClient.manifest(PUBLIC, VERSION)
      return registryClient
    }

    test('to another port of the same host: followed without Authorization (origin, not host name)', async () => {
      const registryClient = await warmClient()
      proxy.inject({ path: /\/blobs\//, status: 307, headers: { location: `http://${store.host}/layer` }, times: 1 })
      expect(await registryClient.blob(PUBLIC, sha256(layer))).toEqual(layer)
      expect(proxy.authorized).toEqual([`GET ${blobPath()}`])
      expect(store.requests).toEqual([{ url: '/layer', authorization: undefined }])
    })

    test('within the registry’s origin: followed with Authorization, which the registry needs', async () => {
      const registryClient = await warmClient()
      const moved = `${blobPath()}?moved=1`
      proxy.inject({ path: /\/blobs\/[^?]*$/, status: 307, headers: { location: moved }, times: 1 })
      expect(await registryClient.blob(PUBLIC, sha256(layer))).toEqual(layer)
      expect(proxy.requests).toEqual([`GET ${blobPath()} -> 307`, `GET ${moved}`])
      expect(proxy.authorized).toEqual([`GET ${blobPath()}`, `GET ${moved}`])
    })

    test('bytes that do not match the digest are refused', async () => {
      const registryClient = await warmClient()
      substitute = Buffer.from('not the chart')
      proxy.inject({ path: /\/blobs\//, status: 307, headers: { location: `http://${store.host}/layer` }, times: 1 })
      const error = await failure(registryClient.blob(PUBLIC, sha256(layer)))
      expect(error).toMatchObject({ kind: 'other', status: 200 })
      expect(error.message).toBe(
        `GET ${proxy.host}${blobPath()} (redirected to "${store.host}/layer"): the blob received hashes to ` +
          `${sha256(substitute)}, not to its digest`
      )
    })

    test('more than 10 redirects are refused', async () => {
      const registryClient = await warmClient()
      proxy.inject({ path: /\/blobs\//, status: 302, headers: { location: blobPath() } })
      const error = await failure(registryClient.blob(PUBLIC, sha256(layer)))
      const target = JSON.stringify(
        `${proxy.host}${blobPath()}`.slice(0, 60) + `… (${proxy.host.length + blobPath().length} characters)`
      )
      expect(error.message).toBe(
        `GET ${proxy.host}${blobPath()} (redirected to ${target}): HTTP 302 after 10 redirects: too many`
      )
      expect(proxy.requests).toHaveLength(11)
    })
  })

  describe('push', () => {
    const ARTIFACT = `public/${CHART}-push`
    const EMPTY = Buffer.alloc(0)
    /** An Artifact Hub metadata manifest over `config` and `layer`, as oras push makes it. */
    const artifact = (layer: Buffer) =>
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { mediaType: 'application/vnd.cncf.artifacthub.config.v1+yaml', digest: sha256(EMPTY), size: 0 },
          layers: [
            {
              mediaType: 'application/vnd.cncf.artifacthub.repository-metadata.layer.v1.yaml',
              digest: sha256(layer),
              size: layer.length
            }
          ]
        })
      )
    let store: Stub
    beforeAll(async () => {
      store = await stub((_request, response) => response.writeHead(201).end())
    })
    afterAll(async () => store?.stop())

    test('blobs uploaded in one piece and a manifest put under a tag, read back from the registry', async () => {
      const layer = Buffer.from(`repositoryID: ${auth}-${Date.now()}\n`)
      const registryClient = client()
      expect(await registryClient.hasBlob(ARTIFACT, sha256(layer))).toBe(false)
      expect(await registryClient.pushBlob(ARTIFACT, EMPTY)).toBe(sha256(EMPTY))
      expect(await registryClient.pushBlob(ARTIFACT, layer)).toBe(sha256(layer))
      const manifest = artifact(layer)
      expect(await registryClient.pushManifest(ARTIFACT, 'artifacthub.io', manifest)).toBe(sha256(manifest))

      if (auth === 'token') {
        expect(new Set(registry.tokens!.requests.map(request => request.scopes.join(' ')))).toEqual(
          new Set([`repository:${ARTIFACT}:pull,push`])
        )
      }

      expect(await registry.manifestDigest(ARTIFACT, 'artifacthub.io')).toBe(sha256(manifest))
      expect(await registry.artifactHubLayer(ARTIFACT, 'artifacthub.io')).toEqual(layer)
      const uploads = proxy.requests.filter(line => !line.endsWith('-> 401') && !line.startsWith('HEAD'))
      // The registry's Location carries a query of its own (_state), which the digest is added to.
      expect(uploads).toEqual([
        `POST /v2/${ARTIFACT}/blobs/uploads/`,
        expect.stringMatching(
          new RegExp(
            `^PUT /v2/${ARTIFACT}/blobs/uploads/[^?]+\\?_state=[^&]+&digest=${encodeURIComponent(sha256(EMPTY))}$`
          )
        ),
        `POST /v2/${ARTIFACT}/blobs/uploads/`,
        expect.stringMatching(
          new RegExp(`^PUT /v2/${ARTIFACT}/blobs/uploads/[^?]+\\?.*&digest=${encodeURIComponent(sha256(layer))}$`)
        ),
        `PUT /v2/${ARTIFACT}/manifests/artifacthub.io`
      ])
      proxy.inject()
      expect(await registryClient.hasBlob(ARTIFACT, sha256(layer))).toBe(true)
      expect(await registryClient.pushBlob(ARTIFACT, layer)).toBe(sha256(layer))
      // Held already: asked for, not uploaded again.
      expect(proxy.requests).toEqual(Array(2).fill(`HEAD /v2/${ARTIFACT}/blobs/${sha256(layer)}`))
    })

    test('an upload Location on another origin is refused, and nothing goes there', async () => {
      proxy.inject({ method: 'POST', path: /\/blobs\/uploads\/$/, location: store.host })
      const layer = Buffer.from(`elsewhere ${auth} ${Date.now()}`)
      const error = await failure(client().pushBlob(ARTIFACT, layer))
      expect(error).toMatchObject({ kind: 'other', status: 202 })
      expect(error.message).toBe(
        `POST ${proxy.host}/v2/${ARTIFACT}/blobs/uploads/: HTTP 202 sending the upload to "http://${store.host}", ` +
          `another origin than http://${proxy.host}: refused`
      )
      expect(store.requests).toEqual([])
    })

    test.each([
      ['POST', /\/blobs\/uploads\/$/, 429, 'throttled'],
      ['PUT', /\/blobs\/uploads\/./, 503, 'server'],
      ['PUT', /\/manifests\//, 403, 'denied']
    ] as const)('HTTP %s answered %i is %s', async (method, path, status, kind) => {
      proxy.inject({ method, path, status })
      const layer = Buffer.from(`${method} ${status} ${auth} ${Date.now()}`)
      const push = async () => {
        const registryClient = client()
        await registryClient.pushBlob(ARTIFACT, EMPTY)
        await registryClient.pushBlob(ARTIFACT, layer)
        await registryClient.pushManifest(ARTIFACT, 'artifacthub.io', artifact(layer))
      }
      const error = await failure(push())
      expect(error).toMatchObject({ kind, status })
      expect(error.message).toMatch(new RegExp(`^${method} ${proxy.host}/v2/${ARTIFACT}/.*: HTTP ${status} `))
    })
  })

  test.each([
    [503, 'server'],
    [500, 'server'],
    [429, 'throttled'],
    [403, 'denied'],
    [400, 'other']
  ] as const)('HTTP %i on the manifest is %s', async (status, kind) => {
    proxy.inject({ path: /\/manifests\//, status })
    const error = await failure(client().manifest(PUBLIC, VERSION))
    expect(error).toMatchObject({ kind, status })
    expect(error.message).toBe(
      `GET ${proxy.host}/v2/${PUBLIC}/manifests/${VERSION}: HTTP ${status} ${http.STATUS_CODES[status]}`
    )
    // No retries inside the client: one request, or two where the first met the registry's 401.
    expect(proxy.requests.filter(line => line.endsWith(`-> ${status}`))).toHaveLength(1)
  })

  test('a reset connection is reset, a stalled one a timeout', async () => {
    proxy.inject({ path: /\/manifests\//, reset: true })
    expect(await failure(client().manifest(PUBLIC, VERSION))).toMatchObject({ kind: 'reset' })
    proxy.inject({ path: /\/manifests\//, stall: true })
    const error = await failure(client({ timeoutMs: 400 }).manifest(PUBLIC, VERSION))
    expect(error).toMatchObject({ kind: 'timeout' })
    expect(error.message).toBe(`GET ${proxy.host}/v2/${PUBLIC}/manifests/${VERSION}: no complete answer within 400 ms`)
    // The one request it made stalled, and it gave up on it: no second try inside the client.
    expect(proxy.requests).toEqual([`GET /v2/${PUBLIC}/manifests/${VERSION} -> stall`])
  })

  test('a scheme other than Bearer and Basic is UnsupportedAuthError', async () => {
    proxy.inject({ status: 401, headers: { 'www-authenticate': 'Negotiate' } })
    const error = await client()
      .checkCredentials(PUBLIC, ['pull'])
      .catch((error: unknown) => error)
    expect(error).toBeInstanceOf(UnsupportedAuthError)
    expect(error).toMatchObject({ scheme: 'Negotiate' })
    expect((error as Error).message).toBe(
      `GET ${proxy.host}/v2/: HTTP 401 asking for "Negotiate" authentication; only Bearer (token) and Basic are supported`
    )
  })

  test('a 401 without any challenge is unauthorized', async () => {
    proxy.inject({ status: 401 })
    expect(await failure(client().checkCredentials(PUBLIC, ['pull']))).toMatchObject({
      kind: 'unauthorized',
      status: 401
    })
  })

  test('an HTTPS client at the plain-HTTP registry is plain-http', async () => {
    const error = await failure(client({ plainHttp: false }).checkCredentials(PUBLIC, ['pull']))
    expect(error).toMatchObject({ kind: 'plain-http' })
    expect(error.message).toBe(
      `GET ${proxy.host}/v2/ failed: TLS handshake failed; the server probably answers plain HTTP (EPROTO)`
    )
  })

  test('nothing listening is refused', async () => {
    const closed = await holdClosedPort()
    try {
      const error = await failure(client({ host: closed.host }).manifest(PUBLIC, VERSION))
      expect(error).toMatchObject({ kind: 'refused' })
      expect(error.message).toBe(
        `GET ${closed.host}/v2/${PUBLIC}/manifests/${VERSION} failed: connection refused (ECONNREFUSED)`
      )
    } finally {
      closed.release()
    }
  })

  if (auth === 'token') {
    describe('tokens', () => {
      const tokenRequests = () => registry.tokens!.requests
      afterEach(() => registry.tokens!.answerWith('both'))

      test('one token per scope, cached across manifests and blobs; pull,push covers pull', async () => {
        const registryClient = client()
        const manifest = (await registryClient.manifest(PUBLIC, VERSION)) as Manifest
        await registryClient.manifest(PUBLIC, digest)
        await registryClient.blob(PUBLIC, manifest.config.digest)
        expect(tokenRequests()).toMatchObject([
          { method: 'GET', scopes: [`repository:${PUBLIC}:pull`], authorization: true, account: registry.username }
        ])
        // Each request but the first (answered 401, then retried with the token) carried the token.
        expect(proxy.requests).toHaveLength(4)
        expect(proxy.authorized).toHaveLength(3)

        await registryClient.checkCredentials(PRIVATE, ['pull', 'push'])
        await registryClient.manifest(PRIVATE, VERSION)
        expect(tokenRequests().map(request => request.scopes)).toEqual([
          [`repository:${PUBLIC}:pull`],
          [`repository:${PRIVATE}:pull,push`]
        ])
      })

      test.each(HELM_VERSIONS)('helm %s logs in and pushes through the token server', async version => {
        const namespace = `helm-${version.replaceAll('.', '-')}`
        await pushExampleChart(registry, [namespace], { helmVersion: version })
        expect(tokenRequests().filter(request => request.status === 200)).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ scopes: [`repository:${namespace}/${CHART}:pull,push`], authorization: true })
          ])
        )
        const manifest = (await client().manifest(`${namespace}/${CHART}`, VERSION)) as Manifest
        expect(manifest.layers).toMatchObject([{ mediaType: HELM_LAYER }])
        expect(await client().blob(`${namespace}/${CHART}`, manifest.layers[0].digest)).toEqual(
          await registry.chartLayer(`${namespace}/${CHART}`, VERSION)
        )
      })

      test('a token in access_token only, or in token only, is read', async () => {
        registry.tokens!.answerWith('access_token')
        expect(await client().manifest(PUBLIC, VERSION)).toMatchObject({ digest })
        registry.tokens!.answerWith('token')
        expect(await client().manifest(PUBLIC, VERSION)).toMatchObject({ digest })
        expect(tokenRequests()).toHaveLength(2)
      })

      test('anonymous: a public repository reads with an anonymous token, without credentials anywhere', async () => {
        const anonymous = client().anonymous()
        expect(await anonymous.manifest(PUBLIC, VERSION)).toMatchObject({ digest })
        await anonymous.checkCredentials(PUBLIC, ['pull'])
        expect(tokenRequests()).toMatchObject([
          {
            scopes: [`repository:${PUBLIC}:pull`],
            authorization: false,
            granted: [{ type: 'repository', name: PUBLIC, actions: ['pull'] }]
          }
        ])
        expect(proxy.authorized).toEqual([
          `GET /v2/${PUBLIC}/manifests/${VERSION}`,
          // The cached token answers the /v2/ check as well.
          'GET /v2/'
        ])
      })

      test('anonymous: a private repository is unauthorized with the registry’s words', async () => {
        const error = await failure(client().anonymous().manifest(PRIVATE, VERSION))
        expect(error).toMatchObject({ kind: 'unauthorized', status: 401 })
        expect(error.message).toBe(
          `GET ${proxy.host}/v2/${PRIVATE}/manifests/${VERSION}: HTTP 401 Unauthorized; the registry says ` +
            `"UNAUTHORIZED: authentication required"`
        )
        expect(tokenRequests()).toMatchObject([{ authorization: false, granted: [{ name: PRIVATE, actions: [] }] }])
        // Asked, challenged, asked again with the token that grants nothing: refused; no third attempt.
        expect(proxy.requests).toHaveLength(2)
      })

      test('a wrong password fails at the token request, which names the realm', async () => {
        const wrong = client({ credentials: { username: registry.username, password: 'wrong' } })
        const error = await failure(wrong.manifest(PUBLIC, VERSION))
        const realm = new URL(registry.tokens!.realm)
        expect(error).toMatchObject({ kind: 'unauthorized', status: 401 })
        expect(error.message).toBe(
          `GET ${realm.host}${realm.pathname}: HTTP 401 Unauthorized; the registry says ` +
            `"UNAUTHORIZED: incorrect username or password"`
        )
      })

      test('a realm that is not HTTP(S) is refused without a request', async () => {
        proxy.inject({ status: 401, headers: { 'www-authenticate': 'Bearer realm="ftp://127.0.0.1/token"' } })
        const error = await failure(client().checkCredentials(PUBLIC, ['pull']))
        expect(error.kind).toBe('other')
        expect(error.message).toBe(
          `GET ${proxy.host}/v2/: HTTP 401 sending for a token to "ftp://127.0.0.1/token", which is not https: refused`
        )
        expect(tokenRequests()).toEqual([])
      })
    })
  } else {
    describe('Basic', () => {
      test('challenged once, then the credentials go with every request', async () => {
        const registryClient = client()
        await registryClient.manifest(PUBLIC, VERSION)
        await registryClient.manifest(PRIVATE, VERSION)
        await registryClient.checkCredentials(PRIVATE, ['pull', 'push'])
        expect(proxy.requests).toEqual([
          `GET /v2/${PUBLIC}/manifests/${VERSION}`,
          `GET /v2/${PUBLIC}/manifests/${VERSION}`,
          `GET /v2/${PRIVATE}/manifests/${VERSION}`,
          'GET /v2/'
        ])
        expect(proxy.authorized).toEqual(proxy.requests.slice(1))
      })

      test('Basic offered beside an unsupported scheme is taken', async () => {
        proxy.inject({ status: 401, headers: { 'www-authenticate': 'Negotiate, Basic realm="test"' }, times: 1 })
        expect(await client().manifest(PUBLIC, VERSION)).toMatchObject({ digest })
      })

      test.each([PUBLIC, PRIVATE])('anonymous: %s is unauthorized, after one request', async repository => {
        const error = await failure(client().anonymous().manifest(repository, VERSION))
        expect(error).toMatchObject({ kind: 'unauthorized', status: 401 })
        expect(error.message).toBe(
          `GET ${proxy.host}/v2/${repository}/manifests/${VERSION}: HTTP 401 Unauthorized; the registry says ` +
            `"UNAUTHORIZED: authentication required"`
        )
        expect(proxy.requests).toHaveLength(1)
        expect(proxy.authorized).toEqual([])
      })
    })
  }
})

describe('a registry that sends odd answers (stub)', () => {
  let server: Stub
  let handle: http.RequestListener
  beforeAll(async () => {
    server = await stub((request, response) => handle(request, response))
  })
  afterAll(async () => server?.stop())
  const client = (options: Partial<ClientOptions> = {}) =>
    new RegistryClient({ host: server.host, plainHttp: true, timeoutMs: 2000, ...options })
  const manifestBody = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: HELM_CONFIG, digest: MISSING_DIGEST, size: 2 },
      layers: []
    })
  )

  test('the registry’s error text is shown quoted, shortened and at most three entries', async () => {
    const long = `line one\n::error::injected ${'x'.repeat(200)}`
    const errors = [1, 2, 3, 4, 5].map(n => ({ code: 'DENIED', message: n === 1 ? long : `entry ${n}` }))
    handle = (_request, response) => json(response, 500, { errors })
    const error = await failure(client().manifest('team/chart', '1.0.0'))
    expect(error).toMatchObject({ kind: 'server', status: 500 })
    expect(error.message).toBe(
      `GET ${server.host}/v2/team/chart/manifests/1.0.0: HTTP 500 Internal Server Error; the registry says ` +
        `${JSON.stringify(`DENIED: ${long}`.slice(0, 60) + `… (${8 + long.length} characters)`)}, ` +
        `"DENIED: entry 2", "DENIED: entry 3" and 2 more`
    )
    expect(error.message).not.toContain('\n')
  })

  test.each<[string, http.OutgoingHttpHeaders, Buffer, string]>([
    [
      'a Docker-Content-Digest that does not match the bytes',
      { 'docker-content-digest': MISSING_DIGEST },
      manifestBody,
      `the manifest received does not match its Docker-Content-Digest ${MISSING_DIGEST}`
    ],
    [
      'a manifest of another type',
      {},
      Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.artifact.manifest.v1+json' })),
      'the manifest is of the unsupported type "application/vnd.oci.artifact.manifest.v1+json"'
    ],
    [
      'a descriptor without a valid digest',
      {},
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { mediaType: HELM_CONFIG, digest: 'sha256:short', size: 2 },
          layers: []
        })
      ),
      "the manifest's config has no valid digest"
    ],
    ['schema 1', {}, Buffer.from('{"schemaVersion":1}'), 'the manifest has schemaVersion "1", not 2'],
    ['not JSON', {}, Buffer.from('<html>'), 'the manifest is not JSON']
  ])('a manifest with %s is refused', async (_name, headers, body, why) => {
    handle = (_request, response) => response.writeHead(200, headers).end(body)
    const error = await failure(client().manifest('team/chart', '1.0.0'))
    expect(error).toMatchObject({ kind: 'other', status: 200 })
    expect(error.message).toBe(`GET ${server.host}/v2/team/chart/manifests/1.0.0: ${why}`)
  })

  test('an upload to a relative Location keeps its query; a Docker-Content-Digest naming other bytes is refused', async () => {
    const bytes = Buffer.from('metadata')
    const received: string[] = []
    handle = (request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        received.push(
          `${request.method} ${request.url} ${request.headers['content-type'] ?? ''} ${Buffer.concat(chunks)}`
        )
        if (request.method === 'HEAD') response.writeHead(404).end()
        else if (request.method === 'POST') response.writeHead(202, { location: '/upload/1?state=a%2Fb' }).end()
        else response.writeHead(201, { 'docker-content-digest': MISSING_DIGEST }).end()
      })
    }
    const blob = await failure(client().pushBlob('team/chart', bytes))
    expect(received).toEqual([
      `HEAD /v2/team/chart/blobs/${sha256(bytes)}  `,
      'POST /v2/team/chart/blobs/uploads/  ',
      `PUT /upload/1?state=a%2Fb&digest=${encodeURIComponent(sha256(bytes))} application/octet-stream metadata`
    ])
    expect(blob.message).toBe(
      `PUT ${server.host}/upload/1: HTTP 201 naming the blob ${MISSING_DIGEST}, not ${sha256(bytes)} of the bytes sent`
    )
    const manifest = await failure(client().pushManifest('team/chart', 'artifacthub.io', manifestBody))
    expect(manifest.message).toBe(
      `PUT ${server.host}/v2/team/chart/manifests/artifacthub.io: HTTP 201 naming the manifest ${MISSING_DIGEST}, ` +
        `not ${sha256(manifestBody)} of the bytes sent`
    )
    expect(received.at(-1)).toBe(
      `PUT /v2/team/chart/manifests/artifacthub.io application/vnd.oci.image.manifest.v1+json ${manifestBody}`
    )
  })

  test('a POST without a Location is refused', async () => {
    handle = (request, response) => response.writeHead(request.method === 'HEAD' ? 404 : 202).end()
    const error = await failure(client().pushBlob('team/chart', Buffer.from('x')))
    expect(error.message).toBe(
      `POST ${server.host}/v2/team/chart/blobs/uploads/: HTTP 202 without a Location header to upload to`
    )
  })

  test('a manifest by digest must hash to that digest', async () => {
    handle = (_request, response) => response.writeHead(200).end(manifestBody)
    const error = await failure(client().manifest('team/chart', MISSING_DIGEST))
    expect(error.message).toBe(
      `GET ${server.host}/v2/team/chart/manifests/${MISSING_DIGEST}: the manifest received does not match the digest asked for`
    )
    expect(await client().manifest('team/chart', sha256(manifestBody))).toMatchObject({
      digest: sha256(manifestBody),
      config: { mediaType: HELM_CONFIG },
      layers: [],
      annotations: {}
    })
  })

  test('an index is read with OCI’s empty descriptor as its config', async () => {
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: MISSING_DIGEST, size: 7 }],
      annotations: { a: 'b' }
    }
    handle = (_request, response) => json(response, 200, index, { 'content-type': index.mediaType })
    expect(await client().manifest('team/chart', '1.0.0')).toEqual({
      digest: sha256(JSON.stringify(index)),
      mediaType: index.mediaType,
      config: {
        mediaType: 'application/vnd.oci.empty.v1+json',
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2
      },
      layers: [],
      annotations: { a: 'b' },
      manifests: index.manifests
    })
  })

  test('the Accept header names the OCI manifest, the Docker v2 manifest and the OCI index', async () => {
    let accept: string | undefined
    handle = (request, response) => {
      accept = request.headers.accept
      json(response, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] })
    }
    expect(await client().manifest('team/chart', '1.0.0')).toBeUndefined()
    expect(accept).toBe(
      'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, ' +
        'application/vnd.oci.image.index.v1+json'
    )
  })

  test('a manifest over 4 MiB is refused, also when the registry does not say its length', async () => {
    handle = (_request, response) => {
      response.writeHead(200, { 'transfer-encoding': 'chunked' })
      response.end(Buffer.alloc(4 * 1024 * 1024 + 1, 0x20))
    }
    const error = await failure(client().manifest('team/chart', '1.0.0'))
    expect(error.message).toBe(
      `GET ${server.host}/v2/team/chart/manifests/1.0.0: HTTP 200 with an answer larger than the limit of 4194304 bytes`
    )
  })

  test('an answer that stops mid-body is a timeout', async () => {
    handle = (_request, response) => {
      response.writeHead(200, { 'content-length': 100 })
      response.write('{"schemaVersion":')
    }
    const error = await failure(client({ timeoutMs: 300 }).manifest('team/chart', '1.0.0'))
    expect(error).toMatchObject({ kind: 'timeout' })
  })

  test('a connection closed mid-body is a reset', async () => {
    handle = (request, response) => {
      response.writeHead(200, { 'content-length': 100 })
      response.write('{"schemaVersion":', () => request.socket.destroy())
    }
    expect(await failure(client().manifest('team/chart', '1.0.0'))).toMatchObject({ kind: 'reset' })
  })

  test('Basic without credentials is unauthorized, and no token realm is asked', async () => {
    handle = (_request, response) =>
      json(
        response,
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
        {
          'www-authenticate': 'Basic realm="r"'
        }
      )
    expect(await failure(client().checkCredentials('team/chart', ['pull']))).toMatchObject({ kind: 'unauthorized' })
    expect(server.requests.at(-1)).toEqual({ url: '/v2/', authorization: undefined })
  })

  test('loopback is reached directly whatever HTTP_PROXY and HTTPS_PROXY say (http-client bypasses 127.*)', async () => {
    const proxy = await stub((_request, response) => response.writeHead(502).end())
    const saved = {
      HTTP_PROXY: process.env.HTTP_PROXY,
      HTTPS_PROXY: process.env.HTTPS_PROXY,
      NO_PROXY: process.env.NO_PROXY
    }
    Object.assign(process.env, {
      HTTP_PROXY: `http://${proxy.host}`,
      HTTPS_PROXY: `http://${proxy.host}`,
      NO_PROXY: ''
    })
    try {
      handle = (_request, response) => json(response, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'x' }] })
      expect(await client().manifest('team/chart', '1.0.0')).toBeUndefined()
      expect(proxy.requests).toEqual([])
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
      await proxy.stop()
    }
  })

  test.each([
    ['a repository name with a path in it', '../x', '1.0.0'],
    ['uppercase in a repository name', 'Team/chart', '1.0.0'],
    ['a tag with a slash', 'team/chart', '1.0.0/../x'],
    ['a digest of an unknown algorithm', 'team/chart', `md5:${'0'.repeat(32)}`]
  ])('%s is invalid-reference, before any request', async (_name, repository, reference) => {
    const before = server.requests.length
    expect(await failure(client().manifest(repository, reference))).toMatchObject({ kind: 'invalid-reference' })
    expect(server.requests).toHaveLength(before)
  })
})

describe('HTTPS (a stub with a certificate this test trusts)', () => {
  let dir: string
  let key: string
  let cert: string
  let restore: () => void
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'client-test-tls-'))
    ;({ key, cert } = await selfSignedCertificate(dir, 'tls', { subject: '127.0.0.1', ip: '127.0.0.1' }))
    // https.Agent connects through tls.connect, looked up at each call: the certificate is trusted for this test
    // only, without NODE_EXTRA_CA_CERTS (read at start-up) or an option in the client.
    const connect = tls.connect
    tls.connect = ((options: tls.ConnectionOptions, ...rest: never[]) =>
      connect({ ...options, ca: cert }, ...rest)) as typeof tls.connect
    restore = () => (tls.connect = connect)
  })
  afterAll(async () => {
    restore?.()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  let registry: Stub
  let realm: Stub
  /** Where the registry's challenge sends for a token. */
  let realmUrl: string
  let handle: http.RequestListener
  beforeEach(async () => {
    registry = await stub((request, response) => handle(request, response), { key, cert })
    realm = await stub((_request, response) => json(response, 200, { access_token: 'abc.def' }), { key, cert })
  })
  afterEach(async () => {
    await registry?.stop()
    await realm?.stop()
  })
  const client = () =>
    new RegistryClient({
      host: registry.host,
      plainHttp: false,
      credentials: { username: 'u', password: 'p' },
      timeoutMs: 5000
    })
  const challenge: http.RequestListener = (request, response) => {
    if (request.headers.authorization === 'Bearer abc.def') json(response, 200, {})
    else json(response, 401, {}, { 'www-authenticate': `Bearer realm="${realmUrl}",service="s"` })
  }

  test('an https realm gets the credentials and its token opens the registry', async () => {
    realmUrl = `https://${realm.host}/token`
    handle = challenge
    await client().checkCredentials('team/chart', ['pull', 'push'])
    expect(realm.requests).toEqual([
      { url: '/token?service=s&scope=repository%3Ateam%2Fchart%3Apull%2Cpush', authorization: 'Basic dTpw' }
    ])
    expect(registry.requests.map(request => request.authorization)).toEqual([undefined, 'Bearer abc.def'])
  })

  test('an http realm behind an https registry is refused: no credentials in clear text', async () => {
    const plain = await stub((_request, response) => json(response, 200, { token: 'abc.def' }))
    try {
      realmUrl = `http://${plain.host}/token`
      handle = challenge
      const error = await failure(client().checkCredentials('team/chart', ['pull']))
      expect(error.message).toBe(
        `GET ${registry.host}/v2/: HTTP 401 sending for a token to "http://${plain.host}/token", which is not https: refused`
      )
      expect(plain.requests).toEqual([])
    } finally {
      await plain.stop()
    }
  })

  test('a redirect from https to http is refused', async () => {
    handle = (_request, response) => response.writeHead(307, { location: `http://${registry.host}/blob` }).end()
    const error = await failure(client().blob('team/chart', MISSING_DIGEST))
    expect(error.message).toBe(
      `GET ${registry.host}/v2/team/chart/blobs/${MISSING_DIGEST}: HTTP 307 from https to http "${registry.host}/blob": refused`
    )
  })
})

describe('classification', () => {
  test.each([
    [401, 'unauthorized'],
    [403, 'denied'],
    [404, 'not-found'],
    [429, 'throttled'],
    [500, 'server'],
    [502, 'server'],
    [599, 'server'],
    [400, 'other'],
    [409, 'other'],
    [600, 'other']
  ] as const)('HTTP %i → %s', (status, kind) => {
    expect(statusKind(status)).toBe(kind)
  })

  test.each([
    ['ECONNREFUSED', false, 'refused'],
    ['ECONNRESET', false, 'reset'],
    ['EPIPE', false, 'reset'],
    ['ETIMEDOUT', false, 'timeout'],
    ['ENOTFOUND', false, 'unknown-host'],
    ['EAI_AGAIN', false, 'unknown-host'],
    ['EPROTO', false, 'plain-http'],
    ['ABORT_ERR', true, 'timeout'],
    ['CERT_HAS_EXPIRED', false, 'other'],
    [undefined, false, 'other']
  ] as const)('socket error %s (timed out: %s) → %s', (code, timedOut, kind) => {
    const error = Object.assign(new Error('Node’s words'), { code })
    expect(socketFailure(error, timedOut, 'GET h/v2/', 1000).kind).toBe(kind)
  })

  test('Node’s words about an unclassified error are shown inert', () => {
    const error = Object.assign(
      new Error("Host: x. is not in the cert's altnames: DNS:evil.example\n::error::injected"),
      {
        code: 'ERR_TLS_CERT_ALTNAME_INVALID'
      }
    )
    expect(socketFailure(error, false, 'GET h/v2/', 1000).message).toBe(
      `GET h/v2/ failed: ${JSON.stringify(error.message.slice(0, 60) + `… (${error.message.length} characters)`)} ` +
        '(ERR_TLS_CERT_ALTNAME_INVALID)'
    )
  })
})
