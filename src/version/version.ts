import { parse } from 'semver'
import { show } from '../text.js'

export interface Release {
  /** The SemVer the chart is published as, e.g. `1.2.3`. */
  version: string
  /** The git tag the version stands for, e.g. `v1.2.3`. */
  tag: string
  major: number
  minor: number
  patch: number
  /** Dot-joined prerelease identifiers, empty for a stable version. */
  prerelease: string
}

export interface VersionSource {
  tag: string
  tagPrefix: string
  version: string
}

const TAG_REF = 'refs/tags/'
// Longer than any real release tag; bounds what ends up in error messages.
const MAX_TAG_LENGTH = 128

/**
 * Strict SemVer 2.0: `semver.parse` accepts a leading `v`/`=` and surrounding blanks and drops build
 * metadata from `.version`, so the parsed form is rebuilt and must equal the input to the letter.
 */
export function parseStrictSemver(text: string): Omit<Release, 'tag'> | undefined {
  const parsed = parse(text, { loose: false })
  if (!parsed) return undefined
  const canonical = parsed.build.length ? `${parsed.version}+${parsed.build.join('.')}` : parsed.version
  if (canonical !== text) return undefined
  return {
    version: canonical,
    major: parsed.major,
    minor: parsed.minor,
    patch: parsed.patch,
    prerelease: parsed.prerelease.join('.')
  }
}

/** `refs/tags/v1.2.3` → `v1.2.3`; a bare tag name stays as it is. */
function tagName(ref: string): string {
  return ref.startsWith(TAG_REF) ? ref.slice(TAG_REF.length) : ref
}

/** True when `ref` names no tag: empty, a branch, or a pull request's merge ref. */
export function isUntagged(ref: string): boolean {
  return ref === '' || (ref.startsWith('refs/') && !ref.startsWith(TAG_REF))
}

/**
 * The release a tag or an explicit version stands for. Returns undefined when neither names one
 * (the caller decides whether the chart's own version may stand in); throws on anything malformed.
 */
export function resolveRelease(source: VersionSource): Release | undefined {
  const { tagPrefix } = source
  if (source.version !== '') {
    const release = parseStrictSemver(source.version)
    if (!release) {
      throw new Error(
        `Input version ${show(source.version)} is not a SemVer 2.0 version. ` +
          `Give it as MAJOR.MINOR.PATCH without a prefix, e.g. 1.2.3 or 1.2.3-rc.1.`
      )
    }
    return { ...release, tag: `${tagPrefix}${release.version}` }
  }

  const ref = source.tag
  if (isUntagged(ref)) return undefined
  const expected = `${tagPrefix}MAJOR.MINOR.PATCH, e.g. ${tagPrefix}1.2.3 or ${tagPrefix}1.2.3-rc.1`
  if (ref.length > MAX_TAG_LENGTH) {
    throw new Error(`Tag ${show(ref)} is longer than ${MAX_TAG_LENGTH} characters. Release tags look like ${expected}.`)
  }
  const tag = tagName(ref)
  if (!tag.startsWith(tagPrefix)) {
    throw new Error(
      `Tag ${show(tag)} does not start with the tag prefix ${show(tagPrefix)}. ` +
        `Release tags look like ${expected}; set input tag-prefix if this repository tags differently.`
    )
  }
  const release = parseStrictSemver(tag.slice(tagPrefix.length))
  if (!release) {
    throw new Error(
      `Tag ${show(tag)} is not ${show(tagPrefix)} followed by a SemVer 2.0 version. ` +
        `Release tags look like ${expected} (no leading zeros, exactly three numbers).`
    )
  }
  return { ...release, tag }
}

export interface ChartRelease {
  release: Release
  /** Set when the tag names one chart (`<chart>-v1.2.3`, chart-releaser's convention) rather than all. */
  chart?: string
}

/**
 * The release a tag stands for among several charts: `v1.2.3` releases all of them in lockstep,
 * `<chart>-v1.2.3` only that one. Undefined when no tag or version names a release.
 */
export function resolveChartRelease(source: VersionSource, chartNames: string[]): ChartRelease | undefined {
  const tag = tagName(source.tag)
  try {
    const release = resolveRelease(source)
    return release && { release }
  } catch (lockstepError) {
    const longestFirst = [...chartNames].sort((a, b) => b.length - a.length)
    const chart = longestFirst.find(name => tag.startsWith(`${name}-${source.tagPrefix}`))
    if (source.version !== '' || tag.length > MAX_TAG_LENGTH) throw lockstepError
    if (chart === undefined) {
      if (chartNames.length < 2 || (source.tagPrefix !== '' && tag.startsWith(source.tagPrefix))) throw lockstepError
      throw new Error(
        `Tag ${show(tag)} releases none of the charts ${chartNames.join(', ')}. Tag ${source.tagPrefix}1.2.3 ` +
          `releases them all, ${chartNames[0]}-${source.tagPrefix}1.2.3 only ${chartNames[0]}.`
      )
    }
    const version = tag.slice(chart.length + 1 + source.tagPrefix.length)
    const release = parseStrictSemver(version)
    if (!release) {
      throw new Error(
        `Tag ${show(tag)} names chart ${chart}, but ${show(version)} after ${show(`${chart}-${source.tagPrefix}`)} ` +
          `is not a SemVer 2.0 version. Tags for one chart look like ${chart}-${source.tagPrefix}1.2.3.`
      )
    }
    return { release: { ...release, tag }, chart }
  }
}
