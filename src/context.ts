import * as core from '@actions/core'
import { realpathSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { show } from './format.js'

export interface Inputs {
  /** The chart input as given, for messages. */
  chart: string
  /** The chart directory, resolved and checked to lie inside the workspace. */
  chartDir: string
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
export function resolveChartDir(workspace: string, chart: string): string {
  const root = realpathSync(workspace)
  const wanted = path.resolve(root, chart)
  let real: string
  try {
    real = realpathSync(wanted)
  } catch {
    throw new Error(
      `Input chart ${show(chart)}: directory ${wanted} does not exist. Point it at the directory that holds Chart.yaml.`
    )
  }
  const relative = path.relative(root, real)
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(
      `Input chart ${show(chart)} resolves to ${real}, outside the workspace ${root}. Give a path inside the repository.`
    )
  }
  return real
}

/** Every input, read and checked once, before the action changes anything. */
export function getInputs(): Inputs {
  const password = core.getInput('password')
  // Registered first, so that no later message or log line can show it.
  if (password) core.setSecret(password)
  const input = (name: string): string => core.getInput(name)
  const chart = input('chart') || '.'
  return {
    chart,
    chartDir: resolveChartDir(process.env.GITHUB_WORKSPACE || process.cwd(), chart),
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
