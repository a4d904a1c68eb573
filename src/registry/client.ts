/**
 * A small client of the OCI distribution API for reading a registry: log-in check, manifests and blobs, with
 * the registry's token (Bearer) or Basic authentication. It neither retries (the caller's retry policy does) nor
 * logs; every failure is a RegistryHttpError with its FailureKind, or an UnsupportedAuthError.
 */
import { isScheme, MalformedChallengeError, parseChallenges, type Challenge } from './auth-challenge.js'
import { get, RegistryHttpError, statusFailure, registryErrors, type HttpResponse } from './http.js'
import {
  DIGEST,
  digestOf,
  ManifestError,
  MANIFEST_TYPES,
  matchesDigest,
  parseManifest,
  type Manifest
} from './manifest.js'
import { HOST, PATH_COMPONENT } from './reference.js'
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
    const response = await this.send('/v2/', scope, undefined, MAX_BASE_BYTES)
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
    const response = await this.send(
      `/v2/${repository}/manifests/${reference}`,
      scope,
      MANIFEST_TYPES.join(', '),
      MAX_MANIFEST_BYTES
    )
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
    const response = await this.send(`/v2/${repository}/blobs/${digest}`, scope, undefined, maxBytes)
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

  /** The same registry without credentials (for "is it public?"), with a token cache of its own. */
  anonymous(): RegistryClient {
    return new RegistryClient({ ...this.options, credentials: undefined })
  }

  /**
   * A request to the registry, with what authorization it has for `scope`; a 401 from the registry (not from where
   * it redirected) is answered once with the authorization its challenge asks for. The answer to that second
   * request is the caller's to judge.
   */
  private async send(path: string, scope: Scope, accept: string | undefined, maxBytes: number): Promise<HttpResponse> {
    const url = new URL(path, this.origin)
    const request = (authorization: string | undefined) =>
      get(url, { accept, authorization, authOrigin: this.origin, timeoutMs: this.options.timeoutMs, maxBytes })
    const sent = this.cachedAuthorization(scope)
    const response = await request(sent)
    if (response.status !== 401 || response.url.origin !== this.origin) return response
    return request(await this.authorize(response, scope, sent))
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
    const answer = await get(url, {
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
    parsed = JSON.parse(answer.body.toString('utf8'))
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
