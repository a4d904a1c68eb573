import { realpath } from 'node:fs/promises'
import { git } from '../git.js'
import { show } from '../text.js'

/**
 * The time a checkout without a commit gives its charts' files: 1980-01-01T00:00:00Z, the earliest time a ZIP
 * archive can hold and the usual stand-in of reproducible builds. Any fixed time would do; this one says
 * plainly that it is no real date.
 */
export const FALLBACK_SOURCE_DATE = 315532800

/** 9999-12-31T23:59:59Z: later times have no ISO 8601 form of four-digit years, and no checkout is that new. */
const LATEST = 253402300799

/** The one time every file of the released charts gets before helm reads them (see stampCharts). */
export interface SourceDate {
  /** Seconds since 1970-01-01T00:00:00Z. */
  seconds: number
  /** Where the time comes from, for the log. */
  from: string
  /** The workspace's real path: the only place whose files the run sets the time of. */
  workspace: string
}

/**
 * SOURCE_DATE_EPOCH as the reproducible-builds convention writes it (what `date +%s` prints); undefined when
 * the job does not set it, or sets it empty (`${{ }}` of a missing value). Anything else is refused: a time
 * read wrongly would make packages that only look reproducible.
 */
export function parseSourceDateEpoch(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined
  const seconds = Number(value)
  if (!/^[0-9]+$/.test(value) || seconds > LATEST) {
    throw new Error(
      `SOURCE_DATE_EPOCH is ${show(value)}; it must be a whole number of seconds since 1970-01-01 UTC (what ` +
        '`date +%s` prints, e.g. 1700000000) up to the year 9999, or unset.'
    )
  }
  return seconds
}

/** The committer time `git log -1 --format=%ct` prints; undefined when it printed none (no commit yet). */
export function parseCommitTime(stdout: string): number | undefined {
  const text = stdout.trim()
  return /^[0-9]+$/.test(text) ? Number(text) : undefined
}

/** The committer time of the workspace's HEAD; undefined without a commit (or without git). */
const headCommitTime = (workspace: string, env: Record<string, string | undefined>) =>
  git(workspace, ['log', '-1', '--format=%ct'], env).then(parseCommitTime, () => undefined)

/**
 * The time the released charts' files get, so that the same sources package to the same bytes: the job's
 * SOURCE_DATE_EPOCH when it sets one, else the committer time of the checked-out commit (the same for every
 * checkout of a tag, unlike the files' own times, which are when the checkout wrote them), else a fixed time.
 */
export async function readSourceDate(env: Record<string, string | undefined>, workspace: string): Promise<SourceDate> {
  const root = await realpath(workspace)
  const fromEnv = parseSourceDateEpoch(env.SOURCE_DATE_EPOCH)
  if (fromEnv !== undefined) return { seconds: fromEnv, from: 'SOURCE_DATE_EPOCH', workspace: root }
  const committed = await headCommitTime(root, env)
  if (committed !== undefined) return { seconds: committed, from: 'the committer time of HEAD', workspace: root }
  return { seconds: FALLBACK_SOURCE_DATE, from: 'no commit in the workspace: a fixed time', workspace: root }
}
