import { describe, expect, test } from '@jest/globals'
import { checkReleasable, releaseBody, releaseError } from '../../src/github-release/github-release.js'

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

describe('releaseError', () => {
  const repo = { owner: 'sofatutor', repo: 'llm-proxy' }
  test('a 403 names the missing permission and the fix', () => {
    const error = releaseError(
      { status: 403, message: 'Resource not accessible by integration' },
      'create the release',
      repo,
      'v1.2.3',
      'https://api.github.com'
    )
    expect(error.message).toBe(
      'GitHub refused to create the release for v1.2.3 in sofatutor/llm-proxy at https://api.github.com ' +
        '(HTTP 403: Resource not accessible by integration). The token lacks the contents: write permission: ' +
        'add "permissions: contents: write" to the job, or pass a token that has it as github-token. The chart ' +
        'is already pushed; a re-run updates the release instead of adding one.'
    )
  })

  test.each([
    [
      { status: 422, message: 'Validation Failed' },
      'Could not create the release for v1.2.3 in sofatutor/llm-proxy at https://ghe.example.test/api/v3 (HTTP 422: Validation Failed).'
    ],
    [
      { message: 'connect ECONNREFUSED' },
      'Could not create the release for v1.2.3 in sofatutor/llm-proxy at https://ghe.example.test/api/v3 (connect ECONNREFUSED).'
    ]
  ])('other failures say what failed: %j', (failure, message) => {
    expect(releaseError(failure, 'create the release', repo, 'v1.2.3', 'https://ghe.example.test/api/v3').message).toBe(
      message
    )
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
