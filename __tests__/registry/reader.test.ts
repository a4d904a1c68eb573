// How the release reads the registry: readerFor picks the action's own client or helm from the access the run has,
// and switches to helm, once and for good, when the registry asks for an auth scheme the client does not speak.
// The switching runs against a loopback stub for the odd answers and a hand-written stand-in for helm's reader (what
// is tested is which reader answers, not helm); clientReader runs against the real registry, with a chart the real
// helm pushed.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { startGnupg } from '../../scripts/harness/gpg.js'
import { pushExampleChart } from '../../scripts/harness/push-chart.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { startStub } from '../../scripts/harness/stub-server.js'
import { RegistryClient, RegistryHttpError, UnsupportedAuthError } from '../../src/registry/client.js'
import type { ReadAccess } from '../../src/registry/credentials.js'
import { clientReader, readerFor, type RegistryReader } from '../../src/registry/reader.js'
import { locateChart, type ChartLocation } from '../../src/registry/reference.js'

const CHART = 'llm-proxy'
const VERSION = '1.2.3'
const CREDENTIALS = { username: 'ci', password: 'stub-password-not-checked' }
const sha256 = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`
/** What the stand-in for helm answers, so that an answer shows which reader gave it. */
const HELM_DIGEST = sha256('what helm says')

type Method = 'checkCredentials' | 'lookUp' | 'inspect' | 'download' | 'isPublic' | 'syncMetadata'

const locationAt = (host: string, namespace: string, version = VERSION): ChartLocation =>
  locateChart({ host, namespace, url: `oci://${host}/${namespace}` }, CHART, version)

/** Calls `method` of `reader` the way the registry step does. */
function call(reader: RegistryReader, method: Method, location: ChartLocation, file: string): Promise<unknown> {
  switch (method) {
    case 'checkCredentials':
      return reader.checkCredentials(location)
    case 'lookUp':
      return reader.lookUp(location, VERSION)
    case 'inspect':
      return reader.inspect(location, VERSION)
    case 'download':
      return reader.download(location, VERSION, HELM_DIGEST, file)
    case 'isPublic':
      return reader.isPublic(location, HELM_DIGEST)
    case 'syncMetadata':
      return reader.syncMetadata(location, { file: 'artifacthub-repo.yml', bytes: Buffer.from('ignore: []\n') })
  }
}

/** What helm's reader would answer, from a reader that records which of its methods were called, in order. */
const HELM_ANSWERS: Record<Method, unknown> = {
  checkCredentials: undefined,
  lookUp: { digest: HELM_DIGEST },
  inspect: { digest: HELM_DIGEST, name: CHART, version: VERSION },
  download: undefined,
  isPublic: undefined,
  // helm's reader cannot push the metadata: the registry step warns.
  syncMetadata: undefined
}

function standInForHelm(fail?: Error) {
  const calls: Method[] = []
  const answer =
    <T>(method: Method) =>
    async (): Promise<T> => {
      calls.push(method)
      if (fail) throw fail
      return HELM_ANSWERS[method] as T
    }
  const reader: RegistryReader = {
    via: 'helm',
    checkCredentials: answer('checkCredentials'),
    lookUp: answer('lookUp'),
    inspect: answer('inspect'),
    download: answer('download'),
    isPublic: answer('isPublic'),
    syncMetadata: answer('syncMetadata')
  }
  return { reader, calls }
}

type Stub = Awaited<ReturnType<typeof stub>>

/** A registry of a few lines on 127.0.0.1 that gives the answer a test sets in `handle`; requests as `GET /v2/…`. */
const stub = (handler: http.RequestListener) => startStub(handler, request => `${request.method} ${request.url}`)

const NEGOTIATE: http.RequestListener = (_request, response) =>
  response.writeHead(401, { 'www-authenticate': 'Negotiate' }).end()

