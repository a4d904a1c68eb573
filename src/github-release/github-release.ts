import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Log } from '../log-group.js'
import { apiFailure, isRateLimited, retrying, RETRY, type ApiFailure } from './api-retry.js'

/** One chart the release points at and carries. */
export interface AttachedChart {
  /** The `helm install …` line users copy. */
  install: string
  chartRef: string
  digest: string
  packagePath: string
}

/** What the release says and carries; everything is known once the charts are pushed. */
export interface GitHubReleaseSpec {
  tag: string
  sha: string
  prerelease: boolean
  makeLatest: boolean
  charts: AttachedChart[]
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

/** The release body leads with what users need to install the chart; GitHub's generated notes follow. */
export function releaseBody(spec: GitHubReleaseSpec, notes: string): string {
  const references = spec.charts.flatMap(chart =>
    spec.charts.length === 1
      ? [`Chart: \`${chart.chartRef}\``, `Digest: \`${chart.digest}\``]
      : [`- \`${chart.chartRef}\` \`${chart.digest}\``]
  )
  return [
    '```shell',
    ...spec.charts.map(chart => chart.install),
    '```',
    '',
    ...references,
    ...(notes.trim() ? ['', notes.trim()] : []),
    ''
  ].join('\n')
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
 * Creates the release for the tag, or updates the one a previous run made, and attaches the packaged chart,
 * replacing an asset of the same name. Returns the release's web URL.
 */
export async function createGitHubRelease(
  repository: string,
  token: string,
  spec: GitHubReleaseSpec,
  log: Log
): Promise<string> {
  const repo = checkReleasable(repository, token)
  // Loaded only here: octokit adds start-up time every run that creates no release would pay for nothing.
  const { getOctokit } = await import(/* webpackMode: "eager" */ '@actions/github')
  const octokit = getOctokit(token)
  octokit.hook.wrap('request', retrying(log))
  const place = { repo, tag: spec.tag, apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com' }
  const attempt = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call()
    } catch (error) {
      throw releaseError(apiFailure(error), what, '', place)
    }
  }

  const existing = await attempt('look up the release', async () => {
    try {
      return (await octokit.rest.repos.getReleaseByTag({ ...repo, tag: spec.tag })).data
    } catch (error) {
      if (apiFailure(error).status === 404) return undefined
      throw error
    }
  })
  const notes = await attempt('generate release notes', async () => {
    const generated = await octokit.rest.repos.generateReleaseNotes({
      ...repo,
      tag_name: spec.tag,
      target_commitish: spec.sha
    })
    return generated.data.body
  })
  const fields = {
    ...repo,
    tag_name: spec.tag,
    name: spec.tag,
    body: releaseBody(spec, notes),
    prerelease: spec.prerelease,
    make_latest: spec.makeLatest && !spec.prerelease ? ('true' as const) : ('false' as const)
  }
  const release = existing
    ? await attempt('update the release', async () => {
        log(`Updating release ${existing.html_url}`)
        return (await octokit.rest.repos.updateRelease({ ...fields, release_id: existing.id })).data
      })
    : await attempt('create the release', async () => {
        const created = (await octokit.rest.repos.createRelease({ ...fields, target_commitish: spec.sha })).data
        log(`Created release ${created.html_url}`)
        return created
      })

  for (const { packagePath } of spec.charts) {
    const name = path.basename(packagePath)
    for (const asset of release.assets.filter(asset => asset.name === name)) {
      await attempt('replace the chart asset', () =>
        octokit.rest.repos.deleteReleaseAsset({ ...repo, asset_id: asset.id })
      )
      log(`Deleted the previous ${name}`)
    }
    const data = await readFile(packagePath)
    await attempt('upload the chart asset', () =>
      // upload_url, not the uploads.github.com default: on GitHub Enterprise uploads live under the API host.
      octokit.request({
        method: 'POST',
        url: release.upload_url,
        name,
        data,
        headers: { 'content-type': 'application/gzip' }
      })
    )
    log(`Attached ${name} (${data.length} bytes)`)
  }
  return release.html_url
}
