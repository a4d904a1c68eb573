import * as core from '@actions/core'
import { escapeUTF8 } from 'entities'
import { didNotBuild, installCommand, type Outcome } from '../build/build.js'
import type { RunOutcome } from './outputs.js'

/**
 * Text as markup for the summary, which core.summary writes as it is. Chart names and helm's and the
 * registry's messages are untrusted: escaped, they cannot add markup, and a line break becomes `<br>`, since a
 * blank line would end the HTML block and let the rest render as markdown.
 */
export const escapeHtml = (text: string): string => escapeUTF8(text).replace(/\r\n|\r|\n/g, '<br>')

/** `2 of 3 charts failed`, or `… did not build` when every failed chart failed before it had a package. */
export function failedCount(outcomes: Outcome[]): string {
  const failed = outcomes.filter(outcome => outcome.problem)
  const verb = failed.every(didNotBuild) ? 'did not build' : 'failed'
  return `${failed.length} of ${outcomes.length} ${outcomes.length === 1 ? 'chart' : 'charts'} ${verb}`
}

function heading(outcomes: Outcome[]): string {
  const inRegistry = outcomes.filter(outcome => outcome.digest).length
  if (outcomes.some(outcome => outcome.problem)) {
    return inRegistry
      ? `${failedCount(outcomes)}; ${inRegistry} in the registry`
      : `Nothing published: ${failedCount(outcomes)}`
  }
  const what = outcomes.length === 1 ? `${outcomes[0].chartName} ${outcomes[0].version}` : `${outcomes.length} charts`
  if (!outcomes.every(outcome => outcome.digest)) return `Packaged ${what} (not pushed)`
  return outcomes.some(outcome => outcome.pushed) ? `Published ${what}` : `${what}: already published (if-exists: skip)`
}

export async function writeSummary(outcomes: Outcome[], run: RunOutcome): Promise<void> {
  // Outside a runner (a local run) there is no summary file; the outputs already carry everything.
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const rows = outcomes.map(outcome => [
    outcome.chartName,
    outcome.version,
    outcome.appVersion,
    outcome.location.ref,
    [outcome.digest, outcome.problem].filter(Boolean).join(': ') || 'not pushed'
  ])
  const summary = core.summary
    .addHeading(escapeHtml(heading(outcomes)), 2)
    .addTable([
      ['Chart', 'Version', 'appVersion', 'Reference', 'Digest'].map(data => ({ data, header: true })),
      ...rows.map(row => row.map(escapeHtml))
    ])
  if (outcomes.every(outcome => outcome.digest && !outcome.problem))
    summary.addCodeBlock(escapeUTF8(outcomes.map(installCommand).join('\n')), 'shell')
  if (run.signingFingerprint) {
    const signed = outcomes.filter(outcome => outcome.signed).length
    summary.addRaw(
      `<p>Signed with OpenPGP key <code>${run.signingFingerprint}</code>: ${signed} of ${outcomes.length} ` +
        'published with a provenance file that verified against it; users check it with ' +
        '<code>helm pull --verify</code>.</p>',
      true
    )
  }
  if (run.releaseUrl) summary.addLink(escapeHtml(`GitHub Release ${run.tagged?.tag ?? ''}`), escapeUTF8(run.releaseUrl))
  await summary.write()
}
