import { describe, expect, test } from '@jest/globals'
import type { Outcome } from '../../src/build/build.js'
import { problemsMessage } from '../../src/outputs/report.js'

const outcome = (chartName: string, fields: Partial<Outcome>): Outcome => ({
  chartName,
  version: '1.2.3',
  tag: 'v1.2.3',
  appVersion: '1.2.3',
  packagePath: `/tmp/${chartName}-1.2.3.tgz`,
  location: {
    url: `oci://ghcr.io/acme/${chartName}`,
    ref: `ghcr.io/acme/${chartName}:1.2.3`,
    name: `ghcr.io/acme/${chartName}`,
    repository: `acme/${chartName}`,
    tag: '1.2.3'
  },
  digest: '',
  pushed: false,
  ...fields
})

describe('problemsMessage', () => {
  test('none when nothing failed', () => {
    expect(problemsMessage([outcome('api', { digest: 'sha256:a', pushed: true })])).toBeUndefined()
  })

  test.each([
    ['one chart: its own problem', [outcome('api', { problem: 'helm lint failed' })], 'helm lint failed'],
    [
      'a build failure among several',
      [outcome('common', {}), outcome('api', { packagePath: '', problem: 'helm lint failed' })],
      '1 of 2 charts did not build (api); nothing was pushed.'
    ],
    [
      'every push refused',
      [outcome('common', { problem: 'denied' }), outcome('api', { problem: 'denied' })],
      '2 of 2 charts failed (common, api); nothing was pushed.'
    ],
    [
      'one push refused while another went through',
      [outcome('common', { digest: 'sha256:c', pushed: true }), outcome('api', { problem: 'denied' })],
      '1 of 2 charts failed (api). The registry now holds ghcr.io/acme/common:1.2.3@sha256:c. Re-run the job ' +
        'with input if-exists: skip to complete the set: it keeps what is published and pushes the rest.'
    ],
    [
      'pushed but not verified: in the registry, and failed',
      [
        outcome('common', { digest: 'sha256:c', pushed: true, problem: 'verification timed out' }),
        outcome('api', { digest: 'sha256:a', pushed: true })
      ],
      '1 of 2 charts failed (common). The registry now holds ghcr.io/acme/common:1.2.3@sha256:c, ' +
        'ghcr.io/acme/api:1.2.3@sha256:a. Re-run'
    ]
  ])('%s', (_case, outcomes, expected) => {
    expect(problemsMessage(outcomes)?.slice(0, expected.length)).toBe(expected)
  })
})
