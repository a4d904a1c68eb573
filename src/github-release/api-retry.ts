import { BOUNDS, jsonTooDeep, lineOf } from '../bounds.js'
import type { Log } from '../log-group.js'
import { formatDuration } from '../text.js'

/** What a GitHub API call that failed answered; no status when it never got an answer. */
export interface ApiFailure {
  status?: number
  /** GitHub's `message`, or what failed when there was no answer. */
  message: string
  headers?: Record<string, string | number | undefined>
  /** How many times the call was made. */
  tries?: number
  /** An answer that did not come whole in time, or came malformed: worth another try, as a server error is. */
  transient?: boolean
  /** The call, as `GET /repos/o/r/releases`, when the failure is not GitHub's own words about it. */
  call?: string
}

/**
 * An answer that did not arrive whole within the deadline, or arrived malformed. The message completes
 * "GitHub's answer to <call> …".
 */
export class AnswerError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AnswerError'
  }
}

/** How long the GitHub Release step waits for GitHub at most, over all its calls, and how often it tries one. */
export const RETRY = { tries: 5, budgetMs: 60_000, firstBackoffMs: 1000 }

/** What GitHub said: the `message` of its JSON answer, without the documentation link octokit appends. */
export function apiFailure(error: unknown): ApiFailure {
  const failure = error as {
    status?: number
    message?: string
    response?: { data?: unknown; headers?: ApiFailure['headers'] }
    tries?: number
    cause?: unknown
    call?: string
  }
  // octokit wraps what its fetch throws as an HTTP 500 of its own; the answer never had a status.
  const answer = [error, failure.cause].find(candidate => candidate instanceof AnswerError)
  if (answer) return { message: answer.message, transient: true, tries: failure.tries, call: failure.call }
  const data = failure.response?.data as { message?: unknown } | undefined
  const message = typeof data?.message === 'string' ? data.message : (failure.message ?? String(error))
  return { status: failure.status, message, headers: failure.response?.headers ?? {}, tries: failure.tries }
}

/**
 * GitHub's primary and secondary rate limits: 429, or 403 with retry-after or no requests left (a 403
 * without these is a permission refused, which no wait changes).
 */
export function isRateLimited(failure: ApiFailure): boolean {
  const headers = failure.headers ?? {}
  if (failure.status === 429) return true
  return (
    failure.status === 403 &&
    (headers['retry-after'] !== undefined ||
      String(headers['x-ratelimit-remaining']) === '0' ||
      /rate limit/i.test(failure.message))
  )
}

/**
 * How long to wait before the next try of a call that failed, or undefined to give up: server errors back off
 * exponentially, rate limits wait as long as GitHub says (retry-after, else the reset of the quota, else the
 * minute GitHub's documentation asks for), and nothing waits past the step's budget.
 * @param tries   how many times the call was made
 * @param waitedMs how long the step has waited for GitHub so far
 */
export function retryDelay(failure: ApiFailure, tries: number, waitedMs: number, nowMs: number): number | undefined {
  if (tries >= RETRY.tries) return undefined
  if (failure.status === undefined) {
    if (!failure.transient) return undefined
    return fits(RETRY.firstBackoffMs * 2 ** (tries - 1), waitedMs)
  }
  const headers = failure.headers ?? {}
  const retryAfter = headers['retry-after'] === undefined ? undefined : Number(headers['retry-after']) * 1000
  const reset = Number(headers['x-ratelimit-reset']) * 1000
  let delay: number | undefined
  if (isRateLimited(failure)) {
    if (retryAfter !== undefined) delay = retryAfter
    else if (String(headers['x-ratelimit-remaining']) === '0' && reset) delay = Math.max(0, reset - nowMs)
    else delay = 60_000
  } else if (failure.status >= 500) {
    delay = retryAfter ?? RETRY.firstBackoffMs * 2 ** (tries - 1)
  }
  return delay === undefined ? undefined : fits(delay, waitedMs)
}

/** A wait, unless it would take the step past its budget. */
const fits = (delay: number, waitedMs: number) =>
  Number.isNaN(delay) || waitedMs + delay > RETRY.budgetMs ? undefined : delay

type Fetch = typeof globalThis.fetch

// Statuses whose answer has no body, which a Response cannot be made with.
const EMPTY = new Set([101, 204, 205, 304])

