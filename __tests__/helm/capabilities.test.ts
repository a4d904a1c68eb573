import { describe, expect, test } from '@jest/globals'
import {
  checkHelmSupports,
  credentialWarnings,
  forwardsCredentials,
  helmRetriesHttp,
  parseHelmVersionOutput
} from '../../src/helm/capabilities.js'

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
    // The action writes the registry config itself: no `helm registry login --plain-http`, which 3.18 added.
    ['v3.17.3', { ...release, plainHttp: true }],
    ['v3.18.0', { ...release, plainHttp: true }],
    ['v3.18.1', { ...release, versions: ['1.2.3+build.5'] }],
    ['v4.1.4', { ...release, versions: ['1.2.3+build.5'], plainHttp: true }],
    ['v3.18.0', { ...release, push: false, versions: ['1.2.3+build.5'] }]
  ])('%s takes %j', (text, needs) => {
    expect(() => checkHelmSupports(helm(text), needs)).not.toThrow()
  })

  test('every refusal says how to get a helm that can', () => {
    expect(() => checkHelmSupports(helm('v3.7.0'), release)).toThrow('Set input helm-version (e.g. 4.2.4)')
    expect(() => checkHelmSupports(helm('v3.18.0'), { ...release, versions: ['2.0.0', '1.0.0+b'] })).toThrow(
      'Use Helm 3.18.1 or later, e.g. set input helm-version: 4.2.4.'
    )
  })
})

test.each([
  ['v3.17.3', false],
  ['v3.18.0', true],
  ['v3.20.2', true],
  ['v3.21.0', true],
  ['v3.21.1', false],
  ['v3.22.0', false],
  ['v4.0.0', true],
  ['v4.1.4', true],
  ['v4.2.0', true],
  ['v4.2.1', false],
  ['v4.2.4', false],
  ['v4.3.0', false],
  ['v5.0.0', false]
])('%s sends the credentials on to another host a blob upload names: %s', (text, forwards) => {
  expect(forwardsCredentials(helm(text))).toBe(forwards)
})

describe('credentialWarnings', () => {
  const redirect = expect.stringMatching(
    /^helm v4\.1\.4 sends the registry credentials .* not only to ghcr\.io .*Helm 4\.2\.1 and 3\.21\.1 and later do not; set input helm-version: 4\.2\.4 /
  )
  const clearText = (host: string) =>
    expect.stringMatching(
      new RegExp(`^Input plain-http sends the password for ${host.replaceAll('.', '\\.')} .*clear text`)
    )

  test.each([
    ['a push with a password', 'v4.1.4', release, 'ghcr.io', [redirect]],
    ['a helm that keeps them', 'v4.2.1', release, 'ghcr.io', []],
    ['no push', 'v4.1.4', { ...release, push: false, login: false }, 'ghcr.io', []],
    ['no password', 'v4.1.4', { ...release, login: false }, 'ghcr.io', []],
    ['no password, plain HTTP', 'v4.2.4', { ...release, login: false, plainHttp: true }, 'ghcr.io', []],
    ['plain HTTP off the machine', 'v4.2.4', { ...release, plainHttp: true }, 'ghcr.io', [clearText('ghcr.io')]],
    ['plain HTTP to 127.0.0.1', 'v4.2.4', { ...release, plainHttp: true }, '127.0.0.1:5000', []],
    ['plain HTTP to localhost', 'v4.2.4', { ...release, plainHttp: true }, 'localhost:5000', []],
    [
      'both',
      'v4.1.4',
      { ...release, plainHttp: true },
      'registry.example.invalid:5000',
      [expect.stringContaining('not only to registry.example.invalid:5000'), clearText('registry.example.invalid:5000')]
    ]
  ])('%s (%s): %j', (_, text, needs, host, expected) => {
    expect(credentialWarnings(helm(text), needs, host)).toEqual(expected)
  })
})
