import { describe, expect, test } from '@jest/globals'
import { escapeHtml } from '../../src/outputs/summary.js'

describe('escapeHtml', () => {
  test.each([
    ['plain text', 'api 1.2.3', 'api 1.2.3'],
    ['markup', '<img src="x" onerror=\'y\'> & co', '&lt;img src=&quot;x&quot; onerror=&apos;y&apos;&gt; &amp; co'],
    ['a blank line, which would end the HTML block', 'a\n\n# heading', 'a<br><br># heading'],
    ['every kind of line break', 'a\r\nb\rc\nd', 'a<br>b<br>c<br>d'],
    ['an escape that is already there', '&lt;', '&amp;lt;'],
    ['text beyond ASCII, as it is', 'Grüße ✓', 'Grüße ✓']
  ])('%s', (_what, text, expected) => {
    expect(escapeHtml(text)).toBe(expected)
  })
})
