import { describe, expect, test } from '@jest/globals'
import { isUntagged, parseStrictSemver, resolveChartRelease, resolveRelease } from '../../src/version/version.js'

const fromTag = (tag: string, tagPrefix = 'v') => resolveRelease({ tag, tagPrefix, version: '' })

describe('resolveRelease from a tag', () => {
  test.each([
    ['refs/tags/v1.2.3', '1.2.3', 'v1.2.3', ''],
    ['v1.2.3', '1.2.3', 'v1.2.3', ''],
    ['refs/tags/v0.0.0', '0.0.0', 'v0.0.0', ''],
    ['v0.1.0', '0.1.0', 'v0.1.0', ''],
    ['v10.20.30', '10.20.30', 'v10.20.30', ''],
    ['v2.0.0-rc.1', '2.0.0-rc.1', 'v2.0.0-rc.1', 'rc.1'],
    ['v1.0.0-alpha', '1.0.0-alpha', 'v1.0.0-alpha', 'alpha'],
    ['v1.0.0-alpha.beta.1', '1.0.0-alpha.beta.1', 'v1.0.0-alpha.beta.1', 'alpha.beta.1'],
    ['v1.0.0-0.3.7', '1.0.0-0.3.7', 'v1.0.0-0.3.7', '0.3.7'],
    ['v1.0.0-x-y-z.--', '1.0.0-x-y-z.--', 'v1.0.0-x-y-z.--', 'x-y-z.--'],
    ['v1.2.3+build.5', '1.2.3+build.5', 'v1.2.3+build.5', ''],
    ['v1.0.0-rc.1+sha.5114f85', '1.0.0-rc.1+sha.5114f85', 'v1.0.0-rc.1+sha.5114f85', 'rc.1'],
    ['refs/tags/v999999.0.1', '999999.0.1', 'v999999.0.1', '']
  ])('%s → %s', (tag, version, releaseTag, prerelease) => {
    expect(fromTag(tag)).toMatchObject({ version, tag: releaseTag, prerelease })
  })

  test('splits the numbers', () => {
    expect(fromTag('v3.14.15')).toMatchObject({ major: 3, minor: 14, patch: 15 })
  })

  test.each([
    ['chart-1.2.3', 'chart-', '1.2.3'],
    ['1.2.3', '', '1.2.3'],
    ['refs/tags/release/1.2.3', 'release/', '1.2.3']
  ])('prefix %s with tag-prefix %s', (tag, prefix, version) => {
    expect(fromTag(tag, prefix)).toMatchObject({ version, tag: tag.replace('refs/tags/', '') })
  })

  test.each([
    ['v1.2', /not "v" followed by a SemVer 2.0 version/],
    ['v01.2.3', /no leading zeros/],
    ['v1.02.3', /no leading zeros/],
    ['v1.2.3.4', /"v1.2.3.4"/],
    ['1.2.3', /does not start with the tag prefix "v"/],
    ['V1.2.3', /does not start with the tag prefix/],
    ['vv1.2.3', /not "v" followed by/],
    ['v1.2.3-', /"v1.2.3-"/],
    ['v1.2.3-01', /"v1.2.3-01"/],
    ['v1.2.3 ', /"v1.2.3 "/],
    [' v1.2.3', /does not start with the tag prefix/],
    ['v=1.2.3', /"v=1.2.3"/],
    ['v1.2.3;touch /tmp/x', /"v1.2.3;touch \/tmp\/x"/],
    ['v1.2.3$(id)', /"v1.2.3\$\(id\)"/],
    ['v1.2.3`id`', /"v1.2.3`id`"/],
    ['v1.2.3\nv1.2.4', /"v1.2.3\\nv1.2.4"/],
    ['v1.2.3 && rm -rf /', /"v1.2.3 && rm -rf \/"/],
    ['refs/tags/latest', /"latest" does not start/],
    ['v' + '1'.repeat(300) + '.0.0', /longer than 128 characters/],
    ['v1.2.3+', /"v1.2.3\+"/],
    ['v1.2.3+build..5', /"v1.2.3\+build..5"/]
  ])('refuses %j', (tag, message) => {
    expect(() => fromTag(tag)).toThrow(message)
  })

  test('names the expected form in every refusal', () => {
    expect(() => fromTag('v1.2')).toThrow('Release tags look like vMAJOR.MINOR.PATCH, e.g. v1.2.3 or v1.2.3-rc.1')
  })

  test.each(['', 'refs/heads/main', 'refs/pull/12/merge'])('%j names no release', ref => {
    expect(fromTag(ref)).toBeUndefined()
    expect(isUntagged(ref)).toBe(true)
  })
})

describe('resolveRelease from the version input', () => {
  test('overrides the tag and carries the prefix into tag', () => {
    expect(resolveRelease({ tag: 'refs/heads/main', tagPrefix: 'v', version: '4.5.6' })).toMatchObject({
      version: '4.5.6',
      tag: 'v4.5.6'
    })
  })

  test.each(['v1.2.3', '1.2', '1.2.3 ', 'latest'])('refuses %j', version => {
    expect(() => resolveRelease({ tag: '', tagPrefix: 'v', version })).toThrow(
      `Input version ${JSON.stringify(version)} is not a SemVer 2.0 version`
    )
  })
})

describe('parseStrictSemver', () => {
  test.each([
    ['1.2.3', true],
    ['=1.2.3', false],
    ['v1.2.3', false],
    ['1.2.3+a.b', true],
    ['1.2', false]
  ])('%s → valid %s', (text, valid) => {
    expect(parseStrictSemver(text) !== undefined).toBe(valid)
  })
})

describe('resolveChartRelease', () => {
  const names = ['api', 'api-gateway', 'worker']
  const source = (tag: string, tagPrefix = 'v') => ({ tag, tagPrefix, version: '' })

  test.each([
    ['refs/tags/v1.2.3', undefined, '1.2.3', 'v1.2.3'],
    ['worker-v1.2.3', 'worker', '1.2.3', 'worker-v1.2.3'],
    ['refs/tags/api-v2.0.0-rc.1', 'api', '2.0.0-rc.1', 'api-v2.0.0-rc.1'],
    ['api-gateway-v1.0.0', 'api-gateway', '1.0.0', 'api-gateway-v1.0.0']
  ])('%s releases %s at %s', (tag, chart, version, releaseTag) => {
    const resolved = resolveChartRelease(source(tag), names)
    expect(resolved?.chart).toBe(chart)
    expect(resolved?.release).toMatchObject({ version, tag: releaseTag })
  })

  test('with an empty prefix, worker-1.2.3 names worker', () => {
    expect(resolveChartRelease(source('worker-1.2.3', ''), names)).toMatchObject({ chart: 'worker' })
  })

  test.each([
    ['gateway-v1.2.3', 'Tag "gateway-v1.2.3" releases none of the charts api, api-gateway, worker.'],
    ['v1.2', 'Tag "v1.2" is not "v" followed by a SemVer 2.0 version'],
    ['worker-v1.2', 'Tag "worker-v1.2" names chart worker, but "1.2" after "worker-v" is not a SemVer 2.0 version.']
  ])('refuses %s', (tag, message) => {
    expect(() => resolveChartRelease(source(tag), names)).toThrow(message)
  })

  test('one chart keeps the plain tag message', () => {
    expect(() => resolveChartRelease(source('release-1'), ['api'])).toThrow('does not start with the tag prefix "v"')
  })

  test('an untagged ref names no release', () => {
    expect(resolveChartRelease(source('refs/heads/main'), names)).toBeUndefined()
  })
})
