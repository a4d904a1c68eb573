import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { childEnvironment } from '../environment.js'
import type { OwnerType } from '../registry/visibility.js'

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
  /** The repository's owner; its type from the event payload, empty when the event does not carry it. */
  repositoryOwner: { login: string; type: OwnerType }
  /** Where the run's helm home and packages go; the runner empties it after the job. */
  runnerTemp: string
}

interface EventRepository {
  default_branch?: unknown
  owner?: { type?: unknown }
}

/** What the action reads of the event payload; empty strings where it does not say. */
export function readEvent(eventPath: string | undefined): { defaultBranch: string; ownerType: OwnerType } {
  let repository: EventRepository | undefined
  try {
    if (eventPath)
      repository = (JSON.parse(readFileSync(eventPath, 'utf8')) as { repository?: EventRepository }).repository
  } catch {
    repository = undefined
  }
  const branch = repository?.default_branch
  const type = repository?.owner?.type
  return {
    defaultBranch: typeof branch === 'string' ? branch : '',
    ownerType: type === 'Organization' || type === 'User' ? type : ''
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
  const event = readEvent(env.GITHUB_EVENT_PATH)
  const workspace = env.GITHUB_WORKSPACE || askGit(process.cwd(), ['rev-parse', '--show-toplevel']) || process.cwd()
  return {
    workspace,
    ref: env.GITHUB_REF || '',
    sha: env.GITHUB_SHA || askGit(workspace, ['rev-parse', 'HEAD']),
    repository: env.GITHUB_REPOSITORY || '',
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    defaultBranch: event.defaultBranch,
    repositoryOwner: {
      login: env.GITHUB_REPOSITORY_OWNER || (env.GITHUB_REPOSITORY || '').split('/')[0],
      type: event.ownerType
    },
    runnerTemp: env.RUNNER_TEMP || os.tmpdir()
  }
}

/** The repository's web address, e.g. https://github.com/sofatutor/llm-proxy; empty when the run does not know it. */
export function repositoryUrl(context: Pick<RunContext, 'serverUrl' | 'repository'>): string {
  return context.repository ? `${context.serverUrl}/${context.repository}` : ''
}
