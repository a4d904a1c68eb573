import * as core from '@actions/core'
import { installCommand, type Outcome } from '../build/build.js'
import type { RunOutcome } from './outputs.js'

const escapeHtml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

function heading(outcomes: Outcome[]): string {
  const failed = outcomes.filter(outcome => outcome.problem).length
  if (failed) return `Nothing published: ${failed} of ${outcomes.length} charts did not build`
  const what = outcomes.length === 1 ? `${outcomes[0].chartName} ${outcomes[0].version}` : `${outcomes.length} charts`
  return outcomes.every(outcome => outcome.pushed) ? `Published ${what}` : `Packaged ${what} (not pushed)`
}

export async function writeSummary(outcomes: Outcome[], run?: RunOutcome): Promise<void> {
  // Outside a runner (a local run) there is no summary file; the outputs already carry everything.
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const rows = outcomes.map(outcome => [
    outcome.chartName,
    outcome.version,
    outcome.appVersion,
    outcome.location.ref,
    outcome.digest || outcome.problem || 'not pushed'
  ])
  const summary = core.summary
    .addHeading(escapeHtml(heading(outcomes)), 2)
    .addTable([
      ['Chart', 'Version', 'appVersion', 'Reference', 'Digest'].map(data => ({ data, header: true })),
      ...rows.map(row => row.map(escapeHtml))
    ])
  if (outcomes.every(outcome => outcome.pushed)) summary.addCodeBlock(outcomes.map(installCommand).join('\n'), 'shell')
  if (run?.releaseUrl) summary.addLink(`GitHub Release ${run.tagged?.tag ?? ''}`, run.releaseUrl)
  await summary.write()
}

/** When a chart did not build, nothing is pushed: every chart's row goes to the summary and the step fails. */
export async function failOnBuildProblems(built: Outcome[]): Promise<void> {
  const failed = built.filter(outcome => outcome.problem)
  if (!failed.length) return
  for (const outcome of failed) core.error(`${outcome.chartName}: ${outcome.problem}`)
  await writeSummary(built)
  const names = failed.map(outcome => outcome.chartName).join(', ')
  throw new Error(
    built.length === 1
      ? failed[0].problem
      : `${failed.length} of ${built.length} charts did not build (${names}); nothing was pushed.`
  )
}
