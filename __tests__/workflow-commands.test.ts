import { describe, expect, test } from '@jest/globals'
import { readWorkflowCommands } from '../scripts/harness/workflow-commands.js'

const names = (output: string) =>
  readWorkflowCommands(output).commands.map((command: { name: string; data: string }) => [command.name, command.data])

describe('readWorkflowCommands reads as the runner reads', () => {
  test.each([
    ['a command after leading blanks', '  ::warning::careful', [['warning', 'careful']]],
    ['the older form anywhere in a line', 'text ##[set-output name=a]1', [['set-output', '1']]],
    ['a name in any case', '::WARNING::careful', [['warning', 'careful']]],
    ['no unknown command', '::nonsense::x\n::set-outputs name=a::1', []],
    ['escaped data', '::error::a%0Ab%25', [['error', 'a\nb%']]],
    ['a line ended by a lone carriage return', 'text\r::notice::hi', [['notice', 'hi']]],
    [
      'nothing between stop-commands and its token',
      '::stop-commands::tok123\n::warning::no\n::TOK123::\n::warning::yes',
      [
        ['stop-commands', 'tok123'],
        ['tok123', ''],
        ['warning', 'yes']
      ]
    ],
    ['nothing after a stop that never resumes', '::stop-commands::tok123\n::warning::no', [['stop-commands', 'tok123']]]
  ])('%s', (_what, output, expected) => {
    expect(names(output)).toEqual(expected)
  })

  test('outputs, state and masks take effect; set-env, add-path and a command name as token are refused', () => {
    const read = readWorkflowCommands(
      '::set-output name=digest::sha256:1\n::save-state name=home::/h\n::add-mask::s3cret\n' +
        '::set-env name=A::1\n::add-path::/bin\n::stop-commands::warning\n::warning::still'
    )
    expect(read).toMatchObject({
      outputs: { digest: 'sha256:1' },
      state: { home: '/h' },
      masks: ['s3cret'],
      refused: ['::set-env name=A::1', '::add-path::/bin', '::stop-commands::warning'],
      stoppedAtEnd: false
    })
    expect(read.commands.at(-1)).toMatchObject({ name: 'warning', data: 'still' })
  })
})
