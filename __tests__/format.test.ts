import { describe, expect, test } from '@jest/globals'
import { renderTemplate, show } from '../src/format.js'

const values = { version: '1.2.3', tag: 'v1.2.3', major: '1', minor: '2', patch: '3' }

describe('renderTemplate', () => {
  test.each([
    ['{{version}}', '1.2.3'],
    ['v{{version}}', 'v1.2.3'],
    ['{{ tag }}', 'v1.2.3'],
    ['{{major}}.{{minor}}', '1.2'],
    ['release-{{major}}-{{patch}}', 'release-1-3'],
    ['static', 'static'],
    ['', '']
  ])('%j → %j', (template, expected) => {
    expect(renderTemplate('app-version', template, values)).toBe(expected)
  })

  test('refuses an unknown placeholder, naming it and the known ones', () => {
    expect(() => renderTemplate('app-version', 'v{{sha}}', values)).toThrow(
      'Input app-version "v{{sha}}" uses the unknown placeholder {{sha}}; known: {{version}}, {{tag}}, {{major}}, {{minor}}, {{patch}}.'
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
