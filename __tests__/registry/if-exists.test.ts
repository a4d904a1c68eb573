import { describe, expect, test } from '@jest/globals'
import { decide, decideBeforePush, verificationFailure, verifyMismatch } from '../../src/registry/if-exists.js'

const ref = 'ghcr.io/sofatutor/llm-proxy:1.2.3'
const digest = `sha256:${'a'.repeat(64)}`
const other = `sha256:${'b'.repeat(64)}`
const differs = { digest, identical: false }
const same = { digest, identical: true }

describe('decide', () => {
  test.each([
    ['fail', undefined, { push: true }],
    ['skip', undefined, { push: true }],
    ['overwrite', undefined, { push: true }],
    ['skip', differs, { push: false, digest, identical: false }],
    ['overwrite', differs, { push: true, replaces: digest }],
    ['fail', same, { push: false, digest, identical: true }],
    ['skip', same, { push: false, digest, identical: true }],
    ['overwrite', same, { push: false, digest, identical: true }]
  ] as const)('if-exists %s with %j → %j', (ifExists, existing, decision) => {
    expect(decide(ifExists, existing, ref)).toEqual(decision)
  })

  test('fail stops on a published version, naming the reference and the inputs that allow a re-run', () => {
    expect(() => decide('fail', differs, ref)).toThrow(
      `${ref} is already published (${digest}); a released version is not pushed again by default. If this is a ` +
        're-run, set input if-exists: skip to keep the published chart, or if-exists: overwrite to replace it.'
    )
  })
})

const CONCURRENCY =
  'Give the release job a concurrency: group per ref (concurrency: { group: ${{ github.workflow }}-${{ github.ref }} }), so that ' +
  'two runs never publish the same version at once.'

describe('decideBeforePush', () => {
  test.each([
    ['fail', undefined, { push: true }],
    ['skip', undefined, { push: true }],
    ['skip', differs, { push: false, digest, identical: false }],
    ['overwrite', differs, { push: true, replaces: digest }],
    ['fail', same, { push: false, digest, identical: true }]
  ] as const)('if-exists %s, now %j → %j', (ifExists, found, decision) => {
    expect(decideBeforePush(ifExists, found, ref)).toEqual(decision)
  })

  test('fail refuses a push that landed since the look-up, saying it was another push, not a re-run', () => {
    expect(() => decideBeforePush('fail', differs, ref)).toThrow(
      `${ref} was published (${digest}) after this run looked it up and before it pushed: another run or person ` +
        'pushed the same version meanwhile, so this run pushed nothing (if-exists: fail). Check what the registry ' +
        `holds. ${CONCURRENCY}`
    )
  })
})

describe('verificationFailure', () => {
  const pushed = { digest, name: 'llm-proxy', version: '1.2.3' }
  test.each([
    [{}, undefined],
    [
      { digest: other },
      `another push replaced ${ref} (now ${other}) after this run pushed ${digest}. The chart this run pushed is no ` +
        `longer what the tag serves: check what the registry holds (\`helm show chart oci://x --version 1.2.3\`) before ` +
        `anything else. ${CONCURRENCY}`
    ],
    [
      { digest: other, version: '9.9.9' },
      `another push replaced ${ref} (now ${other}) after this run pushed ${digest}. The chart this run pushed is no ` +
        `longer what the tag serves: check what the registry holds (\`helm show chart oci://x --version 1.2.3\`) before ` +
        `anything else. ${CONCURRENCY}`
    ],
    [{ name: 'x' }, `Verification failed: ${ref} resolves to the pushed digest but reads name x instead of llm-proxy.`]
  ])('served %j → %j', (served, failure) => {
    expect(verificationFailure(ref, pushed, { ...pushed, ...served }, 'helm show chart oci://x --version 1.2.3')).toBe(
      failure
    )
  })
})

describe('verifyMismatch', () => {
  const pushed = { digest, name: 'llm-proxy', version: '1.2.3+build.5' }
  test.each([
    [{}, undefined],
    [{ digest: other }, `digest ${other} instead of ${digest}`],
    [{ name: 'other' }, 'name other instead of llm-proxy'],
    [{ version: '1.2.3' }, 'version 1.2.3 instead of 1.2.3+build.5'],
    [{ name: 'x', version: '9.9.9' }, 'name x instead of llm-proxy, version 9.9.9 instead of 1.2.3+build.5']
  ])('served %j → %j', (served, mismatch) => {
    expect(verifyMismatch(pushed, { ...pushed, ...served })).toBe(mismatch)
  })
})
