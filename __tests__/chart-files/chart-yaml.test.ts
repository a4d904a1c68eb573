import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { parse } from 'yaml'
import { artifactHubAnnotations } from '../../src/chart-files/artifacthub-annotations.js'
import { addAnnotations, linkSource, setChartVersions } from '../../src/chart-files/chart-yaml.js'
import { parseChart } from '../../src/charts/chart.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__', 'chart-yaml')
const read = (name: string, file: string) => readFileSync(path.join(fixtures, name, file), 'utf8')

describe('setChartVersions against golden files', () => {
  test.each([
    ['llm-proxy', '1.2.3', '1.2.3'],
    ['single-quoted', '2.0.0-rc.1', 'v2.0.0-rc.1'],
    ['no-app-version', '1.2.3', '1.2.3'],
    ['numeric-app-version', '1.2.3', '1.2'],
    ['trailing-comments', '1.2.3+build.5', 'v1.2.3'],
    ['crlf', '1.0.0', '1.0.0'],
    ['document-markers', '3.0.0', 'true']
  ])('%s: version %s, appVersion %s', (name, version, appVersion) => {
    const source = read(name, 'Chart.yaml')
    const written = setChartVersions(source, `${name}/Chart.yaml`, { version, appVersion })
    expect(written).toBe(read(name, 'expected.yaml'))
    expect(parseChart(written, 'Chart.yaml')).toMatchObject({ version, appVersion })
  })

  test('moves the constraints of in-repo dependencies released in lockstep, and no others', () => {
    const written = setChartVersions(read('dependency-moved', 'Chart.yaml'), 'Chart.yaml', {
      version: '1.2.3',
      appVersion: '1.2.3',
      dependencies: { common: '1.2.3', metrics: '1.2.3' }
    })
    expect(written).toBe(read('dependency-moved', 'expected.yaml'))
  })

  test('refuses to move a dependency that has no version', () => {
    expect(() =>
      setChartVersions('apiVersion: v2\nname: x\nversion: 0.1.0\ndependencies:\n  - name: common\n', 'Chart.yaml', {
        version: '1.0.0',
        appVersion: '1.0.0',
        dependencies: { common: '1.0.0' }
      })
    ).toThrow('Chart.yaml: dependency "common" needs a version to set it to 1.0.0.')
  })

  test('changes nothing but the two values', () => {
    const source = read('llm-proxy', 'Chart.yaml')
    const written = setChartVersions(source, 'Chart.yaml', { version: '9.9.9', appVersion: '9.9.9' })
    const changed = written.split('\n').filter((line, index) => line !== source.split('\n')[index])
    expect(changed).toEqual(['version: 9.9.9', 'appVersion: "9.9.9"'])
  })

  test('refuses a flow mapping, whose layout it cannot keep', () => {
    expect(() =>
      setChartVersions('{apiVersion: v2, name: x, version: 0.1.0}\n', 'Chart.yaml', {
        version: '1.0.0',
        appVersion: '1.0.0'
      })
    ).toThrow('Chart.yaml must be a block mapping')
  })

  test('refuses a version that is a list', () => {
    expect(() =>
      setChartVersions('apiVersion: v2\nname: x\nversion: [1]\n', 'Chart.yaml', {
        version: '1.0.0',
        appVersion: '1.0.0'
      })
    ).toThrow('Chart.yaml: version must be a single value')
  })
})

