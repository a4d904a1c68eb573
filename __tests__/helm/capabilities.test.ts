import { describe, expect, test } from '@jest/globals'
import { checkHelmSupports, helmRetriesHttp, parseHelmVersionOutput } from '../../src/helm/capabilities.js'

const helm = (text: string) => {
  const version = parseHelmVersionOutput(text)
  if (!version) throw new Error(`unparsed ${text}`)
  return version
}
const release = { push: true, login: true, plainHttp: false, versions: ['1.2.3'] }

describe('parseHelmVersionOutput', () => {
  test.each([
    ['v3.18.0', 3, 18, 0],
    ['v4.1.4\n', 4, 1, 4],
    ['v3.19.0-rc.1', 3, 19, 0],
    ['v3.12.3+g3a31588', 3, 12, 3]
  ])('%j', (text, major, minor, patch) => {
    expect(parseHelmVersionOutput(text)).toEqual({ major, minor, patch, text: text.trim() })
  })

  test.each(['', 'Client: v2.16.0', 'version.BuildInfo{}'])('%j is no version', text => {
    expect(parseHelmVersionOutput(text)).toBeUndefined()
  })
})

test.each([
  ['v3.17.3', false],
  ['v3.18.0', true],
  ['v4.0.0', true]
])('%s retries 429/5xx itself: %s', (text, retries) => {
  expect(helmRetriesHttp(helm(text))).toBe(retries)
})

describe('checkHelmSupports', () => {
  test.each([
    ['v3.7.2', release, 'helm v3.7.2 cannot push to OCI registries; that needs Helm 3.8 or later.'],
    ['v3.7.2', { ...release, push: false }, 'helm v3.7.2 cannot push to OCI registries'],
    ['v3.12.0', { ...release, plainHttp: true }, 'Input plain-http needs Helm 3.13 or later'],
    ['v3.17.3', { ...release, plainHttp: true }, 'Input plain-http with a password needs Helm 3.18 or later'],
    [
      'v3.18.0',
      { ...release, versions: ['1.2.3+build.5'] },
      'helm v3.18.0 cannot push version "1.2.3+build.5": it fails with "not found" on any version with build metadata'
    ]
  ])('%s refuses %j', (text, needs, message) => {
    expect(() => checkHelmSupports(helm(text), needs)).toThrow(message)
  })

  test.each([
    ['v3.8.0', release],
    ['v3.13.0', { ...release, plainHttp: true, login: false }],
    ['v3.18.0', { ...release, plainHttp: true }],
    ['v3.18.1', { ...release, versions: ['1.2.3+build.5'] }],
    ['v4.1.4', { ...release, versions: ['1.2.3+build.5'], plainHttp: true }],
    ['v3.18.0', { ...release, push: false, versions: ['1.2.3+build.5'] }]
  ])('%s takes %j', (text, needs) => {
    expect(() => checkHelmSupports(helm(text), needs)).not.toThrow()
  })

  test('every refusal says how to get a helm that can', () => {
    expect(() => checkHelmSupports(helm('v3.7.0'), release)).toThrow('Set input helm-version (e.g. 4.1.4)')
    expect(() => checkHelmSupports(helm('v3.18.0'), { ...release, versions: ['2.0.0', '1.0.0+b'] })).toThrow(
      'Use Helm 3.18.1 or later, e.g. set input helm-version: 4.1.4.'
    )
  })
})
