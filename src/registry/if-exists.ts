import type { IfExists } from '../inputs/parse.js'
import type { ServedChart } from './reader.js'

export type Decision = { push: true; replaces?: string } | { push: false; digest: string; identical: boolean }

/** What the registry holds at the reference: its manifest digest, and whether its chart is this run's package. */
export interface Existing {
  digest: string
  /** The chart layer is byte for byte the package this run built: the release is already done. */
  identical: boolean
}

/**
 * What to do given what the registry already holds at the reference; `fail` stops here. Identical content is
 * kept whatever if-exists says: a re-run of a job whose push went through has nothing left to do.
 */
export function decide(ifExists: IfExists, existing: Existing | undefined, ref: string): Decision {
  if (existing === undefined) return { push: true }
  const existingDigest = existing.digest
  if (existing.identical) return { push: false, digest: existingDigest, identical: true }
  if (ifExists === 'skip') return { push: false, digest: existingDigest, identical: false }
  if (ifExists === 'overwrite') return { push: true, replaces: existingDigest }
  throw new Error(
    `${ref} is already published (${existingDigest}); a released version is not pushed again by default. ` +
      'If this is a re-run, set input if-exists: skip to keep the published chart, or if-exists: overwrite to replace it.'
  )
}

/** The concurrency group the README and the example workflows give a release job: one run of a ref at a time. */
export const CONCURRENCY_GROUP = '${{ github.workflow }}-${{ github.ref }}'

const CONCURRENCY =
  `Give the release job a concurrency: group per ref (concurrency: { group: ${CONCURRENCY_GROUP} }), so that ` +
  'two runs never publish the same version at once.'

/**
 * The decision again right before the push, for a version the first look-up did not find: a push of it that
 * landed meanwhile (another run of the same tag) is refused or skipped, as it would have been.
 */
export function decideBeforePush(ifExists: IfExists, existing: Existing | undefined, ref: string): Decision {
  if (existing === undefined || existing.identical || ifExists !== 'fail') return decide(ifExists, existing, ref)
  throw new Error(
    `${ref} was published (${existing.digest}) after this run looked it up and before it pushed: another run or ` +
      `person pushed the same version meanwhile, so this run pushed nothing (if-exists: fail). Check what the ` +
      `registry holds. ${CONCURRENCY}`
  )
}

/**
 * Why the verification fails, or undefined when the registry serves what this run pushed; `check` is the command
 * that shows what the registry serves. The registry has no conditional put, so another push of the same tag can
 * land between this run's push and its verification.
 */
export function verificationFailure(
  ref: string,
  pushed: ServedChart,
  served: ServedChart,
  check: string
): string | undefined {
  if (served.digest !== pushed.digest) {
    return (
      `another push replaced ${ref} (now ${served.digest}) after this run pushed ${pushed.digest}. The chart this ` +
      `run pushed is no longer what the tag serves: check what the registry holds (\`${check}\`) before anything ` +
      `else. ${CONCURRENCY}`
    )
  }
  const mismatch = verifyMismatch(pushed, served)
  return mismatch && `Verification failed: ${ref} resolves to the pushed digest but reads ${mismatch}.`
}

/** Why what the registry serves after the push is not what was pushed, or undefined when it is. */
export function verifyMismatch(pushed: ServedChart, served: ServedChart): string | undefined {
  const differs = (['digest', 'name', 'version'] as const).filter(key => pushed[key] !== served[key])
  if (!differs.length) return undefined
  return differs.map(key => `${key} ${served[key]} instead of ${pushed[key]}`).join(', ')
}
