// The linear scan must find the headings a CommonMark parser finds at the top level, or a section would end at
// a `## 1.2.3` inside a code block, or run on past a real heading. markdown-it, which parses the section itself,
// is the reference; the cases are the block structures a changelog has.
import { describe, expect, test } from '@jest/globals'
import MarkdownIt from 'markdown-it'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { scanChangelog } from '../../src/chart-files/changelog-scan.js'

const fixture = (name: string) =>
  readFileSync(path.join(import.meta.dirname, '..', '__fixtures__', 'changelog', name), 'utf8')

/** The top-level headings markdown-it finds: their first line, depth and text. */
function reference(text: string) {
  const tokens = new MarkdownIt('default', { html: true }).parse(text, {})
  return tokens.flatMap((token, index) =>
    token.type === 'heading_open' && token.level === 0
      ? [{ line: token.map![0], depth: Number(token.tag.slice(1)), text: tokens[index + 1].content }]
      : []
  )
}

describe('scanChangelog finds the top-level headings markdown-it finds', () => {
  test.each([
    ['the real-world changelog', fixture('real-world.md')],
    ['a heading in fenced code', '## 1.0.0\n\n```md\n## 0.9.0\n```\n\n## 0.8.0\n'],
    ['in a longer fence, closed only by one as long', '````\n```\n## 0.9.0\n````\n## 0.8.0\n'],
    ['in a tilde fence', '~~~\n## 0.9.0\n~~~\n'],
    ['in indented code', '## 1.0.0\n\n    ## 0.9.0\n'],
    ['setext headings', 'Changelog\n=========\n\n1.0.0\n-----\n\n- a\n'],
    ['a thematic break after a list is no setext underline', '## 1.0.0\n- a\n---\n## 0.9.0\n'],
    ['nor after a quote', '> a\n---\n'],
    ['a heading in an HTML block', '<details>\n## 0.9.0\n</details>\n\n## 0.8.0\n'],
    ['in a comment of several lines', '<!--\n## 0.9.0\n-->\n## 0.8.0\n'],
    ['in a list item, indented into it', '- a\n\n  ## 0.9.0\n\n## 0.8.0\n'],
    ['right after a list item', '- a\n## 0.9.0\n'],
    ['after a quote', '> # quoted\n# 1.0.0\n'],
    ['closing hashes and blanks', '##   1.0.0   ##  \n## 0.9.0#\n#5 no heading\n####### nor this\n'],
    ['a tab after the marker', '##\t1.0.0\n']
  ])('%s', (_case, text) => {
    expect(scanChangelog(text.split('\n')).headings).toEqual(reference(text))
  })
})

test('scanChangelog finds link definitions outside code, by their normalised label', () => {
  const text = '[A  Label]: https://a\n```\n[b]: https://b\n```\ntext\n[c]: https://c\n\n[D]: https://d "t"\n'
  expect(scanChangelog(text.split('\n')).definitions).toEqual([
    { line: 0, label: 'a label', raw: '[A  Label]: https://a' },
    { line: 7, label: 'd', raw: '[D]: https://d "t"' }
  ])
})
