/**
 * A small client of the OCI distribution API: log-in check, manifests and blobs read, and what a push of a small
 * artifact needs (blobs uploaded in one piece, a manifest put under a tag), with the registry's token (Bearer) or
 * Basic authentication. It neither retries (the caller's retry policy does) nor logs; every failure is a
 * RegistryHttpError with its FailureKind, or an UnsupportedAuthError.
 */
import { isScheme, MalformedChallengeError, parseChallenges, type Challenge } from './auth-challenge.js'
import { RegistryHttpError, send, statusFailure, registryErrors, type HttpResponse, type SendOptions } from './http.js'
import {
  DIGEST,
  digestOf,
  ManifestError,
  MANIFEST_TYPES,
  matchesDigest,
  OCI_MANIFEST,
  parseManifest,
  type Manifest
} from './manifest.js'
import { HOST, PATH_COMPONENT } from './reference.js'
import { parseJson } from '../bounds.js'
import { show } from '../text.js'

export { RegistryHttpError } from './http.js'
export type { Descriptor, Manifest } from './manifest.js'

export interface Credentials {
  username: string
  password: string
}

export interface ClientOptions {
  /** host[:port] as in Registry.host. */
  host: string
  /** http:// instead of https://. */
  plainHttp: boolean
  /** undefined: anonymous. */
  credentials?: Credentials
  /** For each request, redirects and token requests each counting as one. */
  timeoutMs: number
}

/** The registry asked for an auth scheme the client does not speak (not Bearer, not Basic). */
export class UnsupportedAuthError extends Error {
  readonly scheme: string

  constructor(scheme: string, request: string) {
    super(`${request}: HTTP 401 asking for ${show(scheme)} authentication; only Bearer (token) and Basic are supported`)
    this.name = 'UnsupportedAuthError'
    this.scheme = scheme
  }
}

/** containerd's limit on a manifest. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024
/** helm's limit on a chart's decompressed size, which its archive does not exceed. */
const DEFAULT_MAX_BLOB_BYTES = 100 * 1024 * 1024
/** A token answer is a few kilobytes at most. */
const MAX_TOKEN_BYTES = 1024 * 1024
/** /v2/ answers `{}`. */
const MAX_BASE_BYTES = 64 * 1024
/** The token spec's lifetime of a token whose answer gives none; a cached token is dropped this long before. */
const DEFAULT_TOKEN_SECONDS = 60
const TOKEN_MARGIN_SECONDS = 10
/** Distribution's rule for a tag. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const ACTION = /^(?:[a-z]+|\*)$/
/** What may follow "Bearer " in a header: visible ASCII, no blank. */
const TOKEN_TEXT = /^[\x21-\x7e]+$/

/** A resource and the actions wanted on it (`repository:team/chart:pull,push`), as a token request names it. */
interface Scope {
  resource: string
  actions: string[]
}

interface CachedToken extends Scope {
  authorization: string
  expires: number
}

const scopeText = (scope: Scope) => `${scope.resource}:${scope.actions.join(',')}`

export class RegistryClient {
  private readonly options: ClientOptions
  private readonly origin: string
  private readonly tokens: CachedToken[] = []
  /** Set once the registry asked for Basic: the credentials then go with every request, not after a 401 each time. */
  private basicAsked = false

  constructor(options: ClientOptions) {
    if (!HOST.test(options.host)) throw new Error(`Registry host ${show(options.host)} is not host[:port].`)
    this.options = options
    this.origin = new URL(`${options.plainHttp ? 'http' : 'https'}://${options.host}`).origin
  }

  /**
   * GET /v2/ and, with credentials, obtain a token for `repository` with `actions` (e.g. ['pull','push']): a
   * wrong password fails here with kind 'unauthorized'. Without credentials it checks that an anonymous token is
   * handed out.
   */
  async checkCredentials(repository: string, actions: string[]): Promise<void> {
    const scope = repositoryScope(repository, actions)
    const response = await this.request(new URL('/v2/', this.origin), scope, { maxBytes: MAX_BASE_BYTES })
    if (response.status !== 200) throw statusFailure(response)
  }

