import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { setImageTag } from '../../src/chart-files/values.js'
import { parseKeyPath } from '../../src/inputs/parse.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const fixtures = path.join(root, '__tests__', '__fixtures__', 'values-yaml')
const read = (file: string) => readFileSync(file, 'utf8')

describe('setImageTag against golden files', () => {
  test.each([
    // The example chart's own values.yaml, as the release of v1.2.3 leaves it.
    ['llm-proxy', path.join(root, 'examples', 'charts', 'llm-proxy', 'values.yaml'), 'image.tag', 'v1.2.3'],
    ['empty-tag', path.join(fixtures, 'empty-tag', 'values.yaml'), 'image.tag', 'v2.0.0-rc.1'],
    ['nested-single-quoted', path.join(fixtures, 'nested-single-quoted', 'values.yaml'), 'app.image.tag', '1.2'],
    ['crlf', path.join(fixtures, 'crlf', 'values.yaml'), 'image.tag', 'sha-5114f85']
  ])('%s: %s = %s', (name, source, keyPath, tag) => {
    const written = setImageTag(read(source), 'values.yaml', parseKeyPath('image-tag-path', keyPath), tag)
    expect(written).toBe(read(path.join(fixtures, name, 'expected.yaml')))
  })

  test('changes nothing but the one value', () => {
    const source = read(path.join(fixtures, 'empty-tag', 'values.yaml'))
    const written = setImageTag(source, 'values.yaml', ['sidecar', 'image', 'tag'], '2.0')
    const changed = written.split('\n').filter((line, index) => line !== source.split('\n')[index])
    expect(changed).toEqual(['    tag: "2.0" # pinned, never touched'])
  })

  test('quotes a plain value that YAML would read as something else', () => {
    expect(setImageTag('image:\n  tag: x\n', 'values.yaml', ['image', 'tag'], '1.0')).toBe('image:\n  tag: "1.0"\n')
    expect(setImageTag('image:\n  tag: x\n', 'values.yaml', ['image', 'tag'], 'true')).toBe('image:\n  tag: "true"\n')
  })

  test.each([
    [
      'image:\n  repository: x\n',
      ['image', 'tag'],
      'values.yaml has no image.tag (input image-tag-path "image.tag"): image.tag is missing'
    ],
    [
      'repository: x\n',
      ['image', 'tag'],
      'values.yaml has no image.tag (input image-tag-path "image.tag"): image is missing'
    ],
    [
      'image: nginx\n',
      ['image', 'tag'],
      'values.yaml: image is not a mapping, so image-tag-path "image.tag" cannot be set'
    ],
    ['image:\n  tag:\n    name: x\n', ['image', 'tag'], 'values.yaml: image.tag must be a single value'],
    ['- a\n', ['image', 'tag'], 'values.yaml must be a YAML mapping (the chart values)'],
    ['image: [\n', ['image', 'tag'], 'values.yaml is not valid YAML']
  ])('refuses %j at %j', (source, keyPath, message) => {
    expect(() => setImageTag(source, 'values.yaml', keyPath, 'v1.2.3')).toThrow(message)
  })

  test('the missing-key error tells that no key is added', () => {
    expect(() => setImageTag('image: {}\n', 'deploy/values.yaml', ['image', 'tag'], 'v1')).toThrow(
      'Add it to deploy/values.yaml, or fix the path; the action does not add keys.'
    )
  })
})
