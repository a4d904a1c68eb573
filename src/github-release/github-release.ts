import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Log } from '../log-group.js'
import { answerProblem } from './answers.js'
import { apiFailure, isRateLimited, retrying, RETRY, type ApiFailure } from './api-retry.js'
import { attachChart, planSwap, staleProvenance, type ChartPackage, type ReleaseAsset } from './asset-swap.js'
import { notesOf, releaseBody, type ChartReference } from './release-body.js'

/** One chart the release points at and carries. */
export interface AttachedChart extends ChartReference {
  packagePath: string
  /** The chart's `.prov`, attached beside it, when it is signed. */
  provPath?: string
}

/** What the release says and carries; everything is known once the charts are pushed. */
export interface GitHubReleaseSpec {
  tag: string
  sha: string
  prerelease: boolean
  makeLatest: boolean
  charts: AttachedChart[]
  /** The notes from the charts' changelogs, which lead the body; empty when there are none. */
  changelog: string
}

interface Repo {
  owner: string
  repo: string
}

/** Refuses, before anything changes, a release the action could not create. */
export function checkReleasable(repository: string, token: string): Repo {
  const [owner, repo, ...rest] = repository.split('/')
  if (!owner || !repo || rest.length) {
    throw new Error(
      `create-release needs GITHUB_REPOSITORY as owner/name, and it is ${JSON.stringify(repository)}; ` +
        'the Actions runner sets it for every job.'
    )
  }
  if (token === '') {
    throw new Error(
      'Input github-token is empty, and create-release needs a token with the contents: write permission. ' +
        'Leave github-token at its default (github.token) or pass one.'
    )
  }
  return { owner, repo }
}

/** Where a failure happened, for its message. */
interface Place {
  repo: Repo
  tag: string
  apiUrl: string
}

// Every failure here comes after the push: the way out is a re-run that does not push again.
const RERUN = 'The chart is in the registry; a re-run with if-exists: skip completes the GitHub Release.'

/** GitHub's answer as a message shows it: the status and GitHub's own words, however few. */
export function failureText(failure: ApiFailure): string {
  const tries = failure.tries && failure.tries > 1 ? `, after ${failure.tries} tries` : ''
  if (failure.transient) return `GitHub's answer to ${failure.call ?? 'the request'} ${failure.message}${tries}`
  if (failure.status === undefined) return `${failure.message}${tries}`
  return `HTTP ${failure.status}: ${failure.message || 'no message'}${tries}`
}

/**
 * Turns GitHub's refusal into the fix: GITHUB_TOKEN is read-only for contents unless the job says otherwise,
 * and a default re-run would stop at the chart already published before it got to the release.
 * @param left what the GitHub Release holds now, when the failure left it changed
 */
export function releaseError(failure: ApiFailure, what: string, left: string, place: Place): Error {
  const where = `${place.repo.owner}/${place.repo.repo} at ${place.apiUrl}`
  const state = left ? ` ${left}` : ''
  if (isRateLimited(failure)) {
    return new Error(
      `GitHub's rate limit stopped the request to ${what} for ${place.tag} in ${where} (${failureText(failure)}), ` +
        `and the action waits ${RETRY.budgetMs / 1000} s for GitHub at most.${state} The chart is in the ` +
        'registry; a re-run with if-exists: skip, once the limit has passed, completes the GitHub Release.'
    )
  }
  if (failure.status === 403) {
    return new Error(
      `GitHub refused to ${what} for ${place.tag} in ${where} (${failureText(failure)}). The token lacks the ` +
        'contents: write permission: add "permissions: contents: write" to the job, or pass a token that has ' +
        `it as github-token.${state} The chart is already pushed: after that, a re-run with if-exists: skip ` +
        'creates the GitHub Release without pushing it again.'
    )
  }
  return new Error(`Could not ${what} for ${place.tag} in ${where} (${failureText(failure)}).${state} ${RERUN}`)
}

/**
 * A published immutable release keeps its assets: a chart it lacks cannot be attached to it any more, nor a
 * provenance file the registry no longer serves removed.
 */
export function immutableError(
  release: { html_url: string; assets: ReleaseAsset[] },
  lacking: ChartPackage[],
  tag: string,
  stale: ReleaseAsset[] = []
): Error {
  const what = [
    ...lacking.map(chart => {
      const held = release.assets.find(asset => asset.name === chart.name)
      const pushed = `sha256 ${chart.sha256}`
      return held
        ? `its ${chart.name} is not the chart pushed (${held.digest ?? 'no digest'}, ${held.size} bytes; pushed: ${pushed}, ${chart.size} bytes)`
        : `it has no ${chart.name} (pushed: ${pushed})`
    }),
    ...stale.map(asset => `it holds ${asset.name}, a provenance file the registry does not serve with the chart`)
  ]
  return new Error(
    `The GitHub Release for ${tag} (${release.html_url}) is published and immutable, and ${what.join('; ')}. ` +
      'GitHub refuses every change to the assets of an immutable release, and its tag cannot be moved or ' +
      'reused. The chart is in the registry; to attach it to a GitHub Release, release it as a new version ' +
      'with a new tag.'
  )
}

async function readPackage(packagePath: string): Promise<ChartPackage> {
  const data = await readFile(packagePath)
  return {
    name: path.basename(packagePath),
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    data,
    contentType: packagePath.endsWith('.prov') ? 'application/pgp-signature' : 'application/gzip'
  }
}

