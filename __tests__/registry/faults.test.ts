import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { classifyFailure, explainFailure, type FailureContext, type FailureKind } from '../../src/registry/faults.js'

interface Golden {
  helm: string
  case: string
  ref?: string
  stderr: string
  kind: FailureKind
}

// What helm really printed for each fault (collected against the test registry and the fault proxy).
const goldens: Golden[] = JSON.parse(
  readFileSync(
    path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__', 'helm-errors', 'errors.json'),
    'utf8'
  )
)

describe('classifyFailure against what helm printed', () => {
  test.each(goldens.map(golden => [golden.helm, golden.case, golden] as const))(
    'helm %s, %s',
    (_helm, _case, golden) => {
      expect(classifyFailure(`helm x failed (exit code 1):\n${golden.stderr}`, golden.ref)).toBe(golden.kind)
    }
  )

  test('a "not found" about another reference is not a clean miss', () => {
    expect(classifyFailure('Error: ghcr.io/o/other:1.0.0: not found', 'ghcr.io/o/chart:1.0.0')).toBe('other')
  })

  test.each([
    [
      'Error: authenticating to "h": Get "https://h/v2/": http: server gave HTTP response to HTTPS client',
      'plain-http'
    ],
    ['response status code 429: Too Many Requests', 'throttled'],
    ['Get "https://x/v2/": net/http: TLS handshake timeout', 'timeout'],
    ['dial tcp 1.2.3.4:443: i/o timeout', 'timeout'],
    ['write: broken pipe', 'reset'],
    ['Error: unexpected EOF', 'reset'],
    ['response status code 502: Bad Gateway', 'server'],
    ['response status code 404: name unknown', 'not-found']
  ])('%j → %s', (text, kind) => {
    expect(classifyFailure(text)).toBe(kind)
  })

  // Right after an upload a miss is the registry's read-after-write delay (GHCR), on a look-up it is an answer.
  const ref = 'ghcr.io/o/chart:1.0.0'
  test.each([
    ['Error: failed to perform "Tag" on destination: sha256:ab12: not found', false, 'other'],
    ['Error: failed to perform "Tag" on destination: sha256:ab12: not found', true, 'read-after-write'],
    [`Error: failed to resolve ${ref}: ${ref}: not found`, false, 'not-found'],
    [`Error: failed to resolve ${ref}: ${ref}: not found`, true, 'read-after-write'],
    [
      'GET "https://ghcr.io/v2/o/chart/manifests/1.0.0": response status code 404: manifest unknown',
      true,
      'read-after-write'
    ],
    ['Error: manifest unknown: manifest unknown', true, 'read-after-write'],
    ['Error: manifest unknown: manifest unknown', false, 'other'],
    ['response status code 503: Service Unavailable', true, 'server'],
    ['Error: not found', true, 'other']
  ])('%j, after an upload %s → %s', (text, afterUpload, kind) => {
    expect(classifyFailure(text, ref, afterUpload)).toBe(kind)
  })
})

describe('explainFailure', () => {
  const context = {
    host: 'registry.example.test',
    operation: 'push',
    chartName: 'llm-proxy',
    timeout: '5m',
    attempts: 1,
    helmRetriesHttp: true
  }

  test.each<[FailureKind, Partial<FailureContext>, string]>([
    [
      'unauthorized',
      {},
      'registry.example.test refused the credentials (401) on push. Check inputs username and password'
    ],
    ['denied', {}, 'registry.example.test denied push (403)'],
    ['unknown-host', {}, 'registry.example.test is an unknown host (DNS lookup failed) on push. Check input registry.'],
    ['refused', { attempts: 4 }, 'Nothing accepted a connection at registry.example.test on push (4 attempts).'],
    ['reset', { attempts: 2 }, 'registry.example.test dropped the connection on push (2 attempts). Re-run the job'],
    [
      'timeout',
      { attempts: 4 },
      'push on registry.example.test did not finish within 5m (4 attempts). Raise input timeout'
    ],
    [
      'server',
      { attempts: 4 },
      'kept failing with a server error (5xx) on push (4 attempts, each retried five times by helm).'
    ],
    ['server', { helmRetriesHttp: false }, 'kept failing with a server error (5xx) on push (1 attempt).'],
    [
      'read-after-write',
      { attempts: 4, ref: 'registry.example.test/ns/llm-proxy:1.2.3' },
      'registry.example.test did not serve the chart right after accepting its upload, on push (4 attempts): the ' +
        'registry is slow to show what was written (GHCR is known for it). Check whether ' +
        'registry.example.test/ns/llm-proxy:1.2.3 exists now; if it does, it is published, and a re-run needs ' +
        'input if-exists: skip.'
    ],
    [
      'plain-http',
      { operation: 'the credential check' },
      'registry.example.test answered plain HTTP on the credential check, but HTTPS was spoken (input plain-http is false). If it ' +
        'is a registry you trust on a private network, set input plain-http: true; never for one reached over the ' +
        'internet'
    ],
    [
      'timeout',
      {
        operation: 'verification of registry.example.test/ns/llm-proxy:1.2.3',
        ref: 'registry.example.test/ns/llm-proxy:1.2.3',
        timeout: '2s',
        verifying: {
          digest: 'sha256:ab',
          check: 'helm show chart oci://registry.example.test/ns/llm-proxy --version 1.2.3'
        }
      },
      'registry.example.test/ns/llm-proxy:1.2.3 is published (sha256:ab); only its verification timed out (2s). ' +
        'Check what the registry serves with `helm show chart oci://registry.example.test/ns/llm-proxy --version ' +
        '1.2.3` or in the registry; a re-run needs input if-exists: skip, since the version exists now.'
    ],
    [
      'throttled',
      { helmRetriesHttp: false, attempts: 4 },
      'kept answering 429 Too Many Requests on push (4 attempts).'
    ],
    ['invalid-reference', {}, 'rejected the reference on push as invalid']
  ])('%s', (kind, overrides, message) => {
    expect(explainFailure(kind, { ...context, ...overrides })).toContain(message)
  })

  test('a 403 from ghcr.io names the permission and the package that may belong elsewhere', () => {
    const message = explainFailure('denied', { ...context, host: 'ghcr.io' })
    expect(message).toContain('"permissions: packages: write"')
    expect(message).toContain('the package llm-proxy already exists it may belong to another repository')
  })
})
