import type { IfExists } from '../inputs/parse.js'
import type { ChartInRegistry } from '../helm/helm.js'

export type Decision = { push: true; replaces?: string } | { push: false; digest: string }

/** What to do given what the registry already holds at the reference; `fail` stops here. */
export function decide(ifExists: IfExists, existingDigest: string | undefined, ref: string): Decision {
  if (existingDigest === undefined) return { push: true }
  if (ifExists === 'skip') return { push: false, digest: existingDigest }
  if (ifExists === 'overwrite') return { push: true, replaces: existingDigest }
  throw new Error(
    `${ref} is already published (${existingDigest}); a released version is not pushed again by default. ` +
      'If this is a re-run, set input if-exists: skip to keep the published chart, or if-exists: overwrite to replace it.'
  )
}

/** Why what the registry serves after the push is not what was pushed, or undefined when it is. */
export function verifyMismatch(pushed: ChartInRegistry, served: ChartInRegistry): string | undefined {
  const differs = (['digest', 'name', 'version'] as const).filter(key => pushed[key] !== served[key])
  if (!differs.length) return undefined
  return differs.map(key => `${key} ${served[key]} instead of ${pushed[key]}`).join(', ')
}
