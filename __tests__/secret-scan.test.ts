import { describe, expect, test } from '@jest/globals'
import { findLeaks } from '../scripts/harness/secret-scan.js'

describe('findLeaks', () => {
  const clean = { name: 'run-1', secrets: ['hunter2-secret'], texts: { stdout: '::add-mask::hunter2-secret\nok' } }

  test('allows the ::add-mask:: line, which the runner never shows', () => {
    expect(findLeaks([clean])).toEqual([])
  })

  test.each([
    ['stdout', 'Login with hunter2-secret'],
    ['helm argv', 'registry login h --username u --password hunter2-secret'],
    ['summary', '<td>hunter2-secret</td>'],
    ['outputs', '{"digest":"hunter2-secret"}']
  ])('finds a password in %s', (part, text) => {
    expect(findLeaks([clean, { name: 'run-2', secrets: [], texts: { [part]: text } }])).toEqual([
      `run-2: ${part} holds the password hun…`
    ])
  })

  test('looks for every run’s password in every run', () => {
    const other = { name: 'run-3', secrets: ['other-pass-9'], texts: { stderr: 'hunter2-secret' } }
    expect(findLeaks([clean, other])).toEqual(['run-3: stderr holds the password hun…'])
  })

  test('ignores empty passwords', () => {
    expect(findLeaks([{ name: 'run-4', secrets: [''], texts: { stdout: 'anything' } }])).toEqual([])
  })
})
