import { describe, expect, test } from '@jest/globals'
import { checkYamlDepth, jsonTooDeep, lineOf, parseJson, yamlTooDeep } from '../src/bounds.js'
import { parseManifest } from '../src/registry/manifest.js'

const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`

describe('jsonTooDeep', () => {
  test.each([
    ['200 levels', nested(200), undefined],
    ['201: the offset of the one too many', nested(201), 200],
    ['objects count as arrays do', `${'{"a":'.repeat(201)}1${'}'.repeat(201)}`, 1000],
    ['brackets in strings do not count', `["${'['.repeat(300)}", "\\"[[["]`, undefined],
    // The outer list is the first level: the 200th bracket after it is the one too many.
    ['nor after an escaped backslash', `["\\\\", ${nested(201)}]`, 206]
  ])('%s', (_case, text, offset) => {
    expect(jsonTooDeep(text)).toBe(offset)
  })
})

test('parseJson refuses deep JSON with what it is and the line, and parses the rest', () => {
  expect(() => parseJson(`{\n"a":\n${nested(300)}}`, 'the manifest')).toThrow(
    'the manifest nests deeper than 200 levels of arrays and objects (line 3); the action reads no deeper.'
  )
  expect(parseJson('{"a":[1]}', 'x')).toEqual({ a: [1] })
})

describe('yamlTooDeep', () => {
  const block = (levels: number) =>
    Array.from({ length: levels }, (_, depth) => `${' '.repeat(depth)}k:`).join('\n') + ' 1\n'
  test.each([
    ['a flow collection of 200 levels', `a: ${nested(199)}\n`, undefined],
    ['of 201', `a: ${nested(200)}\n`, true],
    ['block mappings of 200', block(200), undefined],
    ['of 201', block(201), true],
    ['block sequences', Array.from({ length: 201 }, (_, depth) => `${' '.repeat(depth)}-`).join('\n') + ' 1\n', true],
    [
      'brackets in quoted and block scalars do not count',
      `a: "${'['.repeat(300)}"\nb: |\n  ${'['.repeat(300)}\n`,
      undefined
    ],
    ['the second document too', `a: 1\n---\nb: ${nested(200)}\n`, true]
  ])('%s', (_case, text, deep) => {
    expect(yamlTooDeep(text) !== undefined).toBe(deep ?? false)
  })

  test('checkYamlDepth names the file and the line', () => {
    expect(() => checkYamlDepth(`a: 1\nb:\n  c: ${nested(5000)}\n`, 'chart/Chart.yaml')).toThrow(
      'chart/Chart.yaml line 3: YAML nested deeper than 200 levels, and the action reads no deeper. Flatten it.'
    )
  })
})

test('lineOf counts from 1', () => {
  expect([0, 1, 2, 3].map(offset => lineOf('a\nb\n', offset))).toEqual([1, 1, 2, 2])
})

test('a registry manifest nested past the limit is refused with the line', () => {
  const manifest = Buffer.from(`{"schemaVersion":2,\n"annotations":${nested(5000)}}`)
  expect(() => parseManifest(manifest, {})).toThrow('the manifest nests deeper than 200 levels (line 2)')
})
