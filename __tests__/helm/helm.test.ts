import { describe, expect, test } from '@jest/globals'
import { parseDigest } from '../../src/helm/helm.js'

describe('parseDigest', () => {
  const digest = `sha256:${'ab'.repeat(32)}`
  test.each([
    ['on stderr (helm ≤ 4.2.0)', '', `Pushed: ghcr.io/o/c:1.2.3\nDigest: ${digest}`],
    ['on stdout (helm ≥ 4.2.1)', `Pushed: ghcr.io/o/c:1.2.3\nDigest: ${digest}\n`, ''],
    ['with CRLF', `Digest: ${digest}\r\n`, '']
  ])('finds it %s', (_where, stdout, stderr) => {
    expect(parseDigest(stdout, stderr)).toBe(digest)
  })

  test.each([
    ['no line', 'Pushed: x'],
    ['a short digest', 'Digest: sha256:abc'],
    ['a digest inside another line', `Layer Digest: ${digest}`]
  ])('finds none with %s', (_case, stderr) => {
    expect(parseDigest('', stderr)).toBeUndefined()
  })
})
