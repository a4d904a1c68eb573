import { describe, expect, test } from '@jest/globals'
import { mayUseCredentialHelper } from '../../src/helm/session.js'

describe('mayUseCredentialHelper', () => {
  test.each([
    ['{"auths":{"ghcr.io":{"auth":"eDp5"}}}', false],
    ['{"auths":{}}', false],
    ['{"auths":{},"credsStore":"secretservice"}', true],
    ['{"auths":{},"credHelpers":{"ghcr.io":"gh"}}', true],
    ['{"auths":{},"credHelpers":{}}', false],
    ['not json', true],
    [undefined, true]
  ])('%j → %s', (config, expected) => {
    expect(mayUseCredentialHelper(config)).toBe(expected)
  })
})
