import { describe, expect, test } from '@jest/globals'
import {
  decideLatest,
  imageLabels,
  imageMetadata,
  imageTagNames,
  type LatestQuestion,
  needsTagHistory,
  newestStable,
  shortSha
} from '../../src/image/image-metadata.js'
import { parseLatest } from '../../src/inputs/parse.js'
import { type Release, resolveRelease } from '../../src/version/version.js'

const SHA = '5114f85d3a8e6e1e7a5c2c3b1d0f9e8a7b6c5d4e'
const release = (tag: string): Release => resolveRelease({ tag, tagPrefix: 'v', version: '' })!
const OLDER = ['v0.9.0', 'v1.0.0', 'v1.2.3', 'v2.0.0-rc.1', 'chart-9.9.9', 'not-a-version', 'v3.0']

describe('imageTagNames: the release process order (tag, major.minor, sha, latest)', () => {
  test.each([
    ['v1.0.0', true, ['v1.0.0', '1.0', 'sha-5114f85', 'latest']],
    ['v1.2.3', true, ['v1.2.3', '1.2', 'sha-5114f85', 'latest']],
    ['v1.0.0', false, ['v1.0.0', '1.0', 'sha-5114f85']],
    ['v2.0.0-rc.1', false, ['v2.0.0-rc.1', 'sha-5114f85']],
    // latest: true forces it even on a prerelease; major.minor still belongs to the stable line only.
    ['v2.0.0-rc.1', true, ['v2.0.0-rc.1', 'sha-5114f85', 'latest']],
    // OCI tags cannot hold '+'.
    ['v1.2.3+build.5', false, ['v1.2.3_build.5', '1.2', 'sha-5114f85']]
  ])('%s, latest %s → %j', (tag, latest, names) => {
    expect(imageTagNames(release(tag), 'sha-5114f85', latest)).toEqual(names)
  })

  test.each([
    [true, ['sha-5114f85', 'latest']],
    [false, ['sha-5114f85']]
  ])('a branch push (no release), latest %s → %j', (latest, names) => {
    expect(imageTagNames(undefined, 'sha-5114f85', latest)).toEqual(names)
  })
})

describe('decideLatest', () => {
  const ask = (overrides: Partial<LatestQuestion>) =>
    decideLatest({
      mode: 'auto',
      release: release('v1.2.3'),
      tagPrefix: 'v',
      onDefaultBranch: false,
      history: { tags: OLDER, shallow: false },
      ...overrides
    })

  test.each([
    ['the newest stable tag', 'v1.2.3', OLDER, true],
    ['an older tag rebuilt', 'v1.0.0', OLDER, false],
    ['a prerelease', 'v2.0.0-rc.1', OLDER, false],
    ['newer than every tag, prereleases of later versions aside', 'v1.3.0', [...OLDER, 'v1.3.0'], true],
    ['the first release in full history', 'v0.1.0', ['v0.1.0'], true],
    ['equal to a tag but for build metadata', 'v1.2.3+build.5', [...OLDER, 'v1.2.3+build.5'], true]
  ])('%s: %s → %s', (_why, tag, tags, latest) => {
    expect(ask({ release: release(tag), history: { tags, shallow: false } })).toEqual({ latest })
  })

  test('a shallow checkout that still fetched the other tags can tell', () => {
    expect(ask({ release: release('v1.0.0'), history: { tags: OLDER, shallow: true } })).toEqual({ latest: false })
  })

  test.each([
    [{ tags: ['v1.2.3'], shallow: true }, 'the checkout is shallow and holds no other v* tag'],
    [{ tags: [], shallow: false }, 'the repository holds no v* tag'],
    [{ error: 'not a git repository' }, "the repository's tags could not be read (not a git repository)"]
  ])('%j falls back to "stable → latest" with a warning', (history, why) => {
    const decision = ask({ history })
    expect(decision.latest).toBe(true)
    expect(decision.warning).toBe(
      `Cannot tell whether v1.2.3 is the newest release: ${why}. Treating it as latest because it is stable. ` +
        'Check out with fetch-depth: 0 (or fetch-tags: true) to compare with the older tags, or set input ' +
        'latest to true or false.'
    )
  })

  test.each([
    [true, true],
    [false, false]
  ])('a branch push: latest exactly on the default branch (%s)', (onDefaultBranch, latest) => {
    expect(ask({ release: undefined, onDefaultBranch })).toEqual({ latest })
  })

  test.each([
    ['true', 'v1.0.0', true],
    ['true', 'v2.0.0-rc.1', true],
    ['false', 'v1.2.3', false]
  ] as const)('latest: %s wins over the tags for %s', (mode, tag, latest) => {
    expect(ask({ mode, release: release(tag), history: { error: 'never read' } })).toEqual({ latest })
  })

  test.each([
    ['auto', 'v1.2.3', true],
    ['auto', 'v2.0.0-rc.1', false],
    ['auto', undefined, false],
    ['true', 'v1.2.3', false],
    ['false', 'v1.2.3', false]
  ] as const)('reads the tags only for auto on a stable release: %s %s → %s', (mode, tag, needed) => {
    expect(needsTagHistory(mode, tag ? release(tag) : undefined)).toBe(needed)
  })
})

