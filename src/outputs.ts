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
}

export function installCommand(outcome: Outcome): string {
  return `helm install ${outcome.chartName} ${outcome.location.url} --version ${outcome.version}`
}

export function setOutputs(outcome: Outcome): void {
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

export async function writeSummary(outcome: Outcome): Promise<void> {
  // Outside a runner (a local run) there is no summary file; the outputs already carry everything.
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const heading = outcome.pushed
    ? `Published ${outcome.chartName} ${outcome.version}`
    : `Packaged ${outcome.chartName} ${outcome.version} (not pushed)`
  await core.summary
    .addHeading(heading, 2)
    .addTable([
      [
        { data: 'Chart', header: true },
        { data: 'Version', header: true },
        { data: 'appVersion', header: true },
        { data: 'Reference', header: true },
        { data: 'Digest', header: true }
      ],
      [outcome.chartName, outcome.version, outcome.appVersion, outcome.location.ref, outcome.digest || '—'].map(
        escapeHtml
      )
    ])
    .addCodeBlock(installCommand(outcome), 'shell')
    .write()
}
