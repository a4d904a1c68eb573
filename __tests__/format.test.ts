import { describe, expect, test } from '@jest/globals'
import { formatDuration, placeholders, renderTemplate, show } from '../src/format.js'

const values = placeholders({ version: '1.2.3', tag: 'v1.2.3', major: 1, minor: 2, patch: 3 }, 'sha-5114f85')

describe('renderTemplate', () => {
  test.each([
    ['{{version}}', '1.2.3'],
    ['v{{version}}', 'v1.2.3'],
    ['{{ tag }}', 'v1.2.3'],
    ['{{major}}.{{minor}}', '1.2'],
    ['release-{{major}}-{{patch}}', 'release-1-3'],
    ['{{tag}}-{{sha}}', 'v1.2.3-5114f85'],
    ['sha-{{ sha }}', 'sha-5114f85'],
    ['static', 'static'],
    ['', '']
  ])('%j → %j', (template, expected) => {
    expect(renderTemplate('app-version', template, values)).toBe(expected)
  })

  test('refuses an unknown placeholder, naming it and the known ones', () => {
    expect(() => renderTemplate('image-tag', 'v{{semver}}', values)).toThrow(
      'Input image-tag "v{{semver}}" uses the unknown placeholder {{semver}}; known: {{version}}, {{tag}}, {{major}}, {{minor}}, {{patch}}, {{sha}}.'
    )
  })

  test('does not treat inherited object keys as placeholders', () => {
    expect(() => renderTemplate('app-version', '{{constructor}}', values)).toThrow(
      'unknown placeholder {{constructor}}'
    )
  })
})

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
