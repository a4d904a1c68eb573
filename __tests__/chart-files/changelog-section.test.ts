import { describe, expect, test } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseChangelogSection } from '../../src/chart-files/changelog-section.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__', 'changelog')
const fixture = (name: string) => readFile(path.join(fixtures, name), 'utf8')

describe('parseChangelogSection against golden files', () => {
  test.each([
    ['real-world.md', '1.2.3', 'real-world.1.2.3.json'],
    ['real-world.md', '1.2.2', 'real-world.1.2.2.json'],
    ['real-world.md', '1.0.0', 'real-world.1.0.0.json']
  ])('%s, %s', async (name, version, golden) => {
    const section = parseChangelogSection(await fixture(name), 'CHANGELOG.md', version)
    expect(section).toEqual(JSON.parse(await fixture(golden)))
  })

  test.each([
    ['a version it has no section for', 'real-world.md', '9.9.9'],
    ['only Unreleased and older versions', 'no-version.md', '1.2.3']
  ])('%s: none', async (_case, name, version) => {
    expect(parseChangelogSection(await fixture(name), 'CHANGELOG.md', version)).toBeUndefined()
  })

  test('a section that does not parse: the file and the line', async () => {
    const text = await fixture('broken-section.md')
    expect(() => parseChangelogSection(text, 'charts/x/CHANGELOG.md', '1.2.3')).toThrow(
      'charts/x/CHANGELOG.md line 9: "### Improvements" is not one of Keep a Changelog\'s kinds of change. Use ' +
        '### Added, ### Changed, ### Deprecated, ### Removed, ### Fixed or ### Security: Artifact Hub knows only these.'
    )
    // Only the released version's section is read: another one that would not parse is no concern of the run.
    expect(parseChangelogSection(text, 'CHANGELOG.md', '1.2.2')?.changes).toEqual([
      { kind: 'fixed', description: 'Typo in NOTES.txt.' }
    ])
  })
})

describe('parseChangelogSection: which heading is the version', () => {
  const changelog = (heading: string) => `# Changelog\n\n${heading}\n\n### Fixed\n\n- It.\n`
  test.each([
    ['## [1.2.3] - 2026-11-26', true],
    ['## 1.2.3', true],
    ['## [v1.2.3]', true],
    ['## v1.2.3 - 2026-11-26', true],
    ['## [1.2.3] - 2026-11-26 [YANKED]', true],
    ['## [1.2.30] - 2026-11-26', false],
    ['## [1.2.3-rc.1] - 2026-11-26', false],
    ['## [Unreleased]', false],
    ['### [1.2.3]', false],
    ['# 1.2.3', false],
    ['## Release 1.2.3', false]
  ])('%s: %s', (heading, found) => {
    const section = parseChangelogSection(changelog(heading), 'CHANGELOG.md', '1.2.3')
    expect(section && section.line).toBe(found ? 3 : undefined)
  })

  test('a prerelease version finds its own section', () => {
    const section = parseChangelogSection(changelog('## [2.0.0-rc.1+build.5]'), 'CHANGELOG.md', '2.0.0-rc.1+build.5')
    expect(section?.changes).toEqual([{ kind: 'fixed', description: 'It.' }])
  })
})

