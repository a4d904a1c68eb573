import * as core from '@actions/core'
import { installCommand, type Outcome } from '../build/build.js'
import type { ImageMetadata } from '../image/image-metadata.js'
import { printInert } from '../log-group.js'
import type { Release } from '../version/version.js'

/** What the run as a whole stands for: the tag, the Docker image's tags, the GitHub Release. */
export interface RunOutcome {
  /** The release the tag (or input version) names; undefined on a branch or pull request. */
  tagged: Release | undefined
  image: ImageMetadata
  /** The GitHub Release's page; empty when none was made. */
  releaseUrl: string
  /** The signing key's fingerprint; empty when the charts are not signed. */
  signingFingerprint: string
}

/** The `charts` output: one object per released chart, in release order. */
export function chartsOutput(outcomes: Outcome[]): string {
  return JSON.stringify(
    outcomes.map(outcome => ({
      name: outcome.chartName,
      version: outcome.version,
      'app-version': outcome.appVersion,
      'chart-url': outcome.location.url,
      'chart-repository': outcome.location.name,
      digest: outcome.digest,
      pushed: outcome.pushed,
      public: outcome.public ?? null,
      signed: Boolean(outcome.signed),
      'package-path': outcome.packagePath,
      error: outcome.problem ?? ''
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

export function imageOutputs(image: ImageMetadata): Record<string, string> {
  return {
    'sha-short': image.shaShort,
    'is-latest': String(image.isLatest),
    'docker-tags': image.tags.join('\n'),
    'docker-labels': image.labels.join('\n')
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
    'chart-repository': outcome.location.name,
    digest: outcome.digest,
    pushed: String(outcome.pushed),
    public: outcome.public === undefined ? '' : String(outcome.public),
    signed: String(Boolean(outcome.signed))
  }
}

export function setOutputs(outcomes: Outcome[], run: RunOutcome): void {
  const outputs: Record<string, string> = {
    ...versionOutputs(run.tagged),
    ...imageOutputs(run.image),
    ...(outcomes.length === 1 ? chartOutputs(outcomes[0]) : {}),
    charts: chartsOutput(outcomes),
    'signing-fingerprint': run.signingFingerprint,
    'release-url': run.releaseUrl
  }
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
}

/** The log's last word on each chart: where it is and how to install it; a failed chart's error says the rest. */
export function logOutcomes(outcomes: Outcome[]): void {
  const lines = outcomes.flatMap(outcome => {
    const install = `Install it with: ${installCommand(outcome)}`
    if (outcome.pushed) return [`Published ${outcome.location.ref}@${outcome.digest}`, install]
    if (outcome.digest) return [`Already published: ${outcome.location.ref}@${outcome.digest}`, install]
    // With push on, a chart is pushed, kept (it has a digest) or failed: only push: false leaves it packaged.
    return outcome.problem ? [] : [`Packaged ${outcome.packagePath}; not pushed (push: false).`]
  })
  if (lines.length) printInert(lines.join('\n'))
}
