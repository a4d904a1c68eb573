/**
 * What a failed registry operation means, read from helm's error text (helm exposes no status codes), and
 * the message that tells a person what to do about it.
 */
export type FailureKind =
  | 'timeout'
  | 'invalid-reference'
  | 'unauthorized'
  | 'denied'
  | 'unknown-host'
  | 'refused'
  | 'reset'
  | 'throttled'
  | 'server'
  | 'not-found'
  | 'other'

// Checked in order: auth before "not found", since helm 3.18+ reports a missing login as "basic credential not found".
const PATTERNS: [FailureKind, RegExp][] = [
  ['invalid-reference', /invalid reference/i],
  ['unauthorized', /status code 401|401 Unauthorized|credential not found|unauthorized: authentication required/i],
  ['denied', /status code 403|403 Forbidden|\bdenied\b/i],
  ['unknown-host', /no such host/i],
  ['refused', /connection refused/i],
  ['reset', /connection reset|broken pipe|unexpected EOF|: EOF$/im],
  ['timeout', /i\/o timeout|deadline exceeded|TLS handshake timeout|Client\.Timeout/i],
  ['throttled', /status code 429|Too Many Requests/i],
  ['server', /status code 5[0-9]{2}/i]
]

/** `ref` is the reference looked up (`host/ns/chart:tag`): helm ends a clean miss with `<ref>: not found`. */
export function classifyFailure(text: string, ref?: string): FailureKind {
  for (const [kind, pattern] of PATTERNS) if (pattern.test(text)) return kind
  if ((ref && text.includes(`${ref}: not found`)) || /status code 404/.test(text)) return 'not-found'
  return 'other'
}

export interface FailureContext {
  host: string
  /** What was being done, for the message: `push`, `log in`, `look up llm-proxy:1.2.3`. */
  operation: string
  /** Empty for the login. */
  chartName: string
  timeout: string
  /** How many attempts were made, and what helm already retried by itself. */
  attempts: number
  helmRetriesHttp: boolean
}

/** The first line of the step's error: host, operation, what went wrong and the fix. */
export function explainFailure(kind: FailureKind, context: FailureContext): string {
  const { host, operation } = context
  const tried = context.attempts > 1 ? ` (${context.attempts} attempts)` : ''
  switch (kind) {
    case 'unauthorized':
      return (
        `${host} refused the credentials (401) on ${operation}. Check inputs username and password; ` +
        `an expired or revoked token reads the same.`
      )
    case 'denied':
      return host === 'ghcr.io'
        ? `ghcr.io denied ${operation} (403). Give the job "permissions: packages: write", and if the package ` +
            `${context.chartName || 'of the chart'} already exists it may belong to another repository: grant this repository ` +
            `write access under the package's settings (Manage Actions access).`
        : `${host} denied ${operation} (403): the credentials are valid but may not write there. Check the ` +
            `account's permissions on the namespace in input registry.`
    case 'unknown-host':
      return `${host} is an unknown host (DNS lookup failed) on ${operation}. Check input registry.`
    case 'refused':
      return `Nothing accepted a connection at ${host} on ${operation}${tried}. Check input registry and that the registry is up.`
    case 'reset':
      return `${host} dropped the connection on ${operation}${tried}. Re-run the job; if it persists, check proxies between the runner and the registry.`
    case 'timeout':
      return `${operation} on ${host} did not finish within ${context.timeout}${tried}. Raise input timeout or re-run the job.`
    case 'throttled':
    case 'server': {
      const what =
        kind === 'throttled' ? 'kept answering 429 Too Many Requests' : 'kept failing with a server error (5xx)'
      const retried = context.helmRetriesHttp ? ' after helm retried it five times' : tried
      return `${host} ${what} on ${operation}${retried}. The registry is in trouble; re-run the job later.`
    }
    case 'invalid-reference':
      return `${host} rejected the reference on ${operation} as invalid. Check input registry and the chart's name and version.`
    default:
      return `${operation} on ${host} failed.`
  }
}
