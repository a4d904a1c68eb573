// Git repositories for the tests that need history (the newest-stable rule of `latest`): made in a
// workspace the test owns, with a fixed identity and none of the machine's git configuration.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** A fixed identity and none of the machine's git configuration. */
export const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Release Test',
  GIT_AUTHOR_EMAIL: 'release-test@example.test',
  GIT_COMMITTER_NAME: 'Release Test',
  GIT_COMMITTER_EMAIL: 'release-test@example.test'
}

export async function git(dir, ...args) {
  const { stdout } = await run('git', ['-C', dir, ...args], { env: GIT_ENV })
  return stdout.trim()
}

/** Makes `dir` a repository whose first commit holds everything in it. */
export async function initRepository(dir) {
  await git(dir, 'init', '--quiet', '--initial-branch=main')
  await git(dir, 'add', '--all')
  await git(dir, 'commit', '--quiet', '--message', 'initial')
}

/** A new (empty) commit with an annotated tag on it, as the release process tags; returns the commit SHA. */
export async function commitAndTag(dir, tag) {
  await git(dir, 'commit', '--quiet', '--allow-empty', '--message', `release ${tag}`)
  await git(dir, 'tag', '--annotate', tag, '--message', `Release ${tag}`)
  return git(dir, 'rev-parse', 'HEAD')
}

/** What actions/checkout does by default on a tag push: one commit deep, only the pushed tag. */
export async function shallowCheckout(source, dir, tag) {
  await git(dir, 'init', '--quiet')
  await git(dir, 'fetch', '--quiet', '--depth=1', '--no-tags', `file://${source}`, `+refs/tags/${tag}:refs/tags/${tag}`)
  await git(dir, 'checkout', '--quiet', tag)
}
