import { describe, expect, test } from '@jest/globals'
import type { FailureKind } from '../../src/registry/faults.js'
import { backoffMs, describePolicy, isTransient, RegistryFailure, withRetries } from '../../src/registry/retry.js'

const modern = { retries: 3, helmRetriesHttp: true }
const old = { retries: 3, helmRetriesHttp: false }

describe('isTransient', () => {
  test.each<[FailureKind, boolean, boolean]>([
    ['refused', true, true],
    ['reset', true, true],
    ['timeout', true, true],
    ['server', false, true],
    ['throttled', false, true],
    ['unauthorized', false, false],
    ['denied', false, false],
    ['invalid-reference', false, false],
    ['not-found', false, false],
    ['unknown-host', false, false],
    ['other', false, false]
  ])('%s: with helm ≥ 3.18 %s, before %s', (kind, withModern, withOld) => {
    expect(isTransient(kind, modern)).toBe(withModern)
    expect(isTransient(kind, old)).toBe(withOld)
  })
})

describe('backoffMs', () => {
  test.each([
    [1, 0, 500],
    [1, 1, 1500],
    [2, 0.5, 2000],
    [3, 0.5, 4000],
    [4, 0, 4000],
    [10, 0.5, 30000],
    [10, 1, 45000]
  ])('attempt %i with random %d → %i ms', (attempt, random, expected) => {
    expect(backoffMs(attempt, () => random)).toBe(expected)
  })
})

test('describePolicy states both layers', () => {
  expect(describePolicy(modern, 'helm v4.1.4')).toBe(
    'Registry retries: up to 3 more attempt(s) with backoff after a refused or reset connection or a timeout; ' +
      'helm v4.1.4 retries HTTP 429 (honouring Retry-After) and 5xx five times itself, so the action does not repeat those.'
  )
  expect(describePolicy({ retries: 0, helmRetriesHttp: false }, 'helm v3.17.0')).toContain(
    'no retries (input retries: 0); the action also retries HTTP 429 and 5xx, since helm v3.17.0 does not'
  )
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
      'h refused the credentials (401) on push. Check inputs username and password; an expired or revoked token ' +
        'reads the same.\nresponse status code 401: unauthorized'
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

  test('retries a reset connection, logging each attempt, and returns what the last one gave', async () => {
    const { work, calls } = failing(['read: connection reset by peer'])
    const lines: string[] = []
    await expect(withRetries(modern, context, line => lines.push(line), work)).resolves.toBe('done')
    expect(calls()).toBe(2)
    expect(lines[0]).toMatch(/^push: attempt 1 of 4 failed \(reset\); retrying in [0-9]+ ms$/)
  })
})
