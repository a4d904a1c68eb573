// One concurrency group everywhere: a user who copies the group from an error message and another who copies it
// from the README must end up with the same workflow, or two runs of a tag may still race.
import { expect, test } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { decideBeforePush } from '../src/registry/if-exists.js'
import { errorMessage } from '../src/text.js'

const ROOT = path.join(import.meta.dirname, '..')

/** Every `concurrency:` group a text gives, in block (`group:` on the next line) or flow form. */
const groupsIn = (text: string): string[] => [
  ...[...text.matchAll(/concurrency:[ \t]*\r?\n[ \t]+group:[ \t]*(.+?)[ \t]*$/gm)].map(match => match[1]),
  // A flow mapping's value ends at its `}`, but not at those of the `${{ }}` expressions inside it.
  ...[...text.matchAll(/concurrency:\s*\{\s*group:\s*((?:\$\{\{[^}]*\}\}|[^{}\s,])+)/g)].map(match => match[1])
]

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')
const inDir = (dir: string, ending: string) =>
  readdirSync(path.join(ROOT, dir))
    .filter(file => file.endsWith(ending))
    .map(file => path.join(dir, file))

/** The message of a run whose push another run beat: the one place the action itself names a group. */
function messageGroups(): string[] {
  try {
    decideBeforePush('fail', { digest: 'sha256:1', identical: false }, 'ghcr.io/o/c:1.0.0')
  } catch (error) {
    return groupsIn(errorMessage(error))
  }
  throw new Error('decideBeforePush did not refuse a version published meanwhile')
}

test('the README, the docs, the example workflows and the action’s message give one concurrency group', () => {
  const files = ['README.md', ...inDir('docs', '.md'), ...inDir('examples/workflows', '.yml')]
  const found = [
    ...files.map(file => ({ file, groups: groupsIn(read(file)) })),
    { file: 'message', groups: messageGroups() }
  ]
  const [readme] = groupsIn(read('README.md'))
  expect(readme).toBe('${{ github.workflow }}-${{ github.ref }}')
  // Each example workflow and the message name one, so that none of them can drop out of the comparison unseen.
  for (const { file, groups } of found.filter(({ file }) => file.startsWith('examples/') || file === 'message')) {
    expect({ file, count: groups.length }).toEqual({ file, count: 1 })
  }
  expect(
    found.flatMap(({ file, groups }) => groups.filter(group => group !== readme).map(group => `${file}: ${group}`))
  ).toEqual([])
})