describe('newestStable', () => {
  test.each([
    [OLDER, 'v', '1.2.3'],
    [['chart-1.0.0', 'chart-0.2.0', 'v9.0.0'], 'chart-', '1.0.0'],
    [['v1.10.0', 'v1.9.0', 'v1.2.0'], 'v', '1.10.0'],
    [['v2.0.0-rc.1'], 'v', undefined],
    [[], 'v', undefined]
  ])('%j with prefix %j → %s', (tags, prefix, newest) => {
    expect(newestStable(tags, prefix)).toBe(newest)
  })
})

describe('parseLatest and shortSha', () => {
  test.each(['auto', 'true', 'false'])('takes %s', value => expect(parseLatest(value)).toBe(value))
  test.each(['yes', 'True', ''])('refuses %j', value => {
    expect(() => parseLatest(value)).toThrow(`Input latest is ${JSON.stringify(value)}; it takes auto, true or false.`)
  })

  test.each([
    [SHA, 'sha-5114f85'],
    ['a'.repeat(64), 'sha-aaaaaaa']
  ])('%s → %s', (sha, short) => expect(shortSha(sha)).toBe(short))
  test.each(['', '5114f85', SHA.toUpperCase(), `${SHA}\n`])('refuses GITHUB_SHA %j', sha => {
    expect(() => shortSha(sha)).toThrow(`GITHUB_SHA ${JSON.stringify(sha)} is not a commit SHA`)
  })
})

describe('imageMetadata and imageLabels', () => {
  test('full references in order, and the OCI labels', () => {
    const source = {
      image: 'ghcr.io/sofatutor/llm-proxy',
      sha: SHA,
      sourceUrl: 'https://github.com/sofatutor/llm-proxy'
    }
    expect(imageMetadata(source, release('v1.2.3'), true)).toEqual({
      shaShort: 'sha-5114f85',
      isLatest: true,
      tags: [
        'ghcr.io/sofatutor/llm-proxy:v1.2.3',
        'ghcr.io/sofatutor/llm-proxy:1.2',
        'ghcr.io/sofatutor/llm-proxy:sha-5114f85',
        'ghcr.io/sofatutor/llm-proxy:latest'
      ],
      labels: [
        'org.opencontainers.image.version=v1.2.3',
        `org.opencontainers.image.revision=${SHA}`,
        'org.opencontainers.image.source=https://github.com/sofatutor/llm-proxy'
      ]
    })
  })

  test('no image, no tags; the labels still come', () => {
    const meta = imageMetadata({ image: '', sha: SHA, sourceUrl: '' }, undefined, false)
    expect(meta.tags).toEqual([])
    expect(meta.labels).toEqual([
      'org.opencontainers.image.version=sha-5114f85',
      `org.opencontainers.image.revision=${SHA}`
    ])
  })

  test('labels leave out an unknown source', () => {
    expect(imageLabels({ version: 'v1.0.0', sha: SHA, sourceUrl: '' })).toHaveLength(2)
  })
})
