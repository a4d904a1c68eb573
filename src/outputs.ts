import * as core from '@actions/core'
import type { DockerMeta } from './docker.js'
import type { ChartLocation } from './registry.js'
import type { Release } from './version.js'

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

  /** The release the tag (or input version) names; undefined on a branch or pull request. */
  tagged: Release | undefined
  docker: DockerMeta
  /** The GitHub Release's page; empty when none was made. */
  releaseUrl: string
}

export function installCommand(outcome: Outcome): string {
  return `helm install ${outcome.chartName} ${outcome.location.url} --version ${outcome.version}`
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

export function setOutputs(outcome: Outcome): void {
  const outputs: Record<string, string> = {
    ...versionOutputs(outcome.tagged),
    'chart-name': outcome.chartName,
    'chart-version': outcome.version,
    'app-version': outcome.appVersion,
    'package-path': outcome.packagePath,
    'chart-url': outcome.location.url,
    'chart-ref': outcome.location.ref,
    digest: outcome.digest,
    pushed: String(outcome.pushed),
    ...dockerOutputs(outcome.docker),
    'release-url': outcome.releaseUrl
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
  core.summary
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
  if (outcome.releaseUrl) core.summary.addLink(`GitHub Release ${outcome.tag}`, outcome.releaseUrl)
  await core.summary.write()
}
