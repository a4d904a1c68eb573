import { describe, expect, test } from '@jest/globals'
import { dockerAccess, dockerConfigPath } from '../../src/registry/credentials.js'

const basic = (text: string) => Buffer.from(text).toString('base64')
const host = 'ghcr.io'

describe('dockerAccess', () => {
  test.each([
    ['no Docker config', undefined, { kind: 'anonymous' }],
    [
      'an entry for another host',
      JSON.stringify({ auths: { 'quay.io': { auth: basic('u:p') } } }),
      { kind: 'anonymous' }
    ],
    [
      'auth, base64 of user:password (a colon in the password kept)',
      JSON.stringify({ auths: { [host]: { auth: basic('octo:pa:ss') } } }),
      { kind: 'docker-config', credentials: { username: 'octo', password: 'pa:ss' } }
    ],
    [
      'username and password fields',
      JSON.stringify({ auths: { [host]: { username: 'octo', password: 'pw' } } }),
      { kind: 'docker-config', credentials: { username: 'octo', password: 'pw' } }
    ],
    [
      'a credential helper for the host',
      JSON.stringify({ auths: { [host]: { auth: basic('u:p') } }, credHelpers: { [host]: 'gcloud' } }),
      { kind: 'credential-helper', helper: 'docker-credential-gcloud' }
    ],
    [
      'a credential store and no entry',
      JSON.stringify({ auths: {}, credsStore: 'secretservice' }),
      { kind: 'credential-helper', helper: 'docker-credential-secretservice' }
    ],
    [
      'a credential store, but an entry of its own',
      JSON.stringify({ auths: { [host]: { auth: basic('u:p') } }, credsStore: 'pass' }),
      { kind: 'docker-config', credentials: { username: 'u', password: 'p' } }
    ],
    [
      'an identity token',
      JSON.stringify({ auths: { [host]: { identitytoken: 'refresh' } } }),
      { kind: 'credential-helper', helper: 'an identity token' }
    ],
    ['auth without a colon', JSON.stringify({ auths: { [host]: { auth: basic('nocolon') } } }), { kind: 'anonymous' }],
    ['not JSON', '{', { kind: 'credential-helper', helper: 'an unreadable Docker config' }]
  ])('%s', (_, config, expected) => {
    expect(dockerAccess(config, host)).toEqual(expected)
  })
})

describe('dockerConfigPath', () => {
  test.each([
    [{ DOCKER_CONFIG: '/etc/docker-ci' }, '/etc/docker-ci/config.json'],
    [{ DOCKER_CONFIG: '' }, /\/\.docker\/config\.json$/]
  ])('%j → %s', (env, expected) => {
    expect(dockerConfigPath(env)).toMatch(expected)
  })
})