  /**
   * GET manifest by tag or digest; undefined on a clean 404 (MANIFEST_UNKNOWN / NAME_UNKNOWN). digest = sha256 of
   * the bytes received, and checked against Docker-Content-Digest when present and against the reference when it
   * is a digest.
   */
  async manifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const scope = repositoryScope(repository, ['pull'])
    const byDigest = DIGEST.test(reference)
    if (!byDigest && !TAG.test(reference)) {
      throw new RegistryHttpError('invalid-reference', `${show(reference)} is neither a tag nor a sha256/sha512 digest`)
    }
    const response = await this.request(this.url(`/v2/${repository}/manifests/${reference}`), scope, {
      accept: MANIFEST_TYPES.join(', '),
      maxBytes: MAX_MANIFEST_BYTES
    })
    if (response.status === 404 && this.isCleanMiss(response)) return undefined
    if (response.status !== 200) throw statusFailure(response)
    try {
      return parseManifest(response.body, {
        contentType: response.headers['content-type'],
        contentDigest: header(response, 'docker-content-digest'),
        reference: byDigest ? reference : undefined
      })
    } catch (error) {
      if (error instanceof ManifestError)
        throw new RegistryHttpError('other', `${response.request}: ${error.message}`, 200)
      throw error
    }
  }

  /** GET a blob, checked against its digest (sha256 or sha512) and a size limit; returns the bytes. */
  async blob(repository: string, digest: string, maxBytes = DEFAULT_MAX_BLOB_BYTES): Promise<Buffer> {
    const scope = repositoryScope(repository, ['pull'])
    if (!DIGEST.test(digest))
      throw new RegistryHttpError('invalid-reference', `${show(digest)} is not a sha256/sha512 digest`)
    const response = await this.request(this.url(`/v2/${repository}/blobs/${digest}`), scope, { maxBytes })
    if (response.status !== 200) throw statusFailure(response)
    if (!matchesDigest(response.body, digest)) {
      const actual = digestOf(response.body, digest.slice(0, digest.indexOf(':')))
      throw new RegistryHttpError(
        'other',
        `${response.request}: the blob received hashes to ${actual}, not to its digest`,
        200
      )
    }
    return response.body
  }

  /** HEAD a blob: whether the repository holds it (a 404 from the registry itself: it does not). */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const scope = repositoryScope(repository, ['pull', 'push'])
    if (!DIGEST.test(digest))
      throw new RegistryHttpError('invalid-reference', `${show(digest)} is not a sha256/sha512 digest`)
    const path = `/v2/${repository}/blobs/${digest}`
    const response = await this.request(this.url(path), scope, { method: 'HEAD', maxBytes: 0 })
    if (response.status === 200) return true
    if (response.status === 404 && response.url.origin === this.origin) return false
    throw statusFailure(response)
  }

  /**
   * Uploads `bytes` as a blob of `repository` unless it holds them already: a monolithic upload (distribution
   * spec, "Pushing a blob monolithically": POST to open the upload, PUT the bytes with their digest to the
   * Location it answers). Returns the blob's sha256 digest.
   */
  async pushBlob(repository: string, bytes: Buffer): Promise<string> {
    const digest = digestOf(bytes)
    if (await this.hasBlob(repository, digest)) return digest
    const scope = repositoryScope(repository, ['pull', 'push'])
    const opened = await this.request(this.url(`/v2/${repository}/blobs/uploads/`), scope, {
      method: 'POST',
      maxBytes: MAX_BASE_BYTES
    })
    if (opened.status !== 202) throw statusFailure(opened)
    const upload = this.uploadLocation(opened)
    upload.searchParams.append('digest', digest)
    const put = await this.request(upload, scope, {
      method: 'PUT',
      body: { bytes, contentType: 'application/octet-stream' },
      maxBytes: MAX_BASE_BYTES
    })
    if (put.status !== 201) throw statusFailure(put)
    this.checkDigest(put, digest, 'blob')
    return digest
  }

  /**
   * PUT an OCI image manifest under `tag`; returns its digest, the sha256 of the bytes sent, which the registry's
   * Docker-Content-Digest must name when it sends one. The blobs it names must be pushed first.
   */
  async pushManifest(repository: string, tag: string, bytes: Buffer): Promise<string> {
    const scope = repositoryScope(repository, ['pull', 'push'])
    if (!TAG.test(tag)) throw new RegistryHttpError('invalid-reference', `${show(tag)} is not a tag`)
    const response = await this.request(this.url(`/v2/${repository}/manifests/${tag}`), scope, {
      method: 'PUT',
      body: { bytes, contentType: OCI_MANIFEST },
      maxBytes: MAX_BASE_BYTES
    })
    if (response.status !== 201) throw statusFailure(response)
    const digest = digestOf(bytes)
    this.checkDigest(response, digest, 'manifest')
    return digest
  }

  /** The same registry without credentials (for "is it public?"), with a token cache of its own. */
  anonymous(): RegistryClient {
    return new RegistryClient({ ...this.options, credentials: undefined })
  }

  /** A path of the registry's API (repository names and references are checked before they get here). */
  private url(path: string): URL {
    return new URL(path, this.origin)
  }

  /**
   * Where the registry takes an upload's bytes: its Location, relative or absolute. Only on the registry's own
   * origin, since the credentials and the bytes go there; a registry that hands the upload to another origin is
   * refused rather than followed.
   */
  private uploadLocation(opened: HttpResponse): URL {
    const fail = (why: string) => new RegistryHttpError('other', `${opened.request}: HTTP 202 ${why}`, 202)
    const location = header(opened, 'location')
    if (!location) throw fail('without a Location header to upload to')
    let url: URL
    try {
      url = new URL(location, this.origin)
    } catch {
      throw fail(`with an unreadable Location ${show(location)}`)
    }
    if (url.origin !== this.origin) {
      throw fail(`sending the upload to ${show(url.origin)}, another origin than ${this.origin}: refused`)
    }
    return url
  }

  /** A Docker-Content-Digest that names other bytes than were sent means the registry stored something else. */
  private checkDigest(response: HttpResponse, digest: string, what: string): void {
    const claimed = header(response, 'docker-content-digest')
    if (claimed === undefined || claimed === digest) return
    // Shown as it is when it is a digest, which holds nothing but the algorithm and hex.
    const named = DIGEST.test(claimed) ? claimed : show(claimed)
    throw new RegistryHttpError(
      'other',
      `${response.request}: HTTP ${response.status} naming the ${what} ${named}, not ${digest} of the bytes sent`,
      response.status
    )
  }

  /**
   * A request to the registry, with what authorization it has for `scope`; a 401 from the registry (not from where
   * it redirected) is answered once with the authorization its challenge asks for. The answer to that second
   * request is the caller's to judge.
   */
  private async request(
    url: URL,
    scope: Scope,
    options: Omit<SendOptions, 'authorization' | 'authOrigin' | 'timeoutMs'>
  ): Promise<HttpResponse> {
    const attempt = (authorization: string | undefined) =>
      send(url, { ...options, authorization, authOrigin: this.origin, timeoutMs: this.options.timeoutMs })
    const sent = this.cachedAuthorization(scope)
    const response = await attempt(sent)
    if (response.status !== 401 || response.url.origin !== this.origin) return response
    return attempt(await this.authorize(response, scope, sent))
  }

  private async authorize(response: HttpResponse, scope: Scope, sent: string | undefined): Promise<string> {
    let challenges: Challenge[]
    try {
      challenges = parseChallenges(response.challenges)
    } catch (error) {
      if (!(error instanceof MalformedChallengeError)) throw error
      throw new RegistryHttpError('other', `${response.request}: HTTP 401 with an ${error.message}`, 401)
    }
    const bearer = challenges.find(challenge => isScheme(challenge, 'Bearer'))
    if (bearer) {
      this.forget(sent)
      return this.token(bearer, scope, response)
    }
    if (challenges.some(challenge => isScheme(challenge, 'Basic'))) {
      const basic = this.basicAuthorization()
      // No credentials to give, or the registry refused the ones it was given.
      if (!basic || sent === basic) throw statusFailure(response)
      this.basicAsked = true
      return basic
    }
    if (challenges.length === 0) throw statusFailure(response)
    throw new UnsupportedAuthError(challenges[0].scheme, response.request)
  }

  /**
   * A token from the challenge's realm for `scope` (distribution's token spec): GET realm?service=…&scope=…, with
   * the credentials as Basic when there are any, none for an anonymous token.
   */
  private async token(challenge: Challenge, scope: Scope, challenged: HttpResponse): Promise<string> {
    const fail = (why: string) => new RegistryHttpError('other', `${challenged.request}: HTTP 401 ${why}`, 401)
    const realm = challenge.params.realm
    if (!realm) throw fail('with a Bearer challenge that names no realm')
    let url: URL
    try {
      url = new URL(realm)
    } catch {
      throw fail(`with a Bearer challenge whose realm ${show(realm)} is not a URL`)
    }
    // The credentials go to the realm: never in clear text unless the registry itself is plain HTTP.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.options.plainHttp)) {
      throw fail(
        `sending for a token to ${show(`${url.protocol}//${url.host}${url.pathname}`)}, which is not https: refused`
      )
    }
    if (challenge.params.service !== undefined) url.searchParams.set('service', challenge.params.service)
    url.searchParams.set('scope', scopeText(scope))
    const answer = await send(url, {
      accept: 'application/json',
      authorization: this.basicAuthorization(),
      authOrigin: url.origin,
      timeoutMs: this.options.timeoutMs,
      maxBytes: MAX_TOKEN_BYTES
    })
    if (answer.status !== 200) throw statusFailure(answer)
    const { token, expiresIn } = readToken(answer)
    const authorization = `Bearer ${token}`
    const seconds = Math.max(expiresIn - TOKEN_MARGIN_SECONDS, 0)
    this.tokens.push({ ...scope, authorization, expires: Date.now() + seconds * 1000 })
    return authorization
  }

  /** A cached token that covers the scope, or Basic once the registry asked for it. */
  private cachedAuthorization(scope: Scope): string | undefined {
    if (this.basicAsked) return this.basicAuthorization()
    const now = Date.now()
    const covers = (token: CachedToken) =>
      token.expires > now &&
      token.resource === scope.resource &&
      scope.actions.every(action => token.actions.includes(action) || token.actions.includes('*'))
    return this.tokens.find(covers)?.authorization
  }

  /** Drops a token the registry refused, and every expired one. */
  private forget(authorization: string | undefined): void {
    const now = Date.now()
    const keep = this.tokens.filter(token => token.authorization !== authorization && token.expires > now)
    this.tokens.splice(0, this.tokens.length, ...keep)
  }

  private basicAuthorization(): string | undefined {
    const credentials = this.options.credentials
    if (!credentials) return undefined
    return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
  }

  /** A 404 that says the manifest or repository is unknown, from the registry itself, is an answer: not there. */
  private isCleanMiss(response: HttpResponse): boolean {
    return (
      response.url.origin === this.origin &&
      registryErrors(response.body).some(entry => entry.code === 'MANIFEST_UNKNOWN' || entry.code === 'NAME_UNKNOWN')
    )
  }
}