describe('readerFor', () => {
  let server: Stub
  let handle: http.RequestListener
  let dir: string
  beforeAll(async () => {
    server = await stub((request, response) => handle(request, response))
    dir = await mkdtemp(path.join(os.tmpdir(), 'reader-test-'))
  })
  afterAll(async () => {
    await server?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })
  beforeEach(() => {
    server.requests.splice(0)
    handle = NEGOTIATE
  })

  const location = () => locationAt(server.host, 'team')
  const file = () => path.join(dir, `${CHART}-${VERSION}.tgz`)
  /** readerFor with counting factories: which reader was made, how often, and what onSwitch was told. */
  const open = (access: ReadAccess, helmFails?: Error) => {
    const helm = standInForHelm(helmFails)
    const made = { client: 0, helm: 0 }
    const onSwitch = jest.fn<(reason: string) => void>()
    const reader = readerFor(
      access,
      () => {
        made.client++
        return new RegistryClient({ host: server.host, plainHttp: true, credentials: CREDENTIALS, timeoutMs: 5000 })
      },
      () => {
        made.helm++
        return helm.reader
      },
      onSwitch
    )
    return { reader, helmCalls: helm.calls, made, onSwitch }
  }
  const METHODS: Method[] = ['checkCredentials', 'lookUp', 'inspect', 'download', 'isPublic', 'syncMetadata']
  const NEGOTIATE_SWITCH =
    'The registry asks for "Negotiate" authentication, which only helm speaks: helm reads the registry.'

  test('credentials in a Docker credential helper: helm reads from the start, and the log says which helper', async () => {
    const { reader, helmCalls, made, onSwitch } = open({ kind: 'credential-helper', helper: 'docker-credential-gcr' })
    expect(reader.via).toBe('helm')
    expect(onSwitch.mock.calls).toEqual([
      ["The registry's credentials come from docker-credential-gcr, which only helm runs: helm reads the registry."]
    ])
    for (const method of METHODS) {
      expect(await call(reader, method, location(), file())).toEqual(HELM_ANSWERS[method])
    }
    expect(helmCalls).toEqual(METHODS)
    // The client is never even made, so the registry sees nothing from the action itself.
    expect(made).toEqual({ client: 0, helm: 1 })
    expect(server.requests).toEqual([])
    expect(onSwitch).toHaveBeenCalledTimes(1)
  })

  test.each<[string, ReadAccess]>([
    ['the inputs’ credentials', { kind: 'inputs', credentials: CREDENTIALS }],
    ['credentials from Docker’s config', { kind: 'docker-config', credentials: CREDENTIALS }],
    ['no credentials', { kind: 'anonymous' }]
  ])('%s: the client reads, helm is not made', async (_, access) => {
    handle = (_request, response) =>
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }))
    const { reader, helmCalls, made, onSwitch } = open(access)
    expect(reader.via).toBe('the registry API')
    expect(await reader.lookUp(location(), VERSION)).toBeUndefined()
    expect(server.requests).toEqual([`GET /v2/team/${CHART}/manifests/${VERSION}`])
    expect(made).toEqual({ client: 1, helm: 0 })
    expect(helmCalls).toEqual([])
    expect(onSwitch).not.toHaveBeenCalled()
  })

  test.each(METHODS)('Negotiate on %s: helm answers that call and every later one, switched once', async first => {
    const { reader, helmCalls, made, onSwitch } = open({ kind: 'inputs', credentials: CREDENTIALS })
    expect(await call(reader, first, location(), file())).toEqual(HELM_ANSWERS[first])
    // The client asked once, got the 401 and gave up on it: no second try with the same scheme.
    expect(server.requests).toHaveLength(1)
    expect(reader.via).toBe('helm')
    expect(helmCalls).toEqual([first])

    for (const method of METHODS) {
      expect(await call(reader, method, location(), file())).toEqual(HELM_ANSWERS[method])
    }
    expect(helmCalls).toEqual([first, ...METHODS])
    expect(server.requests).toHaveLength(1)
    expect(made).toEqual({ client: 1, helm: 1 })
    expect(onSwitch.mock.calls).toEqual([[NEGOTIATE_SWITCH]])
  })

  test('calls under way together when the registry asks for Negotiate switch once', async () => {
    const { reader, helmCalls, made, onSwitch } = open({ kind: 'docker-config', credentials: CREDENTIALS })
    const answers = await Promise.all(METHODS.map(method => call(reader, method, location(), file())))
    expect(answers).toEqual(METHODS.map(method => HELM_ANSWERS[method]))
    // Every call reached the registry before any of them had its 401 back, and each then went to helm.
    expect(server.requests).toHaveLength(METHODS.length)
    expect([...helmCalls].sort()).toEqual([...METHODS].sort())
    expect(made).toEqual({ client: 1, helm: 1 })
    expect(onSwitch.mock.calls).toEqual([[NEGOTIATE_SWITCH]])
  })

  test('a call that reached the registry first is the client’s; the switch comes with the first Negotiate', async () => {
    const manifestUnknown = JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] })
    let asked = 0
    // The first request is answered, the rest ask for Negotiate: a registry whose auth changed under the run.
    handle = (request, response) =>
      asked++ === 0
        ? response.writeHead(404, { 'content-type': 'application/json' }).end(manifestUnknown)
        : NEGOTIATE(request, response)
    const { reader, helmCalls, onSwitch } = open({ kind: 'anonymous' })
    expect(await reader.lookUp(location(), VERSION)).toBeUndefined()
    expect(reader.via).toBe('the registry API')
    expect(onSwitch).not.toHaveBeenCalled()
    expect(await reader.lookUp(location(), VERSION)).toEqual({ digest: HELM_DIGEST })
    expect(await reader.inspect(location(), VERSION)).toEqual(HELM_ANSWERS.inspect)
    expect(helmCalls).toEqual(['lookUp', 'inspect'])
    expect(server.requests).toHaveLength(2)
    expect(onSwitch.mock.calls).toEqual([[NEGOTIATE_SWITCH]])
  })

  test.each<[string, http.RequestListener, Partial<RegistryHttpError>]>([
    [
      '500',
      (_request, response) => response.writeHead(500).end(),
      {
        kind: 'server',
        status: 500,
        message: `GET HOST/v2/team/${CHART}/manifests/${VERSION}: HTTP 500 Internal Server Error`
      }
    ],
    [
      '401 Basic refusing the credentials',
      (_request, response) => response.writeHead(401, { 'www-authenticate': 'Basic realm="stub"' }).end(),
      { kind: 'unauthorized', status: 401 }
    ],
    [
      '401 without a challenge',
      (_request, response) => response.writeHead(401).end(),
      { kind: 'unauthorized', status: 401 }
    ],
    ['403', (_request, response) => response.writeHead(403).end(), { kind: 'denied', status: 403 }],
    [
      '404 that is not the registry’s MANIFEST_UNKNOWN',
      (_request, response) => response.writeHead(404).end(),
      { kind: 'not-found', status: 404 }
    ],
    [
      'a malformed challenge',
      (_request, response) => response.writeHead(401, { 'www-authenticate': 'Bearer realm="unterminated' }).end(),
      { kind: 'other', status: 401 }
    ]
  ])('%s is the caller’s error: no switch to helm', async (_, answer, expected) => {
    handle = answer
    const { reader, helmCalls, made, onSwitch } = open({ kind: 'inputs', credentials: CREDENTIALS })
    const error = await reader.lookUp(location(), VERSION).catch((error: unknown) => error)
    expect(error).toBeInstanceOf(RegistryHttpError)
    expect(error).not.toBeInstanceOf(UnsupportedAuthError)
    const { message, ...rest } = expected
    expect(error).toMatchObject(rest)
    if (message) expect((error as Error).message).toBe(message.replace('HOST', server.host))
    expect(reader.via).toBe('the registry API')
    expect(helmCalls).toEqual([])
    expect(made.helm).toBe(0)
    expect(onSwitch).not.toHaveBeenCalled()
  })

  test('an error that is not the registry’s (a manifest that is no chart) is not swallowed either', async () => {
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: HELM_DIGEST, size: 2 },
      layers: []
    })
    handle = (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(manifest)
    const { reader, helmCalls, onSwitch } = open({ kind: 'inputs', credentials: CREDENTIALS })
    await expect(reader.inspect(location(), VERSION)).rejects.toThrow(
      `${server.host}/team/${CHART}:${VERSION} is not a Helm chart: its config is "application/vnd.oci.image.config.v1+json".`
    )
    expect(helmCalls).toEqual([])
    expect(onSwitch).not.toHaveBeenCalled()
  })

  test('helm’s own failure after the switch reaches the caller, and the client is not asked again', async () => {
    const failure = new Error('helm show chart: exit status 1')
    const { reader, helmCalls, onSwitch } = open({ kind: 'inputs', credentials: CREDENTIALS }, failure)
    await expect(reader.lookUp(location(), VERSION)).rejects.toBe(failure)
    await expect(reader.inspect(location(), VERSION)).rejects.toBe(failure)
    expect(helmCalls).toEqual(['lookUp', 'inspect'])
    expect(server.requests).toHaveLength(1)
    expect(onSwitch).toHaveBeenCalledTimes(1)
  })
})

