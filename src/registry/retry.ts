import { classifyFailure, explainFailure, type FailureContext, type FailureKind } from './faults.js'
import type { Log } from '../log-group.js'
import { RegistryHttpError } from './client.js'
import { errorMessage } from '../text.js'

export interface RetryPolicy {
  /** Further attempts after the first (input retries). */
  retries: number
  /** Whether the helm in use retries 429 and 5xx itself, quickly (see helmRetriesHttp); the log says so. */
  helmRetriesHttp: boolean
}

/**
 * The action's waits between attempts: 4 s, 8 s, 16 s, then 30 s each, ±20 % so that parallel jobs do not retry
 * in step. Long enough that the default three retries outlast an outage of 20 s even when helm adds no time of its
 * own (before 3.18), short enough that they give up within about a minute.
 */
const BASE_MS = 4000
const MAX_MS = 30_000
const JITTER = 0.2

/** A registry operation that failed for good, with what the failure was. */
export class RegistryFailure extends Error {
  readonly kind: FailureKind

  constructor(kind: FailureKind, message: string) {
    super(message)
    this.name = 'RegistryFailure'
    this.kind = kind
  }
}

/**
 * Faults that may pass by themselves. 429 and 5xx too when helm retries them itself: its five retries span about
 * 7 s, which a registry outage easily outlasts, so each of the action's attempts gets helm's quick retries.
 */
const TRANSIENT = new Set<FailureKind>(['refused', 'reset', 'timeout', 'throttled', 'server', 'read-after-write'])

export function isTransient(kind: FailureKind): boolean {
  return TRANSIENT.has(kind)
}

/**
 * The wait before attempt `attempt + 1`, the same for the push and the action's own requests: helm prints no
 * response headers, so Retry-After is left to helm ≥ 3.18, which honours it itself on 429 (oras-go waits
 * Retry-After seconds, but at most 3 s, between its retries).
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.round(nominalWaitMs(attempt) * (1 - JITTER + 2 * JITTER * random()))
}

const nominalWaitMs = (attempt: number): number => Math.min(BASE_MS * 2 ** (attempt - 1), MAX_MS)

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`

/** The retry budget in words, logged before the first registry call. */
export function describePolicy(policy: RetryPolicy, helm: string): string {
  const waits = Array.from({ length: policy.retries }, (_, index) => nominalWaitMs(index + 1))
  const total = waits.reduce((sum, wait) => sum + wait, 0) * (1 + JITTER)
  const own = policy.retries
    ? `up to ${policy.retries} more attempt(s) after a refused or reset connection, a timeout, HTTP 429 or 5xx, ` +
      `or a chart the registry does not serve yet right after its upload, waiting ${waits.map(seconds).join(', ')} ` +
      `(±${JITTER * 100} %) in between, at most ${seconds(total)} in all`
    : 'none (input retries: 0)'
  const http = policy.helmRetriesHttp
    ? `${helm} retries HTTP 429 and 5xx itself, five times within about 7 s on each attempt (waiting out a ` +
      'Retry-After of up to 3 s)'
    : `${helm} does not retry HTTP itself`
  return `Registry retries: ${own}; ${http}.`
}

/**
 * What went wrong: the status code or socket error the registry client saw, else (helm exposes neither) read
 * from helm's text. Right after an upload, "not found" is the registry's read-after-write delay.
 */
export function failureKind(error: unknown, ref: string | undefined, afterUpload = false): FailureKind {
  if ((error as { timedOut?: boolean }).timedOut) return 'timeout'
  if (error instanceof RegistryHttpError)
    return afterUpload && error.kind === 'not-found' ? 'read-after-write' : error.kind
  return classifyFailure(errorMessage(error), ref, afterUpload)
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/**
 * Runs a registry operation, retrying transient failures; a lasting one becomes a RegistryFailure whose
 * message leads with the explanation and keeps helm's own words below it. `afterUpload`: the push and the
 * verification right after it, where the registry may not serve a fresh upload yet.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  context: Omit<FailureContext, 'attempts' | 'helmRetriesHttp'> & { afterUpload?: boolean },
  log: Log,
  work: () => Promise<T>
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      const text = errorMessage(error)
      const kind = failureKind(error, context.ref, context.afterUpload)
      if (isTransient(kind) && attempt <= policy.retries) {
        const wait = backoffMs(attempt)
        const quick = policy.helmRetriesHttp && (kind === 'server' || kind === 'throttled')
        log(
          `${context.operation}: attempt ${attempt} of ${policy.retries + 1} failed ` +
            `(${kind}${quick ? ', after helm’s five quick retries' : ''}); retrying in ${wait} ms`
        )
        log(text)
        await sleep(wait)
        continue
      }
      const lead = explainFailure(kind, { ...context, attempts: attempt, helmRetriesHttp: policy.helmRetriesHttp })
      throw new RegistryFailure(kind, `${lead}\n${text}`)
    }
  }
}
