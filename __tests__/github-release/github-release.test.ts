import { describe, expect, test } from '@jest/globals'
import { checkReleasable, failureText, releaseBody, releaseError } from '../../src/github-release/github-release.js'

const repository = 'sofatutor/llm-proxy'
const spec = {
  tag: 'v1.2.3',
  sha: '5114f85d3a8e6e1e7a5c2c3b1d0f9e8a7b6c5d4e',
  prerelease: false,
  makeLatest: true,
  charts: [
    {
      install: 'helm install llm-proxy oci://ghcr.io/sofatutor/llm-proxy --version 1.2.3',
      chartRef: 'ghcr.io/sofatutor/llm-proxy:1.2.3',
      digest: `sha256:${'a'.repeat(64)}`,
      packagePath: '/tmp/llm-proxy-1.2.3.tgz'
    }
  ]
}

describe('releaseBody', () => {
  test('leads with the install line, the reference and the digest; the generated notes follow', () => {
    expect(releaseBody(spec, "## What's Changed\n* Fix it by @someone\n")).toBe(
      [
        '```shell',
        'helm install llm-proxy oci://ghcr.io/sofatutor/llm-proxy --version 1.2.3',
        '```',
        '',
        'Chart: `ghcr.io/sofatutor/llm-proxy:1.2.3`',
        `Digest: \`sha256:${'a'.repeat(64)}\``,
        '',
        "## What's Changed",
        '* Fix it by @someone',
        ''
      ].join('\n')
    )
  })

  test('several charts: an install line each, then a reference and digest each', () => {
    const two = {
      ...spec,
      charts: ['api', 'worker'].map(name => ({
        install: `helm install ${name} oci://ghcr.io/o/${name} --version 1.2.3`,
        chartRef: `ghcr.io/o/${name}:1.2.3`,
        digest: `sha256:${name[0].repeat(64)}`,
        packagePath: `/tmp/${name}-1.2.3.tgz`
      }))
    }
    expect(releaseBody(two, '')).toBe(
      [
        '```shell',
        'helm install api oci://ghcr.io/o/api --version 1.2.3',
        'helm install worker oci://ghcr.io/o/worker --version 1.2.3',
        '```',
        '',
        `- \`ghcr.io/o/api:1.2.3\` \`sha256:${'a'.repeat(64)}\``,
        `- \`ghcr.io/o/worker:1.2.3\` \`sha256:${'w'.repeat(64)}\``,
        ''
      ].join('\n')
    )
  })

  test('empty notes add nothing', () => {
    expect(releaseBody(spec, '  \n')).toMatch(/Digest: `sha256:a+`\n$/)
  })
})

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
    [{ message: 'socket hang up', tries: 1 }, 'socket hang up']
  ])('%j: %s', (failure, text) => {
    expect(failureText(failure)).toBe(text)
  })
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
