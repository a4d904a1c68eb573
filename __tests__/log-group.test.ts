import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { logGroup, printInert } from '../src/log-group.js'
import { readWorkflowCommands } from '../scripts/harness/workflow-commands.js'

let printed = ''
beforeEach(() => {
  printed = ''
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    printed += String(chunk)
    return true
  })
})
afterEach(() => {
  jest.restoreAllMocks()
})

const carriedOut = () =>
  readWorkflowCommands(printed).commands.map((command: { name: string; data: string }) => command.name)

describe('printInert', () => {
  test.each([
    ['a command', '::set-output name=digest::sha256:0'],
    ['the older form', 'x ##[add-mask]secret'],
    ['a stop of its own, then a resume guess', '::stop-commands::abc1234\n::abc1234::\n::warning::x'],
    ['the end of a group', '::endgroup::\n::warning::x'],
    ['lines split by carriage returns', 'ok\r::warning::x\r\n::error::y']
  ])('%s: the runner shows it and carries out none of it', (_what, text) => {
    printInert(text)
    expect(carriedOut()).toEqual(['stop-commands', expect.stringMatching(/^[0-9a-f-]{36}$/)])
    expect(readWorkflowCommands(printed).stoppedAtEnd).toBe(false)
    expect(printed).toContain(text)
  })
})

describe('logGroup', () => {
  test('prints its lines inert inside the group, also when the work fails', async () => {
    await expect(
      logGroup('chart: build', async log => {
        log('::warning::from helm')
        throw new Error('failed')
      })
    ).rejects.toThrow('failed')
    const commands = readWorkflowCommands(printed).commands
    expect(commands.map((command: { name: string }) => command.name)).toEqual([
      'group',
      'stop-commands',
      expect.stringMatching(/^[0-9a-f-]{36}$/),
      'endgroup'
    ])
    expect(commands[0].data).toMatch(/^chart: build \(\d+ ms\)$/)
  })
})
