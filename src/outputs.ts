import * as core from '@actions/core'
import type { ChartLocation } from './registry.js'

export interface Outcome {
  chartName: string
  version: string
  tag: string
  appVersion: string
  packagePath: string
  location: ChartLocation
  /** Empty when nothing was pushed. */
  digest: string
  pushed: boolean
  /** Why the chart did not build; any problem stops every push. */
  problem?: string
}

export function installCommand(outcome: Outcome): string {
  return `helm install ${outcome.chartName} ${outcome.location.url} --version ${outcome.version}`
}

/** The `charts` output: one object per released chart, in release order. */
export function chartsOutput(outcomes: Outcome[]): string {
  return JSON.stringify(
    outcomes.map(outcome => ({
      name: outcome.chartName,
      version: outcome.version,
      'app-version': outcome.appVersion,
      'chart-url': outcome.location.url,
      digest: outcome.digest,
      pushed: outcome.pushed,
      'package-path': outcome.packagePath
    }))
  )
}

/** `charts` always; the single-chart outputs when exactly one chart was released, as they mean one chart. */
export function setOutputs(outcomes: Outcome[]): void {
  core.setOutput('charts', chartsOutput(outcomes))
  if (outcomes.length !== 1) return
  const [outcome] = outcomes
  const outputs: Record<string, string> = {
    version: outcome.version,
    tag: outcome.tag,
    'chart-name': outcome.chartName,
    'chart-version': outcome.version,
    'app-version': outcome.appVersion,
    'package-path': outcome.packagePath,
    'chart-url': outcome.location.url,
    'chart-ref': outcome.location.ref,
    digest: outcome.digest,
    pushed: String(outcome.pushed)
  }
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
}

const escapeHtml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

function heading(outcomes: Outcome[]): string {
  const failed = outcomes.filter(outcome => outcome.problem).length
  if (failed) return `Nothing published: ${failed} of ${outcomes.length} charts did not build`
  const what = outcomes.length === 1 ? `${outcomes[0].chartName} ${outcomes[0].version}` : `${outcomes.length} charts`
  return outcomes.every(outcome => outcome.pushed) ? `Published ${what}` : `Packaged ${what} (not pushed)`
}

export async function writeSummary(outcomes: Outcome[]): Promise<void> {
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
  await summary.write()
}