function repositoryScope(repository: string, actions: string[]): Scope {
  if (repository.length > 255 || !repository.split('/').every(part => PATH_COMPONENT.test(part))) {
    throw new RegistryHttpError('invalid-reference', `${show(repository)} is not a repository name`)
  }
  if (actions.length === 0 || !actions.every(action => ACTION.test(action))) {
    throw new Error(`Actions ${show(actions.join(','))} are not a scope's actions.`)
  }
  return { resource: `repository:${repository}`, actions }
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** `token` or, in the OAuth2 form, `access_token`; `expires_in` in seconds. */
function readToken(answer: HttpResponse): { token: string; expiresIn: number } {
  let parsed: unknown
  try {
    parsed = parseJson(answer.body.toString('utf8'), "the token server's answer")
  } catch {
    parsed = undefined
  }
  const { token, access_token: accessToken, expires_in: expiresIn } = (parsed ?? {}) as Record<string, unknown>
  const chosen = [token, accessToken].find(value => typeof value === 'string' && value !== '')
  if (typeof chosen !== 'string' || !TOKEN_TEXT.test(chosen)) {
    throw new RegistryHttpError('other', `${answer.request}: HTTP 200 without a usable token or access_token`, 200)
  }
  const seconds =
    typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_TOKEN_SECONDS
  return { token: chosen, expiresIn: seconds }
}
