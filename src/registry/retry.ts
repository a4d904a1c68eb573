import { classifyFailure, explainFailure, type FailureContext, type FailureKind } from './faults.js'
import type { Log } from '../log-group.js'
import { errorMessage } from '../text.js'

export interface RetryPolicy {
  /** Further attempts after the first (input retries). */
  retries: number
  /** Whether the helm in use retries 429 and 5xx itself; then those are not retried again on top. */
  helmRetriesHttp: boolean
}

const BASE_MS = 1000
const MAX_MS = 30_000

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
 * Connection faults and timeouts are retried here, since helm never retries them. 429 and 5xx only when helm
 * does not retry them itself, so the attempts add up to at most (retries + 1) or helm's own six, not their product.
 */
export function isTransient(kind: FailureKind, policy: RetryPolicy): boolean {
  if (kind === 'refused' || kind === 'reset' || kind === 'timeout') return true
  return (kind === 'throttled' || kind === 'server') && !policy.helmRetriesHttp
}

/** Exponential backoff from 1 s, capped at 30 s, with ±50 % jitter so that parallel jobs do not retry in step. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.round(Math.min(BASE_MS * 2 ** (attempt - 1), MAX_MS) * (0.5 + random()))
}

/** The retry budget in words, logged before the first registry call. */
export function describePolicy(policy: RetryPolicy, helm: string): string {
  const own = policy.retries
    ? `up to ${policy.retries} more attempt(s) with backoff after a refused or reset connection or a timeout`
    : 'no retries (input retries: 0)'
  const http = policy.helmRetriesHttp
    ? `${helm} retries HTTP 429 (honouring Retry-After) and 5xx five times itself, so the action does not repeat those`
    : `the action also retries HTTP 429 and 5xx, since ${helm} does not`
  return `Registry retries: ${own}; ${http}.`
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/**
 * Runs a registry operation, retrying transient failures; a lasting one becomes a RegistryFailure whose
 * message leads with the explanation and keeps helm's own words below it.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  context: Omit<FailureContext, 'attempts' | 'helmRetriesHttp'> & { ref?: string },
  log: Log,
  work: () => Promise<T>
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      const text = errorMessage(error)
      const kind = (error as { timedOut?: boolean }).timedOut ? 'timeout' : classifyFailure(text, context.ref)
      if (isTransient(kind, policy) && attempt <= policy.retries) {
        const wait = backoffMs(attempt)
        log(
          `${context.operation}: attempt ${attempt} of ${policy.retries + 1} failed (${kind}); retrying in ${wait} ms`
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
