/**
 * One request to a registry (or its token realm, or wherever it redirects): redirects followed by hand so that
 * credentials never leave the origin they are for, a time limit and a size limit on every request, and every
 * failure a RegistryHttpError classified by status code or socket error code, never by the text of a message.
 */
import { HttpClient, type HttpClientResponse } from '@actions/http-client'
import type { RequestHandler } from '@actions/http-client/lib/interfaces'
import { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type RequestOptions } from 'node:http'
import { Readable } from 'node:stream'
import type { FailureKind } from './faults.js'
import { parseJson } from '../bounds.js'
import { errorMessage, show } from '../text.js'

/** A failed request, classified by status code / socket error code, never by text. */
export class RegistryHttpError extends Error {
  readonly kind: FailureKind
  /** The HTTP status of the answer, when there was one. */
  readonly status?: number

  constructor(kind: FailureKind, message: string, status?: number) {
    super(message)
    this.name = 'RegistryHttpError'
    this.kind = kind
    this.status = status
  }
}

/** The methods of the distribution API the client uses. */
export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT'

export interface SendOptions {
  /** GET unless given. */
  method?: Method
  accept?: string
  /** What a PUT uploads (a blob, a manifest), with its Content-Type. */
  body?: { bytes: Buffer; contentType: string }
  /** The Authorization header, sent only to `authOrigin`. */
  authorization?: string
  /** scheme://host:port the authorization belongs to. */
  authOrigin: string
  /** For each request (each redirect is one), from sending it to the last byte of its answer. */
  timeoutMs: number
  /** The most a 2xx answer's body may hold; a larger one fails the request. */
  maxBytes: number
}

export interface HttpResponse {
  status: number
  headers: IncomingHttpHeaders
  /** Every WWW-Authenticate header, each as sent. */
  challenges: string[]
  /** A 2xx answer's whole body; of any other answer the first ERROR_BODY_BYTES, for the registry's error. */
  body: Buffer
  /** Where the answer came from, after redirects. */
  url: URL
  /** The request as messages name it: `PUT host/v2/…`, and where it was redirected. */
  request: string
}

/** As many as Go's and oras-go's HTTP clients follow. */
const MAX_REDIRECTS = 10
const REDIRECTS = new Set([301, 302, 303, 307, 308])
/** Enough for any registry's error JSON. */
const ERROR_BODY_BYTES = 64 * 1024
const USER_AGENT = 'helm-release-action'

const SOCKET_KINDS = new Map<string, FailureKind>([
  ['ECONNREFUSED', 'refused'],
  ['ECONNRESET', 'reset'],
  ['EPIPE', 'reset'],
  ['ETIMEDOUT', 'timeout'],
  ['ENOTFOUND', 'unknown-host'],
  ['EAI_AGAIN', 'unknown-host'],
  // OpenSSL's "wrong version number": the server answered the TLS handshake with plain HTTP. Other TLS protocol
  // failures carry the same code, so the message gives the code with the likely cause rather than a certainty.
  ['EPROTO', 'plain-http']
])

const SOCKET_WORDS: Partial<Record<FailureKind, string>> = {
  refused: 'connection refused',
  reset: 'connection reset',
  timeout: 'connection timed out',
  'unknown-host': 'unknown host (DNS lookup failed)',
  'plain-http': 'TLS handshake failed; the server probably answers plain HTTP'
}

/**
 * The end of the connection before the whole answer arrived. Node ends the response without an error when the
 * server closes cleanly mid-body; for the caller it is a reset all the same.
 */
const prematureClose = () => Object.assign(new Error('connection closed mid-answer'), { code: 'ECONNRESET' })

/** http-client's hook into each request it sends: the request's abort signal, our time limit. */
class Deadline implements RequestHandler {
  constructor(private readonly signal: AbortSignal) {}

  prepareRequest(options: RequestOptions): void {
    options.signal = this.signal
  }

  canHandleAuthentication(): boolean {
    return false
  }

  handleAuthentication(): Promise<HttpClientResponse> {
    return Promise.reject(new Error('not used: 401 answers go back to the registry client'))
  }
}