describe.each([
  ['token', { public: true, private: false }],
  ['htpasswd', { public: false, private: false }]
] as const)('clientReader against the registry with %s auth', (auth, visible) => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  /** Where downloads go. */
  let dir: string
  /** The .tgz helm packaged and pushed, byte for byte. */
  let archive: Buffer
  /** The same, signed: helm pushed its .prov as the provenance layer. */
  let signedArchive: Buffer
  beforeAll(async () => {
    registry = await startRegistry({ auth, publicNamespaces: ['public'] })
    dir = await mkdtemp(path.join(os.tmpdir(), 'reader-test-'))
    archive = await pushExampleChart(registry, ['public', 'private'])
    const gnupg = await startGnupg()
    try {
      const fingerprint = await gnupg.generate({ name: 'Reader Signer', length: 2048 })
      const keyring = path.join(dir, 'secring.gpg')
      await writeFile(keyring, await gnupg.exportSecretBinary(fingerprint))
      signedArchive = await pushExampleChart(registry, ['signed'], { sign: { key: 'Reader Signer', keyring } })
    } finally {
      await gnupg.stop()
    }
  }, 60_000)
  afterAll(async () => {
    await registry?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })
  let download: string
  afterEach(async () => {
    if (download) await rm(download, { force: true })
  })

  const reader = () =>
    clientReader(
      new RegistryClient({
        host: registry.host,
        plainHttp: true,
        credentials: { username: registry.username, password: registry.password },
        timeoutMs: 15000
      })
    )

  test.each(['public', 'private'])('%s: lookUp gives the manifest and the pushed archive’s digests', async ns => {
    const digest = await registry.manifestDigest(`${ns}/${CHART}`, VERSION)
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(await reader().lookUp(locationAt(registry.host, ns), VERSION)).toEqual({
      digest,
      chartLayer: sha256(archive)
    })
  })

  test.each([
    ['a tag the repository lacks', 'public', '9.9.9'],
    ['a repository the registry lacks', 'nowhere', VERSION]
  ])('lookUp of %s is undefined', async (_, ns, version) => {
    expect(await reader().lookUp(locationAt(registry.host, ns, version), version)).toBeUndefined()
  })

  test('inspect gives the digest and the name and version from the chart’s config', async () => {
    expect(await reader().inspect(locationAt(registry.host, 'private'), VERSION)).toEqual({
      digest: await registry.manifestDigest(`private/${CHART}`, VERSION),
      name: CHART,
      version: VERSION
    })
  })

  test('inspect of a missing tag fails as not found, rather than answering nothing', async () => {
    const error = await reader()
      .inspect(locationAt(registry.host, 'public', '9.9.9'), '9.9.9')
      .catch((error: unknown) => error)
    expect(error).toMatchObject({ kind: 'not-found', status: 404 })
  })

  test('download writes the pushed archive byte for byte', async () => {
    const digest = (await registry.manifestDigest(`private/${CHART}`, VERSION)) as string
    download = path.join(dir, 'downloaded.tgz')
    await reader().download(locationAt(registry.host, 'private'), VERSION, digest, download)
    expect(await readFile(download)).toEqual(archive)
  })

  test('download of a digest the repository lacks fails and writes nothing', async () => {
    download = path.join(dir, 'missing.tgz')
    const error = await reader()
      .download(locationAt(registry.host, 'private'), VERSION, sha256('no such manifest'), download)
      .catch((error: unknown) => error)
    expect(error).toMatchObject({ kind: 'not-found' })
    expect(existsSync(download)).toBe(false)
  })

  test.each([
    ['an unsigned chart, without a .prov', 'private', false],
    ['a signed chart, with its .prov', 'signed', true]
  ] as const)('download with its provenance: %s', async (_what, ns, signed) => {
    const digest = (await registry.manifestDigest(`${ns}/${CHART}`, VERSION)) as string
    download = path.join(dir, `${ns}.tgz`)
    await writeFile(`${download}.prov`, 'left by an earlier download')
    expect(await reader().download(locationAt(registry.host, ns), VERSION, digest, download, true)).toBe(signed)
    expect(await readFile(download)).toEqual(ns === 'signed' ? signedArchive : archive)
    expect(existsSync(`${download}.prov`)).toBe(signed)
    if (signed) {
      const prov = await readFile(`${download}.prov`, 'utf8')
      expect(prov).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----/)
      expect(prov).toContain(sha256(signedArchive))
    }
    await rm(`${download}.prov`, { force: true })
  })

  test.each(['public', 'private'] as const)('isPublic of the %s chart', async ns => {
    const digest = (await registry.manifestDigest(`${ns}/${CHART}`, VERSION)) as string
    expect(await reader().isPublic(locationAt(registry.host, ns), digest)).toBe(visible[ns])
  })
})
