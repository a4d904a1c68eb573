import * as core from '@actions/core'
import { readFileSync, realpathSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseImage, parseLatest, type Latest } from './docker.js'
import { show } from './format.js'
import { parseKeyPath } from './values.js'

export interface Inputs {
  workspace: string
  /** The input that names the charts: `charts` when set, else `chart`. */
  chartsInput: 'chart' | 'charts'
  /** Chart directories or globs as given, relative to the workspace. */
  chartPatterns: string[]
  /** Release only this chart of the ones the tag releases (a job of a `plan` matrix). */
  only: string
  /** Resolve the release and set `matrix`, nothing else. */
  plan: boolean
  parallel: number
  tag: string
  tagPrefix: string
  version: string
  appVersion: string
  registry: string
  username: string
  password: string
  push: boolean
  lintStrict: boolean
  plainHttp: boolean
  runnerTemp: string

  // The Docker step's tags and labels, the image tag in values.yaml, the GitHub Release.
  /** Lowercased image name without a tag; empty leaves docker-tags empty. */
  image: string
  latest: Latest
  /** The values file as given, relative to each chart's directory. */
  valuesFile: string
  /** Keys down to the image tag in values.yaml; empty turns the rewrite off. */
  imageTagPath: string[]
  imageTag: string
  createRelease: boolean
  githubToken: string
}

/** What the runner tells every step about the run, beyond the inputs. */
export interface GitHubContext {
  workspace: string
  ref: string
  sha: string
  /** owner/name; may be empty outside a runner. */
  repository: string
  serverUrl: string
  /** From the event payload, as docker/metadata-action reads it; empty when the event does not carry it. */
  defaultBranch: string
}

const TRUE = new Set(['true', 'True', 'TRUE'])
const FALSE = new Set(['false', 'False', 'FALSE'])

export function parseBoolean(name: string, value: string): boolean {
  if (TRUE.has(value)) return true
  if (FALSE.has(value)) return false
  throw new Error(`Input ${name} is ${show(value)}; it takes true or false.`)
}

/**
 * Resolves a path input against `base` and refuses anything that leaves the workspace (`../..`, an absolute
 * path elsewhere, a symlink out): the action rewrites files there, so it must stay in the checkout.
 */
function resolveInside(
  workspace: string,
  base: string,
  [input, given]: [string, string],
  kind: 'directory' | 'file',
  fix: string
): string {
  const root = realpathSync(workspace)
  const wanted = path.resolve(base, given)
  let real: string
  try {
    real = realpathSync(wanted)
  } catch {
    throw new Error(`Input ${input} ${show(given)}: ${kind} ${wanted} does not exist. ${fix}`)
  }
  const relative = path.relative(root, real)
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(
      `Input ${input} ${show(given)} resolves to ${real}, outside the workspace ${root}. Give a path inside the repository.`
    )
  }
  return real
}

export function resolveChartDir(workspace: string, chart: string, inputName = 'chart'): string {
  return resolveInside(
    workspace,
    workspace,
    [inputName, chart],
    'directory',
    'Point it at the directory that holds Chart.yaml.'
  )
}

export function parseParallel(value: string): number {
  if (value === '') return os.availableParallelism()
  if (!/^[1-9][0-9]{0,3}$/.test(value)) {
    throw new Error(
      `Input parallel is ${show(value)}; it takes a whole number of charts from 1, or nothing for the CPU count.`
    )
  }
  return Number(value)
}

/** values-file is relative to the chart, like the values.yaml helm reads. */
export function resolveValuesFile(workspace: string, chartDir: string, file: string): string {
  const fix = 'Give the values file relative to the chart directory.'
  return resolveInside(workspace, chartDir, ['values-file', file], 'file', fix)
}

export function readDefaultBranch(eventPath: string | undefined): string {
  if (!eventPath) return ''
  try {
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as { repository?: { default_branch?: unknown } }
    const branch = event.repository?.default_branch
    return typeof branch === 'string' ? branch : ''
  } catch {
    return ''
  }
}

export function getGitHubContext(): GitHubContext {
  const env = process.env
  return {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    ref: env.GITHUB_REF || '',
    sha: env.GITHUB_SHA || '',
    repository: env.GITHUB_REPOSITORY || '',
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    defaultBranch: readDefaultBranch(env.GITHUB_EVENT_PATH)
  }
}

/** Every input, read and checked once, before the action changes anything. */
export function getInputs(): Inputs {
  const password = core.getInput('password')
  const githubToken = core.getInput('github-token')
  // Registered first, so that no later message or log line can show them.
  for (const secret of [password, githubToken]) if (secret) core.setSecret(secret)
  const input = (name: string): string => core.getInput(name)
  const charts = core.getMultilineInput('charts').filter(line => line !== '' && !line.startsWith('#'))
  return {
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
    chartsInput: charts.length ? 'charts' : 'chart',
    chartPatterns: charts.length ? charts : [input('chart') || '.'],
    only: input('only'),
    plan: parseBoolean('plan', input('plan') || 'false'),
    parallel: parseParallel(input('parallel')),
    // Untrimmed: a tag or version with stray whitespace or a newline is refused, not silently repaired.
    tag: core.getInput('tag', { trimWhitespace: false }),
    tagPrefix: input('tag-prefix'),
    version: core.getInput('version', { trimWhitespace: false }),
    appVersion: input('app-version') || '{{version}}',
    registry: input('registry'),
    username: input('username'),
    password,
    push: parseBoolean('push', input('push') || 'true'),
    lintStrict: parseBoolean('lint-strict', input('lint-strict') || 'false'),
    plainHttp: parseBoolean('plain-http', input('plain-http') || 'false'),
    runnerTemp: process.env.RUNNER_TEMP || os.tmpdir(),

    image: parseImage(input('image')),
    latest: parseLatest(input('latest') || 'auto'),
    valuesFile: input('values-file') || 'values.yaml',
    imageTagPath: input('image-tag-path') ? parseKeyPath('image-tag-path', input('image-tag-path')) : [],
    imageTag: input('image-tag') || '{{tag}}',
    createRelease: parseBoolean('create-release', input('create-release') || 'false'),
    githubToken
  }
}