/**
 * Sends a request to `url`; a GET or HEAD follows redirects. http-client is told not to follow them: it strips
 * Authorization only when the redirect goes to another host *name*, so http://registry:5000 → http://registry:6000
 * would carry the password to another port, and https → http only when allowed. oras-go had the same flaw and now
 * compares origins (scheme, host and port; GHSA-jxpm-75mh-9fp7); so does this: the header goes to every hop whose
 * origin is `authOrigin`, and to no other. Blobs on ghcr.io redirect to another host, so the hops away from the
 * origin go without credentials. A POST or PUT is not redirected by the distribution API: its 3xx is the caller's
 * to judge, and what it uploads is never sent on to a place the registry names.
 *
 * One HttpClient per request: http-client keeps one agent per client whatever the scheme, so a client that spoke
 * http:// could not follow a redirect to https://. Proxies: http-client routes through HTTPS_PROXY / HTTP_PROXY
 * unless NO_PROXY matches, and never for localhost, 127.* and [::1], which it treats as bypassed always.
 */
export async function send(url: URL, options: SendOptions): Promise<HttpResponse> {
  const first = url
  const method = options.method ?? 'GET'
  const follows = method === 'GET' || method === 'HEAD'
  for (let redirects = 0; ; redirects++) {
    const request = describeRequest(method, first, url)
    const headers: Record<string, string> = {}
    if (options.accept) headers.accept = options.accept
    if (options.authorization && url.origin === options.authOrigin) headers.authorization = options.authorization
    // http-client sets Content-Length only for a string; a stream of the bytes keeps them binary.
    const bytes = options.body?.bytes ?? Buffer.alloc(0)
    if (method === 'POST' || method === 'PUT') headers['content-length'] = String(bytes.length)
    if (options.body) headers['content-type'] = options.body.contentType
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), options.timeoutMs)
    let message: IncomingMessage
    let body: Buffer | undefined
    try {
      const client = new HttpClient(USER_AGENT, [new Deadline(controller.signal)], {
        allowRedirects: false,
        allowRetries: false,
        keepAlive: false,
        // http-client's own idle timeout (3 minutes unless set) fails without a code: never before ours.
        socketTimeout: options.timeoutMs + 1000
      })
      const data = bytes.length ? Readable.from([bytes], { objectMode: false }) : null
      message = (await client.request(method, url.href, data, headers)).message
      const status = message.statusCode ?? 0
      if (follows && REDIRECTS.has(status)) message.destroy()
      // A HEAD's Content-Length is that of what a GET would send: nothing to read, nothing to limit.
      else if (method === 'HEAD') body = await readBody(message, 0, false, request)
      else if (status >= 200 && status < 300) body = await readBody(message, options.maxBytes, true, request)
      else body = await readBody(message, ERROR_BODY_BYTES, false, request)
    } catch (error) {
      if (error instanceof RegistryHttpError) throw error
      throw socketFailure(error, controller.signal.aborted, request, options.timeoutMs)
    } finally {
      clearTimeout(timer)
    }
    const status = message.statusCode ?? 0
    if (body) {
      const challenges = message.headersDistinct['www-authenticate'] ?? []
      return { status, headers: message.headers, challenges, body, url, request }
    }
    url = redirectTarget(url, message, redirects, request)
  }
}

function redirectTarget(from: URL, message: IncomingMessage, redirects: number, request: string): URL {
  const status = message.statusCode
  const fail = (why: string) => new RegistryHttpError('other', `${request}: HTTP ${status} ${why}`, status)
  if (redirects >= MAX_REDIRECTS) throw fail(`after ${MAX_REDIRECTS} redirects: too many`)
  const location = message.headers.location
  if (!location) throw fail('without a Location header')
  let to: URL
  try {
    to = new URL(location, from)
  } catch {
    throw fail(`to an unreadable Location ${show(location)}`)
  }
  if (to.protocol !== 'https:' && to.protocol !== 'http:') throw fail(`to ${show(to.protocol)}, not HTTP`)
  // As http-client and browsers do: what was asked for encrypted is not fetched in clear text.
  if (from.protocol === 'https:' && to.protocol === 'http:')
    throw fail(`from https to http ${show(where(to))}: refused`)
  return to
}

