import { describe, expect, test } from '@jest/globals'
import { checkReleasable, failureText, immutableError, releaseError } from '../../src/github-release/github-release.js'

const repository = 'sofatutor/llm-proxy'
const place = {
  repo: { owner: 'sofatutor', repo: 'llm-proxy' },
  tag: 'v1.2.3',
  apiUrl: 'https://ghe.example.test/api/v3'
}
const WHERE = 'v1.2.3 in sofatutor/llm-proxy at https://ghe.example.test/api/v3'
const RERUN = 'The chart is in the registry; a re-run with if-exists: skip completes the GitHub Release.'

describe('releaseError', () => {
  test('a 403 names the missing permission, the fix, and the re-run that does not push again', () => {
    const error = releaseError(
      { status: 403, message: 'Resource not accessible by integration' },
      'create the release',
      '',
      place
    )
    expect(error.message).toBe(
      `GitHub refused to create the release for ${WHERE} (HTTP 403: Resource not accessible by integration). The ` +
        'token lacks the contents: write permission: add "permissions: contents: write" to the job, or pass a ' +
        'token that has it as github-token. The chart is already pushed: after that, a re-run with if-exists: ' +
        'skip creates the GitHub Release without pushing it again.'
    )
  })

  test.each([
    [
      'GitHub’s message and the tries',
      { status: 500, message: 'Server Error', tries: 5 },
      'The GitHub Release still holds the previous llm-proxy-1.2.3.tgz.',
      `Could not upload it for ${WHERE} (HTTP 500: Server Error, after 5 tries). The GitHub Release still holds the previous llm-proxy-1.2.3.tgz. ${RERUN}`
    ],
    [
      'an answer without a message says so',
      { status: 502, message: '' },
      '',
      `Could not upload it for ${WHERE} (HTTP 502: no message). ${RERUN}`
    ],
    [
      'no answer',
      { message: 'connect ECONNREFUSED' },
      '',
      `Could not upload it for ${WHERE} (connect ECONNREFUSED). ${RERUN}`
    ],
    [
      'a rate limit past the wait the action allows',
      { status: 429, message: 'API rate limit exceeded', tries: 1 },
      '',
      `GitHub's rate limit stopped the request to upload it for ${WHERE} (HTTP 429: API rate limit exceeded), and the ` +
        'action waits 60 s for GitHub at most. The chart is in the registry; a re-run with if-exists: skip, once ' +
        'the limit has passed, completes the GitHub Release.'
    ]
  ])('%s', (_, failure, left, message) => {
    expect(releaseError(failure, 'upload it', left, place).message).toBe(message)
  })
})

describe('failureText', () => {
  test.each([
    [{ status: 500, message: 'Server Error' }, 'HTTP 500: Server Error'],
    [{ status: 500, message: '', tries: 3 }, 'HTTP 500: no message, after 3 tries'],
    [{ message: 'socket hang up', tries: 1 }, 'socket hang up'],
    [
      { message: 'is malformed: the release is text, not JSON', transient: true, call: 'GET /repos/o/r', tries: 5 },
      "GitHub's answer to GET /repos/o/r is malformed: the release is text, not JSON, after 5 tries"
    ]
  ])('%j: %s', (failure, text) => {
    expect(failureText(failure)).toBe(text)
  })
})

const chart = {
  name: 'llm-proxy-1.2.3.tgz',
  size: 100,
  sha256: 'c'.repeat(64),
  data: Buffer.from('x'),
  contentType: 'application/gzip'
}
describe('immutableError', () => {
  const release = {
    html_url: 'https://github.com/o/r/releases/tag/v1.2.3',
    assets: [{ id: 1, name: chart.name, size: 13, digest: 'sha256:abc' }]
  }
  test.each([
    [
      'another chart of the name',
      chart,
      `its llm-proxy-1.2.3.tgz is not the chart pushed (sha256:abc, 13 bytes; pushed: sha256 ${chart.sha256}, 100 bytes)`
    ],
    [
      'none of the name',
      { ...chart, name: 'worker-1.2.3.tgz' },
      `it has no worker-1.2.3.tgz (pushed: sha256 ${chart.sha256})`
    ]
  ])('%s: names the release, what it lacks and the fix', (_, lacking, what) => {
    expect(immutableError(release, [lacking], 'v1.2.3').message).toBe(
      `The GitHub Release for v1.2.3 (${release.html_url}) is published and immutable, and ${what}. GitHub ` +
        'refuses every change to the assets of an immutable release, and its tag cannot be moved or reused. ' +
        'The chart is in the registry; to attach it to a GitHub Release, release it as a new version with a new tag.'
    )
  })
})

test('immutableError names a provenance file the registry no longer serves, which the release cannot lose', () => {
  const release = {
    html_url: 'https://github.com/o/r/releases/tag/v1.2.3',
    assets: [{ id: 2, name: `${chart.name}.prov`, size: 9, digest: 'sha256:def' }]
  }
  expect(immutableError(release, [], 'v1.2.3', release.assets).message).toBe(
    `The GitHub Release for v1.2.3 (${release.html_url}) is published and immutable, and it holds ` +
      'llm-proxy-1.2.3.tgz.prov, a provenance file the registry does not serve with the chart. GitHub refuses ' +
      'every change to the assets of an immutable release, and its tag cannot be moved or reused. The chart is in ' +
      'the registry; to attach it to a GitHub Release, release it as a new version with a new tag.'
  )
})

describe('checkReleasable', () => {
  test('splits GITHUB_REPOSITORY', () => {
    expect(checkReleasable(repository, 'token')).toEqual({ owner: 'sofatutor', repo: 'llm-proxy' })
  })

  test.each(['', 'sofatutor', 'a/b/c', '/llm-proxy'])('refuses GITHUB_REPOSITORY %j', repository => {
    expect(() => checkReleasable(repository, 'token')).toThrow('create-release needs GITHUB_REPOSITORY as owner/name')
  })

  test('refuses an empty token, naming the permission it needs', () => {
    expect(() => checkReleasable(repository, '')).toThrow(
      'Input github-token is empty, and create-release needs a token with the contents: write permission.'
    )
  })
})