describe('linkSource', () => {
  const sourceFixtures = path.join(fixtures, '..', 'chart-source')
  const readSource = (name: string, file: string) => readFileSync(path.join(sourceFixtures, name, file), 'utf8')
  const url = 'https://github.com/SofaTutor/llm-proxy'
  const head = 'apiVersion: v2\nname: x\nversion: 1.0.0\n'
  const annotationsOf = (text: string) => (parse(text) as { annotations?: Record<string, string> }).annotations

  test.each([
    ['llm-proxy', 'no annotations: added after the last key'],
    ['annotations-map', 'a block mapping: first, at its indentation, above the comment of its first key'],
    ['flow-map', 'a flow mapping: first in it'],
    ['empty-flow-map', 'an empty flow mapping'],
    ['empty-annotations', 'annotations left empty, a comment after it'],
    ['null-annotations', 'annotations: null, which gives way to the mapping'],
    ['sources-empty', 'an empty sources list names no source'],
    ['document-markers', 'inside the document, before its end marker'],
    ['crlf', 'with the CRLF line breaks of the file'],
    ['no-final-newline', 'after a last line without a line break']
  ])('%s: %s', name => {
    const written = linkSource(readSource(name, 'Chart.yaml'), `${name}/Chart.yaml`, url)
    expect(written).toBe(readSource(name, 'expected.yaml'))
    expect(annotationsOf(written!)).toMatchObject({ 'org.opencontainers.image.source': url })
  })

  test.each([
    ['sources, a block list', 'sources:\n  - https://github.com/other/charts\n'],
    ['sources, a flow list', 'sources: [https://github.com/other/charts, https://example.com]\n'],
    ['the annotation', 'annotations:\n  org.opencontainers.image.source: https://github.com/other/charts\n'],
    ['the annotation in a flow mapping', 'annotations: {org.opencontainers.image.source: https://example.com}\n'],
    ['the annotation, empty', 'annotations:\n  org.opencontainers.image.source: ""\n'],
    ['the annotation and sources', 'sources: [https://a.example]\nannotations:\n  org.opencontainers.image.source: b\n']
  ])('a chart that names its source itself (%s) keeps it', (_case, rest) => {
    expect(linkSource(`${head}${rest}`, 'Chart.yaml', url)).toBeUndefined()
  })

  test.each([
    [
      'a byte-order mark',
      '\uFEFFapiVersion: v2\nname: x\nversion: 1.0.0\n',
      `  org.opencontainers.image.source: ${url}\n`
    ],
    ['the indentation of the file', `${head}keywords:\n    - a\n`, `    org.opencontainers.image.source: ${url}\n`],
    ['a block scalar last', `${head}description: |\n  one\n\n  two\n`, `  org.opencontainers.image.source: ${url}\n`]
  ])('after %s, the file read back says what it said, and the annotation', (_case, source, line) => {
    const written = linkSource(source, 'Chart.yaml', url)!
    expect(written).toBe(`${source}annotations:\n${line}`)
    expect(parse(written)).toEqual({ ...parse(source), annotations: { 'org.opencontainers.image.source': url } })
  })

  test('a URL a flow mapping would cut at its comma is quoted there', () => {
    expect(linkSource(`${head}annotations: {}\n`, 'Chart.yaml', 'https://example.com/a,b')).toBe(
      `${head}annotations: {org.opencontainers.image.source: "https://example.com/a,b"}\n`
    )
  })

  test.each([
    ['a list', 'annotations:\n  - category\n'],
    ['text', 'annotations: Networking\n']
  ])('refuses annotations that are %s, which helm cannot read either', (_case, rest) => {
    expect(() => linkSource(`${head}${rest}`, 'Chart.yaml', url)).toThrow(
      'Chart.yaml: annotations must be a mapping (one name: text per line) for org.opencontainers.image.source to ' +
        'be added to it. Fix annotations, or add org.opencontainers.image.source yourself.'
    )
  })

  test('refuses a flow mapping, whose layout it cannot keep', () => {
    expect(() => linkSource('{apiVersion: v2, name: x, version: 0.1.0}\n', 'Chart.yaml', url)).toThrow(
      'Chart.yaml must be a block mapping'
    )
  })
})

describe('addAnnotations: Artifact Hub annotations of several lines each', () => {
  const annotationFixtures = path.join(fixtures, '..', 'chart-annotations')
  const readAnnotations = (name: string, file: string) =>
    readFileSync(path.join(annotationFixtures, name, file), 'utf8')
  const annotations = artifactHubAnnotations({
    changes: [
      {
        kind: 'added',
        description: 'Admin ingress (#120).',
        links: [{ name: '#120', url: 'https://github.com/sofatutor/llm-proxy/pull/120' }]
      },
      { kind: 'fixed', description: 'Quoting: "a", \'b\' and key: value' }
    ],
    image: { name: 'ghcr.io/sofatutor/llm-proxy', tag: 'v1.2.3-rc.1' },
    prerelease: true,
    signKey: { fingerprint: '8E2F0AC2A2B4C6D8E0F1A3B5C7D9E1F3A5B7C9D1', url: 'https://example.com/key.asc' }
  })
  const keys = annotations.map(([key]) => key)

  test.each([
    ['llm-proxy', 'no annotations: the mapping added after the last key, block scalars under it', keys],
    ['annotations-map', 'a block mapping: first, in order, at its indentation and one step deeper', keys],
    ['flow-map', 'a flow mapping: first, in double quotes', keys],
    ['crlf', 'with the CRLF line breaks of the file, inside the block scalars too', keys],
    ['own-changes', 'a chart that sets artifacthub.io/changes keeps its own', keys.slice(1)]
  ])('%s: %s', (name, _case, added) => {
    const source = readAnnotations(name, 'Chart.yaml')
    const written = addAnnotations(source, `${name}/Chart.yaml`, annotations, 'or not')
    expect(written.text).toBe(readAnnotations(name, 'expected.yaml'))
    expect(written.added).toEqual(added)
    const before = parse(source) as { annotations?: Record<string, string> }
    expect(parse(written.text)).toEqual({
      ...before,
      annotations: { ...Object.fromEntries(annotations), ...before.annotations }
    })
  })

  test('nothing to add leaves the text as it was', () => {
    const source = readAnnotations('llm-proxy', 'Chart.yaml')
    expect(addAnnotations(source, 'Chart.yaml', [], 'or not')).toEqual({ text: source, added: [] })
  })

  test('refuses annotations it cannot add to, naming the fix', () => {
    expect(() =>
      addAnnotations(
        'apiVersion: v2\nname: x\nversion: 1.0.0\nannotations: [a]\n',
        'Chart.yaml',
        annotations.slice(2, 3),
        'or not'
      )
    ).toThrow('Chart.yaml: annotations must be a mapping (one name: text per line) for artifacthub.io/prerelease')
  })
})