/**
 * `fetch` with a deadline on the whole answer, headers and body: a GitHub that drips its answer is cut off at
 * `timeoutMs`, however slowly it keeps sending. The body is read here, at most BOUNDS.githubAnswerBytes of it,
 * and JSON nested deeper than BOUNDS.depth is refused before octokit parses it.
 */
export function withDeadline(fetch: Fetch, timeoutMs: number): Fetch {
  return async (url, init = {}) => {
    const deadline = AbortSignal.timeout(timeoutMs)
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline
    try {
      const response = await fetch(url, { ...init, signal })
      const chunks: Uint8Array[] = []
      let size = 0
      for await (const chunk of response.body ?? []) {
        size += chunk.length
        if (size > BOUNDS.githubAnswerBytes) {
          throw new AnswerError(`is malformed: it is larger than ${BOUNDS.githubAnswerBytes} bytes`)
        }
        chunks.push(chunk)
      }
      const body = Buffer.concat(chunks)
      if (/json/i.test(response.headers.get('content-type') ?? '')) {
        const text = body.toString('utf8')
        const deep = jsonTooDeep(text)
        if (deep !== undefined) {
          throw new AnswerError(
            `is malformed: its JSON nests deeper than ${BOUNDS.depth} levels (line ${lineOf(text, deep)})`
          )
        }
      }
      const whole = new Response(EMPTY.has(response.status) ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers
      })
      return Object.defineProperty(whole, 'url', { value: response.url })
    } catch (error) {
      if (!deadline.aborted) throw error
      throw new AnswerError(`did not come whole within ${formatDuration(timeoutMs)} (input timeout)`)
    }
  }
}

/** The request's URL with its parameters filled in, as a log line shows it: `{?name,label}` dropped. */
export function requestPath(options: { url: string } & Record<string, unknown>): string {
  return options.url
    .replace(/\{\?[^}]*\}$/, '')
    .replace(/\{(\w+)\}/g, (whole, name: string) => (options[name] === undefined ? whole : String(options[name])))
}

/** What bounds each try of a request: its deadline, and the check of the answer's shape. */
export interface Bounds {
  /** Each try's deadline (input timeout); none when undefined. */
  timeoutMs?: number
  /** What is wrong with a successful answer, or undefined: a malformed one is tried again. */
  check?: (method: string, url: string, data: unknown) => string | undefined
}

/**
 * Wraps octokit's requests (`octokit.hook.wrap('request', …)`) to retry them. Our own, not
 * @octokit/plugin-retry with @octokit/plugin-throttling: plugin-retry ignores retry-after and leaves 403 rate
 * limits alone, and plugin-throttling spaces every write a second apart and bounds no total wait, which this
 * step needs. Each try gets the deadline and its answer the check `bounds` give.
 */
export function retrying(log: Log, { timeoutMs, check }: Bounds = {}) {
  let waitedMs = 0
  return async <Options extends { method: string; url: string } & Record<string, unknown>, Result>(
    request: (options: Options) => Result | Promise<Result>,
    options: Options
  ): Promise<Result> => {
    const path = requestPath(options)
    if (timeoutMs !== undefined) {
      // Set on the request's own options: octokit's inner hooks are bound to that object, and take no other.
      const settings = (options.request ?? {}) as { fetch?: Fetch }
      Object.assign(options, {
        request: { ...settings, fetch: withDeadline(settings.fetch ?? globalThis.fetch, timeoutMs) }
      })
    }
    for (let tries = 1; ; tries++) {
      try {
        const result = await request(options)
        const problem = check?.(options.method, options.url, (result as { data?: unknown }).data)
        if (problem) throw new AnswerError(`is malformed: ${problem}`)
        return result
      } catch (error) {
        const failure = apiFailure(error)
        const delay = retryDelay(failure, tries, waitedMs, Date.now())
        const call = `${options.method} ${path}`
        if (delay === undefined) throw Object.assign(error as object, { tries, call })
        log(
          failure.status === undefined
            ? `GitHub's answer to ${call} ${failure.message}; trying again in ${Math.ceil(delay / 1000)} s.`
            : `GitHub answered ${call} with HTTP ${failure.status} (${failure.message || 'no message'}); ` +
                `trying again in ${Math.ceil(delay / 1000)} s.`
        )
        waitedMs += delay
        await new Promise(resolve => setTimeout(resolve, delay))
      }
    }
  }
}
