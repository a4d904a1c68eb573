import { describe, expect, test } from '@jest/globals'
import { placeholders, renderTemplate } from '../../src/version/templates.js'

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
