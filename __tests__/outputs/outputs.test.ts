import { describe, expect, test } from '@jest/globals'
import type { Outcome } from '../../src/build/build.js'
import { chartOutputs, chartsOutput, imageOutputs, versionOutputs } from '../../src/outputs/outputs.js'
import { locateChart, parseRegistry } from '../../src/registry/reference.js'
import { resolveRelease } from '../../src/version/version.js'

describe('versionOutputs', () => {
  test.each([
    [
      'v1.2.3',
      {
        version: '1.2.3',
        tag: 'v1.2.3',
        major: '1',
        minor: '2',
        patch: '3',
        prerelease: '',
        'is-prerelease': 'false',
        'major-minor': '1.2'
      }
    ],
    [
      'v2.0.0-rc.1',
      {
        version: '2.0.0-rc.1',
        tag: 'v2.0.0-rc.1',
        major: '2',
        minor: '0',
        patch: '0',
        prerelease: 'rc.1',
        'is-prerelease': 'true',
        'major-minor': '2.0'
      }
    ]
  ])('%s', (tag, outputs) => {
    expect(versionOutputs(resolveRelease({ tag, tagPrefix: 'v', version: '' }))).toEqual(outputs)
  })

  test('all empty on a ref that is not a tag', () => {
    expect(versionOutputs(undefined)).toEqual({
      version: '',
      tag: '',
      major: '',
      minor: '',
      patch: '',
      prerelease: '',
      'is-prerelease': 'false',
      'major-minor': ''
    })
  })
})

describe('imageOutputs', () => {
  test('one reference and one label a line', () => {
    expect(
      imageOutputs({
        shaShort: 'sha-5114f85',
        isLatest: false,
        tags: ['a:v1', 'a:sha-5114f85'],
        labels: ['x=1', 'y=2']
      })
    ).toEqual({
      'sha-short': 'sha-5114f85',
      'is-latest': 'false',
      'docker-tags': 'a:v1\na:sha-5114f85',
      'docker-labels': 'x=1\ny=2'
    })
  })
})

describe('chart-repository: the chart URL without oci:// and without a tag, an attestation’s subject-name', () => {
  const outcome = (registry: string, name: string, version: string): Outcome => ({
    chartName: name,
    version,
    tag: `v${version}`,
    appVersion: version,
    packagePath: `/tmp/${name}-${version}.tgz`,
    location: locateChart(parseRegistry(registry, [name]), name, version),
    digest: `sha256:${'a'.repeat(64)}`,
    pushed: true
  })

  test.each([
    ['oci://ghcr.io/sofatutor', 'llm-proxy', '1.2.3', 'ghcr.io/sofatutor/llm-proxy'],
    ['ghcr.io/SofaTutor/', 'llm-proxy', '1.2.3', 'ghcr.io/sofatutor/llm-proxy'],
    [
      'oci://registry.example.com:5000/team/charts',
      'api',
      '2.0.0-rc.1+build.5',
      'registry.example.com:5000/team/charts/api'
    ],
    ['oci://127.0.0.1:5001', 'worker', '0.1.0', '127.0.0.1:5001/worker']
  ])('registry %s, chart %s %s: %s', (registry, name, version, repository) => {
    const released = outcome(registry, name, version)
    expect(chartOutputs(released)).toMatchObject({
      'chart-repository': repository,
      'chart-url': `oci://${repository}`,
      'chart-ref': `${repository}:${version.replace('+', '_')}`
    })
    expect(JSON.parse(chartsOutput([released]))).toMatchObject([{ 'chart-repository': repository }])
  })
})
