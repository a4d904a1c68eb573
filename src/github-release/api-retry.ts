import type { Log } from '../log-group.js'

/** What a GitHub API call that failed answered; no status when it never got an answer. */
export interface ApiFailure {
  status?: number
  /** GitHub's `message`, or what failed when there was no answer. */
  message: string
  headers?: Record<string, string | number | undefined>
  /** How many times the call was made. */
  tries?: number
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
  }
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
  if (tries >= RETRY.tries || failure.status === undefined) return undefined
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
  if (delay === undefined || Number.isNaN(delay) || waitedMs + delay > RETRY.budgetMs) return undefined
  return delay
}

/** The request's URL with its parameters filled in, as a log line shows it: `{?name,label}` dropped. */
export function requestPath(options: { url: string } & Record<string, unknown>): string {
  return options.url
    .replace(/\{\?[^}]*\}$/, '')
    .replace(/\{(\w+)\}/g, (whole, name: string) => (options[name] === undefined ? whole : String(options[name])))
}

/**
 * Wraps octokit's requests (`octokit.hook.wrap('request', …)`) to retry them. Our own, not
 * @octokit/plugin-retry with @octokit/plugin-throttling: plugin-retry ignores retry-after and leaves 403 rate
 * limits alone, and plugin-throttling spaces every write a second apart and bounds no total wait, which this
 * step needs.
 */
export function retrying(log: Log) {
  let waitedMs = 0
  return async <Options extends { method: string; url: string } & Record<string, unknown>, Result>(
    request: (options: Options) => Result | Promise<Result>,
    options: Options
  ): Promise<Result> => {
    for (let tries = 1; ; tries++) {
      try {
        return await request(options)
      } catch (error) {
        const failure = apiFailure(error)
        const delay = retryDelay(failure, tries, waitedMs, Date.now())
        if (delay === undefined) throw Object.assign(error as object, { tries })
        const path = requestPath(options)
        log(
          `GitHub answered ${options.method} ${path} with HTTP ${failure.status} (${failure.message || 'no message'}); ` +
            `trying again in ${Math.ceil(delay / 1000)} s.`
        )
        waitedMs += delay
        await new Promise(resolve => setTimeout(resolve, delay))
      }
    }
  }
}
