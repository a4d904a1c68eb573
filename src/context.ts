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

  // Hardening: re-runs, faults, and where helm comes from.
  ifExists: IfExists
  verify: boolean
  retries: number
  /** Time limit of each helm call, in milliseconds. */
  timeoutMs: number
  /** Empty: the helm on PATH. */
  helmVersion: string
  helmMirror: string
}

/** What the runner tells every step about the run, beyond the inputs. */
export interface GitHubContext {
  ref: string
  sha: string
  /** owner/name; may be empty outside a runner. */
  repository: string
  serverUrl: string
  /** From the event payload, as docker/metadata-action reads it; empty when the event does not carry it. */
  defaultBranch: string
}

export const IF_EXISTS = ['fail', 'skip', 'overwrite'] as const
export type IfExists = (typeof IF_EXISTS)[number]

const TRUE = new Set(['true', 'True', 'TRUE'])
const FALSE = new Set(['false', 'False', 'FALSE'])

export function parseBoolean(name: string, value: string): boolean {
  if (TRUE.has(value)) return true
  if (FALSE.has(value)) return false
  throw new Error(`Input ${name} is ${show(value)}; it takes true or false.`)
}

export function parseIfExists(value: string): IfExists {
  const found = IF_EXISTS.find(choice => choice === value)
  if (!found) throw new Error(`Input if-exists is ${show(value)}; it takes fail, skip or overwrite.`)
  return found
}

const MAX_RETRIES = 10

export function parseRetries(value: string): number {
  if (!/^[0-9]{1,2}$/.test(value) || Number(value) > MAX_RETRIES) {
    throw new Error(`Input retries is ${show(value)}; it takes a whole number from 0 to ${MAX_RETRIES}.`)
  }
  return Number(value)
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** A Go-style duration as helm users write them (`30s`, `5m`, `1m30s`), from 1s to 6h (a job's own limit). */
export function parseDuration(name: string, value: string): number {
  const refuse = (why: string) =>
    new Error(`Input ${name} is ${show(value)}; ${why} It takes a duration such as 30s, 5m or 1m30s.`)
  if (!/^(?:[0-9]+(?:ms|s|m|h))+$/.test(value)) throw refuse('that is not a duration.')
  let total = 0
  for (const [, amount, unit] of value.matchAll(/([0-9]+)(ms|s|m|h)/g)) total += Number(amount) * UNIT_MS[unit]
  if (total < 1000 || total > 6 * UNIT_MS.h) throw refuse('it must lie between 1s and 6h.')
  return total
}

/** `3.18.1` or `v3.18.1`: an exact release, since the archive name and its checksum are per release. */
export function parseHelmVersion(value: string): string {
  if (value === '') return ''
  const match = /^v?((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?)$/.exec(value)
  if (!match) {
    throw new Error(
      `Input helm-version is ${show(value)}; it takes an exact Helm release such as 3.18.1 or 4.1.4 (no ranges, no "latest").`
    )
  }
  const [, version, major, minor] = match
  if (Number(major) < 3 || (Number(major) === 3 && Number(minor) < 8)) {
    throw new Error(
      `Input helm-version is ${show(value)}; Helm before 3.8 cannot push to OCI registries. Use 3.8.0 or later, e.g. 4.1.4.`
    )
  }
  return version
}

export function parseMirror(value: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash) {
    throw new Error(
      `Input helm-mirror is ${show(value)}; it takes the http(s) URL Helm's release archives are under, e.g. https://get.helm.sh.`
    )
  }
  return value.replace(/\/+$/, '')
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
    githubToken,

    ifExists: parseIfExists(input('if-exists') || 'fail'),
    verify: parseBoolean('verify', input('verify') || 'true'),
    retries: parseRetries(input('retries') || '3'),
    timeoutMs: parseDuration('timeout', input('timeout') || '5m'),
    helmVersion: parseHelmVersion(input('helm-version')),
    helmMirror: parseMirror(input('helm-mirror') || 'https://get.helm.sh')
  }
}