/**
 * Creates the release for the tag, or completes the one a person drafted or a previous run made, and attaches
 * the packaged charts. A new release is made as a draft and published once its charts are attached, so that
 * repositories with immutable releases get them. Every request has `timeoutMs` to answer whole, and every
 * answer used is checked first. Returns the release's web URL.
 */
export async function createGitHubRelease(
  repository: string,
  token: string,
  spec: GitHubReleaseSpec,
  log: Log,
  timeoutMs?: number
): Promise<string> {
  const repo = checkReleasable(repository, token)
  // Loaded only here: octokit adds start-up time every run that creates no release would pay for nothing.
  const { getOctokit } = await import(/* webpackMode: "eager" */ '@actions/github')
  const octokit = getOctokit(token)
  octokit.hook.wrap('request', retrying(log, { timeoutMs, check: answerProblem }))
  const place = { repo, tag: spec.tag, apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com' }
  const attempt = async <T>(what: string, left: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call()
    } catch (error) {
      throw releaseError(apiFailure(error), what, left, place)
    }
  }

  const existing = await attempt('look up the release', '', async () => {
    try {
      return (await octokit.rest.repos.getReleaseByTag({ ...repo, tag: spec.tag })).data
    } catch (error) {
      if (apiFailure(error).status !== 404) throw error
    }
    // GitHub answers for a tag with its published release only; a draft is found in the list.
    for await (const page of octokit.paginate.iterator(octokit.rest.repos.listReleases, { ...repo, per_page: 100 })) {
      const draft = page.data.find(release => release.draft && release.tag_name === spec.tag)
      if (draft) return draft
    }
    return undefined
  })
  const files = spec.charts.flatMap(chart => [chart.packagePath, ...(chart.provPath ? [chart.provPath] : [])])
  const charts = await Promise.all(files.map(readPackage))
  const stale = staleProvenance(
    existing?.assets ?? [],
    spec.charts.map(chart => ({ name: path.basename(chart.packagePath), prov: chart.provPath !== undefined }))
  )

  if (existing?.immutable && !existing.draft) {
    const lacking = charts.filter(chart => !planSwap(existing.assets, chart).keep)
    if (lacking.length || stale.length) throw immutableError(existing, lacking, spec.tag, stale)
    log(`${existing.html_url} is published and immutable, and holds these charts already; left as it is`)
    return existing.html_url
  }

  // A body with notes keeps them (a person's draft, or an earlier run's); only one without gets GitHub's.
  const notes =
    notesOf(existing?.body) ||
    (await attempt('generate release notes', '', async () => {
      const generated = await octokit.rest.repos.generateReleaseNotes({
        ...repo,
        tag_name: spec.tag,
        target_commitish: spec.sha
      })
      return generated.data.body
    }))
  const fields = {
    ...repo,
    tag_name: spec.tag,
    name: existing?.name || spec.tag,
    body: releaseBody(spec.charts, notes, spec.changelog),
    prerelease: spec.prerelease
  }
  const release =
    existing ??
    (await attempt('create the release', '', async () => {
      const created = await octokit.rest.repos.createRelease({ ...fields, target_commitish: spec.sha, draft: true })
      log(`Created the draft release ${created.data.html_url}`)
      return created.data
    }))
  if (existing) log(`${existing.draft ? 'Completing the draft release' : 'Updating the release'} ${existing.html_url}`)

  const calls = {
    upload: (name: string, file: ChartPackage, left: string) =>
      attempt(`upload ${name}`, left, async () => {
        // upload_url, not the uploads.github.com default: on GitHub Enterprise uploads live under the API host.
        const uploaded = await octokit.request({
          method: 'POST',
          url: release.upload_url,
          name,
          data: file.data,
          headers: { 'content-type': file.contentType }
        })
        return uploaded.data as ReleaseAsset
      }),
    remove: (asset: ReleaseAsset, left: string) =>
      attempt(`delete ${asset.name}`, left, async () => {
        await octokit.rest.repos.deleteReleaseAsset({ ...repo, asset_id: asset.id })
      }),
    rename: (asset: ReleaseAsset, name: string, left: string) =>
      attempt(`rename ${asset.name} to ${name}`, left, async () => {
        await octokit.rest.repos.updateReleaseAsset({ ...repo, asset_id: asset.id, name })
      })
  }
  // First, so that the new chart is never attached beside an old chart's signature.
  for (const asset of stale) {
    await calls.remove(asset, 'The GitHub Release holds the previous charts.')
    log(`Deleted ${asset.name}: the registry serves no provenance file with the chart`)
  }
  for (const chart of charts) await attachChart(calls, release.assets, chart, log)

  const publishing = release.draft
  const published = await attempt(
    publishing ? 'publish the release' : 'update the release',
    publishing
      ? 'The GitHub Release is still a draft, with every chart attached.'
      : 'The GitHub Release holds every chart; its notes are those it had.',
    async () =>
      (
        await octokit.rest.repos.updateRelease({
          ...fields,
          release_id: release.id,
          draft: false,
          make_latest: spec.makeLatest && !spec.prerelease ? 'true' : 'false'
        })
      ).data
  )
  log(`${publishing ? 'Published' : 'Updated'} the release ${published.html_url}`)
  return published.html_url
}
