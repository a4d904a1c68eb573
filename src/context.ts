import * as core from '@actions/core'
import { realpathSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { show } from './format.js'

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
}

const TRUE = new Set(['true', 'True', 'TRUE'])
const FALSE = new Set(['false', 'False', 'FALSE'])

export function parseBoolean(name: string, value: string): boolean {
  if (TRUE.has(value)) return true
  if (FALSE.has(value)) return false
  throw new Error(`Input ${name} is ${show(value)}; it takes true or false.`)
}

/**
 * Resolves the chart input against the workspace and refuses anything that leaves it (`../..`, an absolute
 * path elsewhere, a symlink out): the action rewrites files there, so it must stay in the checkout.
 */
export function resolveChartDir(workspace: string, chart: string, inputName = 'chart'): string {
  const root = realpathSync(workspace)
  const wanted = path.resolve(root, chart)
  let real: string
  try {
    real = realpathSync(wanted)
  } catch {
    throw new Error(
      `Input ${inputName} ${show(chart)}: directory ${wanted} does not exist. Point it at the directory that holds Chart.yaml.`
    )
  }
  const relative = path.relative(root, real)
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(
      `Input ${inputName} ${show(chart)} resolves to ${real}, outside the workspace ${root}. Give a path inside the repository.`
    )
  }
  return real
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

/** Every input, read and checked once, before the action changes anything. */
export function getInputs(): Inputs {
  const password = core.getInput('password')
  // Registered first, so that no later message or log line can show it.
  if (password) core.setSecret(password)
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
    runnerTemp: process.env.RUNNER_TEMP || os.tmpdir()
  }
}
