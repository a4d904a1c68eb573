import { describe, expect, test } from '@jest/globals'
import { formatDuration, show } from '../src/text.js'

describe('show', () => {
  test.each([
    ['v1.2.3', '"v1.2.3"'],
    ['a\nb', '"a\\nb"'],
    ['x'.repeat(61), `"${'x'.repeat(60)}… (61 characters)"`]
  ])('%j → %s', (value, expected) => {
    expect(show(value)).toBe(expected)
  })
})

describe('formatDuration', () => {
  test.each([
    [300_000, '5m'],
    [90_000, '1m30s'],
    [2_000, '2s'],
    [1_500, '1500ms'],
    [3_661_000, '1h1m1s']
  ])('%i ms → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected)
  })
})
