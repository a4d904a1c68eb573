import { describe, expect, test } from '@jest/globals'
import { isLoopbackHost, locateChart, ociTag, parseRegistry } from '../../src/registry/reference.js'

describe('isLoopbackHost', () => {
  test.each([
    ['127.0.0.1:5000', true],
    ['127.0.0.1', true],
    ['127.255.3.9:443', true],
    ['localhost:5000', true],
    ['localhost', true],
    ['[::1]:5000', true],
    ['::1', true],
    ['128.0.0.1:5000', false],
    ['10.0.0.5:5000', false],
    ['0.0.0.0:5000', false],
    // Names, not addresses: they may resolve anywhere.
    ['127.0.0.1.nip.io:5000', false],
    ['127.999.0.1:5000', false],
    ['127.0.0.01:5000', false],
    ['localhost.example.com', false],
    ['my-localhost:5000', false],
    ['registry.example.invalid', false],
    ['ghcr.io', false]
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback)
  })
})

describe('parseRegistry', () => {
  test.each([
    ['oci://ghcr.io/sofatutor', 'ghcr.io', 'sofatutor'],
    ['ghcr.io/sofatutor', 'ghcr.io', 'sofatutor'],
    ['oci://ghcr.io/SofaTutor/', 'ghcr.io', 'sofatutor'],
    ['OCI://GHCR.IO/SofaTutor//', 'ghcr.io', 'sofatutor'],
    ['  oci://ghcr.io/sofatutor  ', 'ghcr.io', 'sofatutor'],
    ['oci://ghcr.io/sofatutor/charts', 'ghcr.io', 'sofatutor/charts'],
    ['oci://127.0.0.1:5000/org', '127.0.0.1:5000', 'org'],
    ['localhost:5000', 'localhost:5000', ''],
    ['oci://registry.example.test/team_a/helm-charts', 'registry.example.test', 'team_a/helm-charts']
  ])('%j → host %s, namespace %s', (input, host, namespace) => {
    expect(parseRegistry(input, ['llm-proxy'])).toEqual({
      host,
      namespace,
      url: `oci://${[host, namespace].filter(Boolean).join('/')}`
    })
  })

  test.each([
    ['', 'Input registry is empty'],
    ['https://ghcr.io/sofatutor', 'has a scheme other than oci://'],
    ['http://127.0.0.1:5000/org', 'has a scheme other than oci://'],
    ['oci://', 'does not start with a valid host name'],
    ['oci://ghcr io/sofatutor', 'does not start with a valid host name'],
    ['oci://ghcr.io/sofa tutor', 'has the invalid path part "sofa tutor"'],
    ['oci://ghcr.io/sofatutor/../x', 'has the invalid path part ".."'],
    ['oci://ghcr.io/-org', 'has the invalid path part "-org"'],
    ['oci://ghcr.io/org;id', 'has the invalid path part "org;id"']
  ])('refuses %j', (input, message) => {
    expect(() => parseRegistry(input, ['llm-proxy'])).toThrow(message)
  })

  test('refuses a namespace that already ends in the chart name, and says what to write', () => {
    expect(() => parseRegistry('oci://ghcr.io/sofatutor/llm-proxy', ['api', 'llm-proxy'])).toThrow(
      'Input registry "oci://ghcr.io/sofatutor/llm-proxy" already ends in the chart name "llm-proxy", and helm ' +
        'appends the chart name itself: the chart would land at ghcr.io/sofatutor/llm-proxy/llm-proxy. ' +
        'Set registry to oci://ghcr.io/sofatutor instead.'
    )
  })

  test('every message says what the input should look like', () => {
    expect(() => parseRegistry('https://x', ['c'])).toThrow(
      'Give it as oci://HOST/NAMESPACE, e.g. oci://ghcr.io/sofatutor.'
    )
  })
})

describe('locateChart', () => {
  test.each([
    ['oci://ghcr.io/sofatutor', '1.2.3', 'oci://ghcr.io/sofatutor/llm-proxy', 'sofatutor/llm-proxy', '1.2.3'],
    ['localhost:5000', '2.0.0-rc.1', 'oci://localhost:5000/llm-proxy', 'llm-proxy', '2.0.0-rc.1'],
    [
      'oci://ghcr.io/sofatutor',
      '1.2.3+build.5',
      'oci://ghcr.io/sofatutor/llm-proxy',
      'sofatutor/llm-proxy',
      '1.2.3_build.5'
    ]
  ])('%s %s → %s, %s:%s', (registry, version, url, repository, tag) => {
    const name = url.slice('oci://'.length)
    expect(locateChart(parseRegistry(registry, ['llm-proxy']), 'llm-proxy', version)).toEqual({
      url,
      ref: `${name}:${tag}`,
      name,
      repository,
      tag
    })
  })

  test('ociTag swaps build metadata\'s "+" for "_"', () => {
    expect(ociTag('1.0.0-rc.1+sha.5114f85')).toBe('1.0.0-rc.1_sha.5114f85')
  })
})
