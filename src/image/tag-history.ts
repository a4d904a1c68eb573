import { getExecOutput } from '@actions/exec'
import { childEnvironment } from '../environment.js'
import { errorMessage } from '../text.js'

export interface TagHistory {
  tags: string[]
  shallow: boolean
}

async function git(workspace: string, args: string[]): Promise<string> {
  const output = await getExecOutput('git', ['-C', workspace, ...args], {
    ignoreReturnCode: true,
    silent: true,
    env: childEnvironment(process.env, 'git')
  })
  if (output.exitCode !== 0) {
    throw new Error(output.stderr.trim().split('\n')[0] || `git ${args[0]} exited with ${output.exitCode}`)
  }
  return output.stdout
}

/**
 * The workspace repository's tags and whether its history is shallow (actions/checkout fetches one commit
 * and only the pushed tag unless told otherwise). A workspace without git yields the reason instead.
 */
export async function readTagHistory(workspace: string): Promise<TagHistory | { error: string }> {
  try {
    const [shallow, tags] = await Promise.all([
      git(workspace, ['rev-parse', '--is-shallow-repository']),
      git(workspace, ['for-each-ref', '--format=%(refname:strip=2)', 'refs/tags'])
    ])
    return { shallow: shallow.trim() === 'true', tags: tags.split('\n').filter(Boolean) }
  } catch (error) {
    return { error: errorMessage(error) }
  }
}
