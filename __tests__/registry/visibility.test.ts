import { describe, expect, test } from '@jest/globals'
import { packageSettingsUrl, privateNotice } from '../../src/registry/visibility.js'

describe('packageSettingsUrl', () => {
  const org = { login: 'sofatutor', type: 'Organization' } as const
  const user = { login: 'Octo', type: 'User' } as const
  test.each([
    ['an organisation', 'sofatutor', org, 'https://github.com/orgs/sofatutor/packages/container/llm-proxy/settings'],
    [
      'a user (case of the login ignored)',
      'octo',
      user,
      'https://github.com/users/octo/packages/container/llm-proxy/settings'
    ],
    [
      'an owner the event does not describe',
      'other',
      user,
      'https://github.com/orgs/other/packages/container/llm-proxy/settings'
    ],
    [
      'a nested namespace: the package is named by its path',
      'sofatutor/charts',
      org,
      'https://github.com/orgs/sofatutor/packages/container/charts%2Fllm-proxy/settings'
    ],
    [
      'an unknown owner type',
      'sofatutor',
      { login: 'sofatutor', type: '' } as const,
      'https://github.com/orgs/sofatutor/packages/container/llm-proxy/settings'
    ]
  ])('ghcr.io, %s', (_, namespace, owner, url) => {
    expect(packageSettingsUrl({ host: 'ghcr.io', namespace }, 'llm-proxy', owner)).toBe(url)
  })

  test.each([
    ['another registry', { host: 'registry.example.com', namespace: 'sofatutor' }],
    ['ghcr.io without an owner', { host: 'ghcr.io', namespace: '' }]
  ])('%s: none', (_, registry) => {
    expect(packageSettingsUrl(registry, 'llm-proxy', { login: 'sofatutor', type: 'Organization' })).toBeUndefined()
  })

  test('the notice names the reference and the page', () => {
    expect(privateNotice('ghcr.io/sofatutor/llm-proxy:1.2.3', 'https://x/settings')).toBe(
      'ghcr.io/sofatutor/llm-proxy:1.2.3 is private: pulling it needs a login. To let anyone pull it, change its ' +
        'visibility to public at https://x/settings (Danger Zone → Change visibility).'
    )
  })
})