describe('parseChangelogSection: entries', () => {
  const section = (body: string) => parseChangelogSection(`## 1.2.3\n${body}`, 'CHANGELOG.md', '1.2.3')!
  test.each([
    ['a kind in lower case', '### fixed\n- It.\n', [{ kind: 'fixed', description: 'It.' }]],
    [
      'an ordered list',
      '### Removed\n1. One.\n2. Two.\n',
      [
        { kind: 'removed', description: 'One.' },
        { kind: 'removed', description: 'Two.' }
      ]
    ],
    [
      'a nested list joins its entry',
      '### Added\n- Probes:\n  - liveness\n  - readiness\n',
      [{ kind: 'added', description: 'Probes: liveness readiness' }]
    ],
    [
      'links other than http(s) stay text only',
      '### Added\n- See [docs](docs/x.md) or [mail](mailto:a@b.c).\n',
      [{ kind: 'added', description: 'See docs or mail.' }]
    ],
    [
      'an autolink is its own name',
      '### Fixed\n- See <https://example.com/a>.\n',
      [
        {
          kind: 'fixed',
          description: 'See https://example.com/a.',
          links: [{ name: 'https://example.com/a', url: 'https://example.com/a' }]
        }
      ]
    ],
    [
      'a workflow command is text like any other',
      '### Fixed\n- ::error::x\n  ::add-mask::y\n',
      [{ kind: 'fixed', description: '::error::x ::add-mask::y' }]
    ],
    ['prose and an empty kind give no entry', 'Notes.\n\n### Added\n\n### Fixed\n\n```yaml\na: 1\n```\n', []]
  ])('%s', (_case, body, changes) => {
    expect(section(body).changes).toEqual(changes)
  })

  test('the release notes are the section as the file has it, with the definitions it uses', () => {
    const text =
      '## 1.2.3\r\n### Fixed\r\n- A [bug][b].\r\n\r\n## 1.2.2\r\n### Fixed\r\n- [c]\r\n\r\n[b]: https://b\r\n[c]: https://c\r\n'
    expect(parseChangelogSection(text, 'CHANGELOG.md', '1.2.3')).toEqual({
      file: 'CHANGELOG.md',
      line: 1,
      markdown: '### Fixed\n- A [bug][b].\n\n[b]: https://b',
      changes: [{ kind: 'fixed', description: 'A bug.', links: [{ name: 'bug', url: 'https://b' }] }]
    })
  })

  test.each([
    [
      'an entry under no kind',
      '\n- Loose.\n',
      'CHANGELOG.md line 3: an entry of 1.2.3 stands under no kind of change.'
    ],
    [
      'a deeper heading',
      '### Added\n- A.\n#### Details\n',
      'CHANGELOG.md line 4: "#### Details" is no heading of a Keep a Changelog section'
    ],
    ['an empty entry, by its line', '### Added\n- A.\n-\n- C.\n', 'CHANGELOG.md line 4: an entry of 1.2.3 is empty.'],
    [
      'CRLF line breaks count once',
      '\r\n\r\n### Better\r\n- A.\r\n',
      'CHANGELOG.md line 4: "### Better" is not one of'
    ],
    [
      'a second section of the version',
      '### Added\n- A.\n## [1.2.3]\n',
      'CHANGELOG.md has 2 sections for 1.2.3, at lines 1, 4. Keep one.'
    ]
  ])('%s', (_case, body, message) => {
    expect(() => section(body)).toThrow(message)
  })
})

describe('parseChangelogSection: bounded work', () => {
  const LIMIT = 64 * 1024
  const heading = '## 1.2.3\n### Fixed\n'
  // What cost marked's inline rules quadratic time or worse (emphasis, links), and CommonMark's other
  // pathological cases: unclosed brackets, backticks, comments, escapes.
  const PATTERNS = [
    '_a',
    '*_a',
    '_*a',
    '*__a',
    '*a_',
    '[*a',
    '[_a',
    '[a](',
    '**a',
    '`*_a',
    '![*_a',
    '[',
    '`a',
    '<!--',
    '\\'
  ]
  const fill = (line: (size: number) => string, size: number) => {
    const lines: string[] = []
    let total = heading.length
    while (total + size + 1 < LIMIT - 16) {
      lines.push(line(size))
      total += size + 1
    }
    return `${heading}${lines.join('\n')}\n`
  }
  test.each(
    PATTERNS.flatMap(pattern => [[pattern, 'one entry', LIMIT - 64] as const, [pattern, 'entries', 200] as const])
  )('%j filling the section (%s) parses within a second', (pattern, _shape, size) => {
    const text = fill(length => `- ${pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length - 2)}`, size)
    const started = performance.now()
    parseChangelogSection(text, 'CHANGELOG.md', '1.2.3')
    expect(performance.now() - started).toBeLessThan(1000)
  })

  test('a section past the size limit is refused, naming the file, the line and the limit', () => {
    const text = `# Changelog\n\n${heading}- ${'x'.repeat(LIMIT)}\n`
    expect(() => parseChangelogSection(text, 'CHANGELOG.md', '1.2.3')).toThrow(
      `CHANGELOG.md line 3: the section for 1.2.3 is ${LIMIT + 14} bytes with the link definitions it uses, more ` +
        'than the 65536 (64 KiB) the action reads of one section.'
    )
  })

  test('an old section of any size is not parsed', () => {
    const text = `${heading}- It.\n\n## 1.2.2\n\n- ${'*_a'.repeat(1_000_000)}\n`
    const started = performance.now()
    expect(parseChangelogSection(text, 'CHANGELOG.md', '1.2.3')?.changes).toEqual([
      { kind: 'fixed', description: 'It.' }
    ])
    expect(performance.now() - started).toBeLessThan(1000)
  })

  test.each([
    ['quotes', `${'> '.repeat(20_000)}deep`],
    ['lists', Array.from({ length: 40 }, (_, depth) => `${'  '.repeat(depth)}- deep`).join('\n')]
  ])('%s nested past the limit are refused with the line', (_case, nested) => {
    expect(() => parseChangelogSection(`${heading}- It.\n\n${nested}\n`, 'CHANGELOG.md', '1.2.3')).toThrow(
      /^CHANGELOG\.md line \d+: the section for 1\.2\.3 nests quotes and lists deeper than 64 levels/
    )
  })
})
