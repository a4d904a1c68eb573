import { describe, expect, jest, test } from '@jest/globals'
import type { FailureKind } from '../../src/registry/faults.js'
import { backoffMs, describePolicy, isTransient, RegistryFailure, withRetries } from '../../src/registry/retry.js'

const modern = { retries: 3, helmRetriesHttp: true }

describe('isTransient', () => {
  test.each<[FailureKind, boolean]>([
    ['refused', true],
    ['reset', true],
    ['timeout', true],
    ['server', true],
    ['throttled', true],
    ['read-after-write', true],
    ['plain-http', false],
    ['unauthorized', false],
    ['denied', false],
    ['invalid-reference', false],
    ['not-found', false],
    ['unknown-host', false],
    ['other', false]
  ])('%s → %s', (kind, transient) => {
    expect(isTransient(kind)).toBe(transient)
  })
})

describe('backoffMs', () => {
  test.each([
    [1, 0, 3200],
    [1, 0.5, 4000],
    [1, 1, 4800],
    [2, 0.5, 8000],
    [3, 0.5, 16000],
    [3, 1, 19200],
    [4, 0.5, 30000],
    [10, 0, 24000],
    [10, 1, 36000]
  ])('attempt %i with random %d → %i ms', (attempt, random, expected) => {
    expect(backoffMs(attempt, () => random)).toBe(expected)
  })
})

describe('describePolicy', () => {
  test.each([
    [
      modern,
      'helm v4.1.4',
      'Registry retries: up to 3 more attempt(s) after a refused or reset connection, a timeout, HTTP 429 or 5xx, ' +
        'or a chart the registry does not serve yet right after its upload, waiting 4 s, 8 s, 16 s (±20 %) in ' +
        'between, at most 34 s in all; helm v4.1.4 retries HTTP 429 and 5xx itself, five times within about 7 s on ' +
        'each attempt (waiting out a Retry-After of up to 3 s).'
    ],
    [
      { retries: 5, helmRetriesHttp: false },
      'helm v3.17.0',
      'Registry retries: up to 5 more attempt(s) after a refused or reset connection, a timeout, HTTP 429 or 5xx, ' +
        'or a chart the registry does not serve yet right after its upload, waiting 4 s, 8 s, 16 s, 30 s, 30 s ' +
        '(±20 %) in between, at most 106 s in all; helm v3.17.0 does not retry HTTP itself.'
    ],
    [
      { retries: 0, helmRetriesHttp: true },
      'helm v3.18.0',
      'Registry retries: none (input retries: 0); helm v3.18.0 retries HTTP 429 and 5xx itself, five times within ' +
        'about 7 s on each attempt (waiting out a Retry-After of up to 3 s).'
    ]
  ])('%j with %s', (policy, helm, text) => {
    expect(describePolicy(policy, helm)).toBe(text)
  })
})

describe('withRetries', () => {
  const context = { host: 'h', operation: 'push', chartName: 'c', timeout: '5m' }
  const failing = (messages: string[], result = 'done') => {
    let calls = 0
    const work = async () => {
      if (calls < messages.length) throw new Error(messages[calls++])
      calls++
      return result
    }
    return { work, calls: () => calls }
  }

  test('gives up at once on a refusal, with the explanation first and helm’s words after', async () => {
    const { work, calls } = failing(['response status code 401: unauthorized'])
    const lines: string[] = []
    const error = await withRetries(modern, context, line => lines.push(line), work).catch(caught => caught)
    expect(error).toBeInstanceOf(RegistryFailure)
    expect(error.kind).toBe('unauthorized')
    expect(error.message).toBe(
      'h refused the credentials (401) on push. Check inputs username and password (without a password, the login ' +
        "Docker's config holds for h); an expired or revoked token reads the same.\nresponse status code 401: unauthorized"
    )
    expect(calls()).toBe(1)
    expect(lines).toEqual([])
  })

  test('a timed-out helm counts as a timeout whatever it printed', async () => {
    const error = await withRetries(
      { retries: 0, helmRetriesHttp: true },
      context,
      () => undefined,
      async () => {
        throw Object.assign(new Error('helm push was stopped'), { timedOut: true })
      }
    ).catch(caught => caught)
    expect(error.kind).toBe('timeout')
  })

  // The waits pass on jest's clock, not the wall's.
  test.each([
    ['a reset connection', 'read: connection reset by peer', {}, 'reset'],
    ['a 5xx after helm’s own retries', 'response status code 503', {}, 'server, after helm’s five quick retries'],
    [
      'the registry not serving a fresh upload',
      'failed to perform "Tag" on destination: sha256:ab: not found',
      { afterUpload: true },
      'read-after-write'
    ],
    [
      'a miss on the verification',
      'failed to resolve h/c:1.0.0: h/c:1.0.0: not found',
      { afterUpload: true, ref: 'h/c:1.0.0' },
      'read-after-write'
    ]
  ])(
    'retries %s, logging what failed and the wait, and returns what the next attempt gave',
    async (_case, message, extra, what) => {
      jest.useFakeTimers()
      try {
        const { work, calls } = failing([message])
        const lines: string[] = []
        const result = withRetries(modern, { ...context, ...extra }, line => lines.push(line), work)
        await jest.runAllTimersAsync()
        await expect(result).resolves.toBe('done')
        expect(calls()).toBe(2)
        expect(lines[0]).toMatch(new RegExp(`^push: attempt 1 of 4 failed \\(${what}\\); retrying in [0-9]+ ms$`))
        expect(lines[1]).toBe(message)
      } finally {
        jest.useRealTimers()
      }
    }
  )

  test('a miss on a look-up is an answer, not retried', async () => {
    const { work, calls } = failing(['failed to resolve h/c:1.0.0: h/c:1.0.0: not found'])
    const error = await withRetries(modern, { ...context, ref: 'h/c:1.0.0' }, () => undefined, work).catch(
      caught => caught
    )
    expect(error.kind).toBe('not-found')
    expect(calls()).toBe(1)
  })
})
