import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { childEnvironment } from '../environment.js'

/** What the runner tells every step about the run, beyond the inputs: `github.*` and `runner.temp`. */
export interface RunContext {
  /** The checkout the charts live in. */
  workspace: string
  ref: string
  sha: string
  /** owner/name; may be empty outside a runner. */
  repository: string
  serverUrl: string
  /** From the event payload, as docker/metadata-action reads it; empty when the event does not carry it. */
  defaultBranch: string
  /** Where the run's helm home and packages go; the runner empties it after the job. */
  runnerTemp: string
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

/** Outside a runner (a local run, @github/local-action) git answers what the runner would have set. */
function askGit(cwd: string, args: string[]): string {
  try {
    const env = childEnvironment(process.env, 'git')
    return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return ''
  }
}

export function getRunContext(): RunContext {
  const env = process.env
  const workspace = env.GITHUB_WORKSPACE || askGit(process.cwd(), ['rev-parse', '--show-toplevel']) || process.cwd()
  return {
    workspace,
    ref: env.GITHUB_REF || '',
    sha: env.GITHUB_SHA || askGit(workspace, ['rev-parse', 'HEAD']),
    repository: env.GITHUB_REPOSITORY || '',
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    defaultBranch: readDefaultBranch(env.GITHUB_EVENT_PATH),
    runnerTemp: env.RUNNER_TEMP || os.tmpdir()
  }
}

/** The repository's web address, e.g. https://github.com/sofatutor/llm-proxy; empty when the run does not know it. */
export function repositoryUrl(context: Pick<RunContext, 'serverUrl' | 'repository'>): string {
  return context.repository ? `${context.serverUrl}/${context.repository}` : ''
}
