import * as core from '@actions/core'
import type { DockerMeta } from './docker.js'
import type { ChartLocation } from './registry.js'
import type { Release } from './version.js'

/** One chart of the run. */
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

/** What the run as a whole stands for: the tag, the Docker image's tags, the GitHub Release. */
export interface RunOutcome {
  /** The release the tag (or input version) names; undefined on a branch or pull request. */
  tagged: Release | undefined
  docker: DockerMeta
  /** The GitHub Release's page; empty when none was made. */
  releaseUrl: string
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

/** Empty on a ref that is no tag: the chart is packaged at its own version, but nothing is released. */
export function versionOutputs(release: Release | undefined): Record<string, string> {
  return {
    version: release?.version ?? '',
    tag: release?.tag ?? '',
    major: release ? String(release.major) : '',
    minor: release ? String(release.minor) : '',
    patch: release ? String(release.patch) : '',
    prerelease: release?.prerelease ?? '',
    'is-prerelease': String(Boolean(release?.prerelease)),
    'major-minor': release ? `${release.major}.${release.minor}` : ''
  }
}

export function dockerOutputs(docker: DockerMeta): Record<string, string> {
  return {
    'sha-short': docker.shaShort,
    'is-latest': String(docker.isLatest),
    'docker-tags': docker.tags.join('\n'),
    'docker-labels': docker.labels.join('\n')
  }
}

/** The chart's own outputs; set when exactly one chart was released, as they mean one chart. */
export function chartOutputs(outcome: Outcome): Record<string, string> {
  return {
    'chart-name': outcome.chartName,
    'chart-version': outcome.version,
    'app-version': outcome.appVersion,
    'package-path': outcome.packagePath,
    'chart-url': outcome.location.url,
    'chart-ref': outcome.location.ref,
    digest: outcome.digest,
    pushed: String(outcome.pushed)
  }
}

export function setOutputs(outcomes: Outcome[], run: RunOutcome): void {
  const outputs: Record<string, string> = {
    ...versionOutputs(run.tagged),
    ...dockerOutputs(run.docker),
    ...(outcomes.length === 1 ? chartOutputs(outcomes[0]) : {}),
    charts: chartsOutput(outcomes),
    'release-url': run.releaseUrl
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
