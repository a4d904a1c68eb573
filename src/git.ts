import { getExecOutput } from '@actions/exec'
import { childEnvironment } from './environment.js'

/**
 * `git -C workspace …`'s output, under the allow-listed environment; a failure (or no git at all) rejects with
 * git's first line of complaint.
 */
export async function git(
  workspace: string,
  args: string[],
  env: Record<string, string | undefined> = process.env
): Promise<string> {
  const output = await getExecOutput('git', ['-C', workspace, ...args], {
    ignoreReturnCode: true,
    silent: true,
    env: childEnvironment(env, 'git')
  })
  if (output.exitCode !== 0) {
    throw new Error(output.stderr.trim().split('\n')[0] || `git ${args[0]} exited with ${output.exitCode}`)
  }
  return output.stdout
}
