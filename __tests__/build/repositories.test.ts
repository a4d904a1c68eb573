import { describe, expect, test } from '@jest/globals'
import { repositoriesToAdd } from '../../src/build/repositories.js'

describe('repositoriesToAdd', () => {
  test('adds each http(s) repository once, under a name derived from its URL', () => {
    const repositories = repositoriesToAdd([
      { name: 'a', version: '1', repository: 'https://charts.example.test/stable' },
      { name: 'b', version: '1', repository: 'https://charts.example.test/stable' },
      { name: 'c', version: '1', repository: 'http://127.0.0.1:8879' },
      { name: 'd', version: '1', repository: 'oci://ghcr.io/sofatutor' },
      { name: 'e', version: '1', repository: 'file://../common' },
      { name: 'f', version: '1', repository: '' },
      { name: 'g', version: '1', repository: '@stable' }
    ])
    expect(repositories.map(repository => repository.url)).toEqual([
      'https://charts.example.test/stable',
      'http://127.0.0.1:8879'
    ])
    expect(repositories[0].name).toMatch(/^helm-release-[0-9a-f]{12}$/)
    expect(repositories[0].name).not.toBe(repositories[1].name)
    expect(repositoriesToAdd([{ name: 'a', version: '1', repository: 'https://charts.example.test/stable' }])).toEqual([
      repositories[0]
    ])
  })
})
