import { describe, expect, test } from '@jest/globals'
import {
  AnswerError,
  apiFailure,
  isRateLimited,
  requestPath,
  retryDelay,
  retrying
} from '../../src/github-release/api-retry.js'

const NOW = 1_800_000_000_000

describe('retryDelay', () => {
  test.each([
    ['a server error backs off: 1 s after the first try', { status: 500, message: 'Server Error' }, 1, 0, 1000],
    ['… 8 s after the fourth', { status: 502, message: 'Bad Gateway' }, 4, 0, 8000],
    ['… and gives up after the fifth', { status: 503, message: '' }, 5, 0, undefined],
    [
      'a server error with retry-after waits that long',
      { status: 503, message: '', headers: { 'retry-after': '3' } },
      1,
      0,
      3000
    ],
    ['429 waits as retry-after says', { status: 429, message: 'x', headers: { 'retry-after': '2' } }, 1, 0, 2000],
    [
      'a secondary rate limit (403 with retry-after) waits as it says',
      { status: 403, message: 'You have exceeded a secondary rate limit', headers: { 'retry-after': '5' } },
      1,
      0,
      5000
    ],
    [
      'an exhausted quota waits for its reset',
      {
        status: 403,
        message: 'API rate limit exceeded',
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 20) }
      },
      1,
      0,
      20_000
    ],
    [
      'a secondary rate limit that says no time waits a minute',
      { status: 403, message: 'secondary rate limit' },
      1,
      0,
      60_000
    ],
    ['… unless the step has waited already', { status: 403, message: 'secondary rate limit' }, 1, 1000, undefined],
    ['no wait past the budget', { status: 429, message: 'x', headers: { 'retry-after': '30' } }, 1, 40_000, undefined],
    [
      'a wait that fills the budget exactly',
      { status: 429, message: 'x', headers: { 'retry-after': '30' } },
      1,
      30_000,
      30_000
    ],
    ['a 403 refusal is final', { status: 403, message: 'Resource not accessible by integration' }, 1, 0, undefined],
    ['so are 404 and 422', { status: 422, message: 'Validation Failed' }, 1, 0, undefined],
    ['a failure without an answer is not GitHub’s', { message: 'boom' }, 1, 0, undefined],
    ['an answer cut off or malformed backs off as a server error does', { message: 'x', transient: true }, 2, 0, 2000],
    ['… within the budget', { message: 'x', transient: true }, 4, 55_000, undefined],
    [
      'a retry-after that is no number',
      { status: 429, message: 'x', headers: { 'retry-after': 'soon' } },
      1,
      0,
      undefined
    ]
  ])('%s', (_, failure, tries, waited, delay) => {
    expect(retryDelay(failure, tries, waited, NOW)).toBe(delay)
  })
})

describe('isRateLimited', () => {
  test.each([
    [{ status: 429, message: '' }, true],
    [{ status: 403, message: '', headers: { 'retry-after': '1' } }, true],
    [{ status: 403, message: '', headers: { 'x-ratelimit-remaining': 0 } }, true],
    [{ status: 403, message: 'API rate limit exceeded for installation' }, true],
    [
      { status: 403, message: 'Resource not accessible by integration', headers: { 'x-ratelimit-remaining': '4999' } },
      false
    ],
    [{ status: 500, message: '', headers: { 'retry-after': '1' } }, false]
  ])('%j: %s', (failure, limited) => {
    expect(isRateLimited(failure)).toBe(limited)
  })
})

describe('apiFailure', () => {
  test.each([
    [
      'GitHub’s own message, without the link octokit appends',
      Object.assign(new Error('Server Error - https://docs.github.com/rest'), {
        status: 500,
        response: {
          data: { message: 'Server Error', documentation_url: 'https://docs.github.com/rest' },
          headers: { a: '1' }
        }
      }),
      { status: 500, message: 'Server Error', headers: { a: '1' }, tries: undefined }
    ],
    [
      'an answer without a message: octokit’s text for it',
      Object.assign(new Error(''), { status: 502, response: { data: '', headers: {} }, tries: 5 }),
      { status: 502, message: '', headers: {}, tries: 5 }
    ],
    [
      'an answer that did not come whole, which octokit wraps as an HTTP 500 of its own',
      Object.assign(new Error('x'), {
        status: 500,
        cause: new AnswerError('did not come whole within 5s (input timeout)'),
        tries: 5,
        call: 'POST /x'
      }),
      { message: 'did not come whole within 5s (input timeout)', transient: true, tries: 5, call: 'POST /x' }
    ],
    [
      'no answer at all',
      new Error('connect ECONNREFUSED'),
      { status: undefined, message: 'connect ECONNREFUSED', headers: {}, tries: undefined }
    ]
  ])('%s', (_, error, failure) => {
    expect(apiFailure(error)).toEqual(failure)
  })
})

describe('requestPath', () => {
  test.each([
    [
      { url: '/repos/{owner}/{repo}/releases/assets/{asset_id}', owner: 'o', repo: 'r', asset_id: 7 },
      '/repos/o/r/releases/assets/7'
    ],
    [
      { url: 'https://uploads.example.test/repos/o/r/releases/1/assets{?name,label}', name: 'a.tgz' },
      'https://uploads.example.test/repos/o/r/releases/1/assets'
    ],
    [{ url: '/repos/{owner}/x' }, '/repos/{owner}/x']
  ])('%j: %s', (options, path) => {
    expect(requestPath(options)).toBe(path)
  })
})

describe('retrying', () => {
  const failing = (status: number, headers: Record<string, string>) =>
    Object.assign(new Error('x'), { status, response: { data: { message: 'Nope' }, headers } })

  test('tries again after a retryable failure, logging the wait, and returns the answer', async () => {
    const lines: string[] = []
    const answers = [failing(429, { 'retry-after': '0' }), 'answer']
    const request = async () => {
      const next = answers.shift()
      if (next instanceof Error) throw next
      return next
    }
    const options = { method: 'POST', url: '/repos/{owner}/{repo}/releases', owner: 'o', repo: 'r' }
    expect(await retrying(text => lines.push(text))(request, options)).toBe('answer')
    expect(lines).toEqual(['GitHub answered POST /repos/o/r/releases with HTTP 429 (Nope); trying again in 0 s.'])
  })

  test('gives up on a final failure at once, telling how often it tried', async () => {
    const error = failing(404, {})
    const request = async () => {
      throw error
    }
    await expect(retrying(() => undefined)(request, { method: 'GET', url: '/x' })).rejects.toMatchObject({ tries: 1 })
  })
})
