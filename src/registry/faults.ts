/**
 * What a failed registry operation means, and the message that tells a person what to do about it. The
 * action's own requests know their status code (client.ts); a helm call's failure is read from helm's error
 * text, since helm exposes no status codes.
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
  | 'read-after-write'
  | 'plain-http'
  | 'not-found'
  | 'other'

// Checked in order: auth before "not found", since helm 3.18+ reports a missing login as "basic credential not found".
const PATTERNS: [FailureKind, RegExp][] = [
  ['invalid-reference', /invalid reference/i],
  ['unauthorized', /status code 401|401 Unauthorized|credential not found|unauthorized: authentication required/i],
  ['denied', /status code 403|403 Forbidden|\bdenied\b/i],
  ['unknown-host', /no such host/i],
  // Go's words when a registry answers plain HTTP to helm's HTTPS (helm 4 has no fallback to HTTP, 3.18 had one).
  ['plain-http', /server gave HTTP response to HTTPS client/i],
  ['refused', /connection refused/i],
  ['reset', /connection reset|broken pipe|unexpected EOF|: EOF$/im],
  ['timeout', /i\/o timeout|deadline exceeded|TLS handshake timeout|Client\.Timeout/i],
  ['throttled', /status code 429|Too Many Requests/i],
  ['server', /status code 5[0-9]{2}/i]
]

// GHCR (and Quay) may not serve a manifest for a moment after accepting it: helm's push then fails to tag it.
const UNSETTLED = /failed to perform "Tag" on destination: .*not found|manifest unknown/i

/**
 * `ref` is the reference looked up (`host/ns/chart:tag`): helm ends a clean miss with `<ref>: not found`.
 * `afterUpload` is true for the push and the verification right after it, where a miss is the registry's
 * read-after-write delay rather than an answer.
 */
export function classifyFailure(text: string, ref?: string, afterUpload = false): FailureKind {
  for (const [kind, pattern] of PATTERNS) if (pattern.test(text)) return kind
  const missing = (ref !== undefined && text.includes(`${ref}: not found`)) || /status code 404/.test(text)
  if (afterUpload && (missing || UNSETTLED.test(text))) return 'read-after-write'
  return missing ? 'not-found' : 'other'
}

export interface FailureContext {
  host: string
  /** What was being done, for the message: `push`, `log in`, `look up llm-proxy:1.2.3`. */
  operation: string
  /** Empty for the login. */
  chartName: string
  /** The chart's reference (`host/ns/chart:tag`); undefined for the login. */
  ref?: string
  timeout: string
  /** How many attempts were made, and what helm already retried by itself. */
  attempts: number
  helmRetriesHttp: boolean
  /** On the verification: what this run pushed, and the command that shows what the registry serves. */
  verifying?: { digest: string; check: string }
}

/**
 * The first line of the step's error: host, operation, what went wrong and the fix. A failed verification comes
 * after the push, so it leads with what is published and the re-run that keeps it, whatever went wrong.
 */
export function explainFailure(kind: FailureKind, context: FailureContext): string {
  if (!context.verifying) return explainKind(kind, context)
  const { digest, check } = context.verifying
  const tried = context.attempts > 1 ? ` (${context.attempts} attempts)` : ''
  const what = kind === 'timeout' ? `timed out (${context.timeout}${tried})` : `failed: ${explainKind(kind, context)}`
  return (
    `${context.ref} is published (${digest}); only its verification ${what}. Check what the registry serves ` +
    `with \`${check}\` or in the registry; a re-run needs input if-exists: skip, since the version exists now.`
  )
}

function explainKind(kind: FailureKind, context: FailureContext): string {
  const { host, operation } = context
  const tried = context.attempts > 1 ? ` (${context.attempts} attempts)` : ''
  switch (kind) {
    case 'unauthorized':
      return (
        `${host} refused the credentials (401) on ${operation}. Check inputs username and password (without a ` +
        `password, the login Docker's config holds for ${host}); an expired or revoked token reads the same.`
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
      const each = context.helmRetriesHttp ? ', each retried five times by helm' : ''
      const retried = ` (${context.attempts} attempt${context.attempts > 1 ? 's' : ''}${each})`
      return `${host} ${what} on ${operation}${retried}. The registry is in trouble; re-run the job later.`
    }
    case 'read-after-write':
      return (
        `${host} did not serve the chart right after accepting its upload, on ${operation}${tried}: the ` +
        `registry is slow to show what was written (GHCR is known for it). Check whether ${context.ref ?? 'the version'} exists ` +
        `now; if it does, it is published, and a re-run needs input if-exists: skip.`
      )
    case 'plain-http':
      return (
        `${host} answered plain HTTP on ${operation}, but HTTPS was spoken (input plain-http is false). If it is a ` +
        `registry you trust on a private network, set input plain-http: true; never for one reached over the ` +
        `internet, since the password and the chart would travel unencrypted.`
      )
    case 'invalid-reference':
      return `${host} rejected the reference on ${operation} as invalid. Check input registry and the chart's name and version.`
    default:
      return `${operation} on ${host} failed.`
  }
}