/**
 * `GET host/path` of the first request, and where the last one went if it was redirected: the registry's paths are
 * ours, a redirect's are the registry's (quoted, and without the query, where signed URLs keep their signature).
 */
function describeRequest(method: Method, first: URL, url: URL): string {
  const asked = `${method} ${where(first)}`
  return url === first ? asked : `${asked} (redirected to ${show(where(url))})`
}

const where = (url: URL) => `${url.host}${url.pathname}`

function readBody(message: IncomingMessage, limit: number, whole: boolean, request: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () =>
      new RegistryHttpError(
        'other',
        `${request}: HTTP ${message.statusCode} with an answer larger than the limit of ${limit} bytes`,
        message.statusCode
      )
    if (whole && Number(message.headers['content-length']) > limit) {
      message.destroy()
      return reject(tooLarge())
    }
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const finish = (outcome: () => void) => {
      if (!done) outcome()
      done = true
    }
    message.on('data', (chunk: Buffer) => {
      if (done) return
      if (size + chunk.length <= limit) {
        size += chunk.length
        chunks.push(chunk)
        return
      }
      message.destroy()
      if (whole) finish(() => reject(tooLarge()))
      else finish(() => resolve(Buffer.concat([...chunks, chunk.subarray(0, limit - size)])))
    })
    message.once('end', () => finish(() => resolve(Buffer.concat(chunks))))
    message.once('error', error => finish(() => reject(error)))
    message.once('close', () => finish(() => reject(prematureClose())))
  })
}

/** A request that got no (complete) answer, by the socket error's code; `timedOut`: our deadline ended it. */
export function socketFailure(
  error: unknown,
  timedOut: boolean,
  request: string,
  timeoutMs: number
): RegistryHttpError {
  if (timedOut) return new RegistryHttpError('timeout', `${request}: no complete answer within ${timeoutMs} ms`)
  const raw = (error as { code?: unknown })?.code
  const code = typeof raw === 'string' && /^[A-Z0-9_]{1,40}$/.test(raw) ? raw : undefined
  const kind = (code && SOCKET_KINDS.get(code)) || 'other'
  // Node's own words for the rest (certificate errors, …) may quote the server's certificate: shown inert.
  const words = SOCKET_WORDS[kind] ?? show(errorMessage(error))
  return new RegistryHttpError(kind, `${request} failed: ${words}${code ? ` (${code})` : ''}`)
}

/** What a status means; the caller's retry policy and messages go by it. */
export function statusKind(status: number): FailureKind {
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'denied'
  if (status === 404) return 'not-found'
  if (status === 429) return 'throttled'
  if (status >= 500 && status <= 599) return 'server'
  return 'other'
}

export interface RegistryErrorEntry {
  code: string
  message: string
}

/** The `errors` of the registry's error JSON (distribution spec), or none when the body is not that. */
export function registryErrors(body: Buffer): RegistryErrorEntry[] {
  let parsed: unknown
  try {
    parsed = parseJson(body.toString('utf8'), "the registry's error")
  } catch {
    return []
  }
  const errors = (parsed as { errors?: unknown })?.errors
  if (!Array.isArray(errors)) return []
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  return errors.map(entry => ({ code: text(entry?.code), message: text(entry?.message) }))
}

const SHOWN_ERRORS = 3

/**
 * A non-2xx answer as an error: the request, the status, and what the registry said in its error JSON, each entry
 * quoted and shortened (the registry's words are untrusted and may run over lines).
 */
export function statusFailure(response: HttpResponse): RegistryHttpError {
  const { status } = response
  const entries = registryErrors(response.body).filter(entry => entry.code || entry.message)
  const said = entries.slice(0, SHOWN_ERRORS).map(entry => show([entry.code, entry.message].filter(Boolean).join(': ')))
  const more = entries.length > SHOWN_ERRORS ? ` and ${entries.length - SHOWN_ERRORS} more` : ''
  const saying = said.length ? `; the registry says ${said.join(', ')}${more}` : ''
  const reason = STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''
  return new RegistryHttpError(statusKind(status), `${response.request}: HTTP ${status}${reason}${saying}`, status)
}
