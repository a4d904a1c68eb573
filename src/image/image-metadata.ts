import * as core from '@actions/core'
import { compare } from 'semver'
import type { Inputs } from '../inputs/inputs.js'
import type { Latest } from '../inputs/parse.js'
import { repositoryUrl, type RunContext } from '../inputs/run-context.js'
import { printInert } from '../log-group.js'
import { ociTag } from '../registry/reference.js'
import { show } from '../text.js'
import { parseStrictSemver, type Release } from '../version/version.js'
import { readTagHistory, type TagHistory } from './tag-history.js'

/**
 * What the action hands the Docker build of the same tag, so that the image and the chart carry one version:
 * tags and OCI labels in docker/metadata-action's format.
 */
export interface ImageMetadata {
  /** `sha-` + 7 hex of the commit. */
  shaShort: string
  isLatest: boolean
  /** Full references (`image:tag`), one a line in the output; empty without input image. */
  tags: string[]
  /** `key=value`, one a line in the output. */
  labels: string[]
}

export interface LatestDecision {
  latest: boolean
  /** Set when auto could not tell and fell back to "stable → latest". */
  warning?: string
}

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/

/** `sha-` + the first 7 hex of the commit, as docker/metadata-action's type=sha names it. */
export function shortSha(sha: string): string {
  if (!COMMIT.test(sha)) {
    throw new Error(
      `GITHUB_SHA ${show(sha)} is not a commit SHA; the Actions runner sets it for every job, and outside a runner the workspace's git HEAD stands in.`
    )
  }
  return `sha-${sha.slice(0, 7)}`
}

/** The highest stable version among tags carrying the prefix; prereleases do not move `latest`. */
export function newestStable(tags: string[], tagPrefix: string): string | undefined {
  const versions = tags
    .filter(tag => tag.startsWith(tagPrefix))
    .map(tag => parseStrictSemver(tag.slice(tagPrefix.length)))
    .filter(release => release !== undefined && release.prerelease === '')
    .map(release => release!.version)
  return versions.sort(compare).at(-1)
}

export interface LatestQuestion {
  mode: Latest
  /** The release of the tag; undefined on a branch push. */
  release: Release | undefined
  tagPrefix: string
  onDefaultBranch: boolean
  /** The repository's tags, or why they could not be read. */
  history: TagHistory | { error: string }
}

/** Whether the image (and the GitHub Release) is the one `latest` should point at. */
export function decideLatest(question: LatestQuestion): LatestDecision {
  const { mode, release, tagPrefix, history } = question
  if (mode !== 'auto') return { latest: mode === 'true' }
  if (!release) return { latest: question.onDefaultBranch }
  if (release.prerelease !== '') return { latest: false }

  const fallback = (why: string): LatestDecision => ({
    latest: true,
    warning:
      `Cannot tell whether ${release.tag} is the newest release: ${why}. Treating it as latest because it is ` +
      'stable. Check out with fetch-depth: 0 (or fetch-tags: true) to compare with the older tags, or set ' +
      'input latest to true or false.'
  })
  if ('error' in history) return fallback(`the repository's tags could not be read (${history.error})`)
  const others = history.tags.filter(tag => tag.startsWith(tagPrefix) && tag !== release.tag)
  if (others.length === 0 && (history.shallow || !history.tags.includes(release.tag))) {
    return fallback(
      history.shallow
        ? `the checkout is shallow and holds no other ${tagPrefix}* tag`
        : `the repository holds no ${tagPrefix}* tag`
    )
  }
  const newest = newestStable(others, tagPrefix)
  return { latest: newest === undefined || compare(release.version, newest) >= 0 }
}

/**
 * The tag names, most specific first since the first one becomes the version label: the tag, major.minor, the
 * commit, latest. A prerelease gets its tag and the commit only (and latest only when asked for explicitly),
 * since users pinned to 1.2 must not move to a prerelease; a branch push gets the commit only.
 */
export function imageTagNames(release: Release | undefined, shaShort: string, latest: boolean): string[] {
  const names: string[] = []
  if (release) {
    names.push(ociTag(release.tag))
    if (release.prerelease === '') names.push(`${release.major}.${release.minor}`)
  }
  names.push(shaShort)
  if (latest) names.push('latest')
  return names
}

export interface LabelSource {
  /** The first tag, as docker/metadata-action labels the version. */
  version: string
  sha: string
  /** `https://github.com/owner/repo`; empty leaves the label out. */
  sourceUrl: string
}

export function imageLabels({ version, sha, sourceUrl }: LabelSource): string[] {
  return [
    `org.opencontainers.image.version=${version}`,
    `org.opencontainers.image.revision=${sha}`,
    ...(sourceUrl ? [`org.opencontainers.image.source=${sourceUrl}`] : [])
  ]
}

/** Only `auto` on a stable release compares with the other tags; everything else is decided without git. */
export function needsTagHistory(mode: Latest, release: Release | undefined): boolean {
  return mode === 'auto' && release !== undefined && release.prerelease === ''
}

export interface ImageSource {
  image: string
  sha: string
  sourceUrl: string
}

export function imageMetadata(source: ImageSource, release: Release | undefined, latest: boolean): ImageMetadata {
  const shaShort = shortSha(source.sha)
  const names = imageTagNames(release, shaShort, latest)
  return {
    shaShort,
    isLatest: latest,
    tags: source.image ? names.map(name => `${source.image}:${name}`) : [],
    labels: imageLabels({ version: names[0], sha: source.sha, sourceUrl: source.sourceUrl })
  }
}

/**
 * The Docker step's tags and labels for this run. The repository's tags are read (with git) only when
 * `latest: auto` has a stable release to compare; a fallback warns when someone consumes the result.
 */
export async function resolveImageMetadata(
  inputs: Pick<Inputs, 'image' | 'latest' | 'tagPrefix' | 'createRelease'>,
  github: RunContext,
  release: Release | undefined
): Promise<ImageMetadata> {
  const history = needsTagHistory(inputs.latest, release)
    ? await readTagHistory(github.workspace)
    : { tags: [], shallow: false }
  const { latest, warning } = decideLatest({
    mode: inputs.latest,
    release,
    tagPrefix: inputs.tagPrefix,
    onDefaultBranch: github.defaultBranch !== '' && github.ref === `refs/heads/${github.defaultBranch}`,
    history
  })
  // A chart-only release from a shallow checkout (actions/checkout's default) should not warn every time.
  if (warning) (inputs.image || inputs.createRelease ? core.warning : printInert)(warning)
  return imageMetadata({ image: inputs.image, sha: github.sha, sourceUrl: repositoryUrl(github) }, release, latest)
}
