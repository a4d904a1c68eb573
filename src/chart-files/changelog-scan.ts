/**
 * One pass over a changelog's lines that finds its top-level headings and link definitions, as CommonMark
 * reads them, without parsing anything else: fenced code, indented code, HTML blocks, lists and quotes are
 * stepped over so that a `## 1.2.3` inside them is no heading. Linear in the file's length, whatever it holds,
 * so that a changelog of any size within helm's 5 MiB is searched for the released version at no risk; only
 * that version's section is then parsed (changelog-section.ts).
 */

export interface ScannedHeading {
  /** The 0-based index of the heading's first line. */
  line: number
  depth: number
  text: string
}

export interface ScannedDefinition {
  line: number
  /** The label, normalised as CommonMark matches labels: case and runs of blanks do not count. */
  label: string
  raw: string
}

export interface Scan {
  headings: ScannedHeading[]
  definitions: ScannedDefinition[]
}

const FENCE = /^(`{3,}|~{3,})(.*)$/
const ATX = /^(#{1,6})(?:[ \t]|$)/
const SETEXT = /^(=+|-+)[ \t]*$/
const BREAK = /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/
const LIST_ITEM = /^([-+*]|[0-9]{1,9}[.)])([ \t]+|$)/
const DEFINITION = /^\[((?:[^\]\\]|\\.){1,999})\]:/
// HTML blocks (CommonMark 4.6): kinds 1 to 5 end at a text of their own, 6 and 7 at a blank line; 7 cannot
// interrupt a paragraph.
const HTML_ENDS: [RegExp, RegExp][] = [
  [/^<(script|pre|style|textarea)(\s|>|$)/i, /<\/(script|pre|style|textarea)>/i],
  [/^<!--/, /-->/],
  [/^<\?/, /\?>/],
  [/^<![A-Za-z]/, />/],
  [/^<!\[CDATA\[/, /\]\]>/]
]
const HTML_BLOCK =
  /^<\/?(address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(\s|\/?>|$)/i
// Tried on short lines only: a tag with its attributes fits in a few hundred characters, and the pattern would
// backtrack over a long run of blanks.
const TAG_LINE_LENGTH = 1000
const HTML_TAG =
  /^(<[A-Za-z][A-Za-z0-9-]*(\s+[A-Za-z_:][\w.:-]*(\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)\s*$/

const normalise = (label: string) => label.trim().replace(/\s+/g, ' ').toLowerCase()

/** An ATX heading's text: without the blanks around it and a closing run of `#` (CommonMark 4.2), in one pass. */
function atxText(rest: string, marker: number): string {
  let end = rest.length
  while (end > marker && (rest[end - 1] === ' ' || rest[end - 1] === '\t')) end--
  let hashes = end
  while (hashes > marker && rest[hashes - 1] === '#') hashes--
  if (hashes < end && (hashes === marker || rest[hashes - 1] === ' ' || rest[hashes - 1] === '\t')) end = hashes
  return rest.slice(marker, end).trim()
}

/** The columns of a line's leading blanks (a tab to the next multiple of 4) and the rest of it. */
function indentation(line: string): { indent: number; rest: string } {
  let indent = 0
  let index = 0
  for (; index < line.length && (line[index] === ' ' || line[index] === '\t'); index++) {
    indent = line[index] === '\t' ? indent + 4 - (indent % 4) : indent + 1
  }
  return { indent, rest: line.slice(index) }
}

export function scanChangelog(lines: string[]): Scan {
  const headings: ScannedHeading[] = []
  const definitions: ScannedDefinition[] = []
  let fence: { char: string; length: number } | undefined
  let html: RegExp | 'blank' | undefined
  /** The first line of the top-level paragraph the previous line belongs to, if it does. */
  let paragraph: number | undefined
  /** Inside a list or quote: what a line must be indented by to stay in it after a blank line. */
  let container: number | undefined
  let blankBefore = false

  for (const [index, line] of lines.entries()) {
    const { indent, rest } = indentation(line)
    if (fence) {
      const close = FENCE.exec(rest)
      if (indent < 4 && close && close[1][0] === fence.char && close[1].length >= fence.length && !close[2].trim())
        fence = undefined
      continue
    }
    if (html) {
      if (html === 'blank' ? !rest : html.test(line)) html = undefined
      if (html === undefined && !rest) blankBefore = true
      continue
    }
    if (!rest) {
      paragraph = undefined
      blankBefore = true
      continue
    }
    const wasBlank = blankBefore
    blankBefore = false
    if (container !== undefined && wasBlank && indent < container && !LIST_ITEM.test(rest) && !rest.startsWith('>'))
      container = undefined
    const inContainer = container !== undefined && (indent >= container || !wasBlank)
    // Indented code, or a paragraph's continuation; within a list, the item's own content.
    if (indent >= 4) {
      if (!inContainer && paragraph === undefined) continue
    } else {
      const opened = FENCE.exec(rest)
      if (opened && !(opened[1][0] === '`' && opened[2].includes('`'))) {
        fence = { char: opened[1][0], length: opened[1].length }
        paragraph = undefined
        continue
      }
      const atx = ATX.exec(rest)
      if (atx && (!inContainer || indent < (container ?? 0))) {
        headings.push({ line: index, depth: atx[1].length, text: atxText(rest, atx[1].length) })
        paragraph = container = undefined
        continue
      }
      if (paragraph !== undefined && !inContainer && SETEXT.test(rest)) {
        const text = lines.slice(paragraph, index).join('\n').trim()
        headings.push({ line: paragraph, depth: rest.startsWith('=') ? 1 : 2, text })
        paragraph = undefined
        continue
      }
      if (BREAK.test(rest)) {
        paragraph = container = undefined
        continue
      }
      const item = LIST_ITEM.exec(rest)
      if (item || rest.startsWith('>')) {
        container = item ? indent + item[1].length + Math.min(Math.max(item[2].length, 1), 4) : 4
        paragraph = undefined
        continue
      }
      const ending = HTML_ENDS.find(([start]) => start.test(rest))
      if (
        ending ||
        HTML_BLOCK.test(rest) ||
        (paragraph === undefined && rest.length < TAG_LINE_LENGTH && HTML_TAG.test(rest))
      ) {
        html = ending && !ending[1].test(rest.slice(1)) ? ending[1] : ending ? undefined : 'blank'
        paragraph = undefined
        continue
      }
      const definition = DEFINITION.exec(rest)
      if (definition && paragraph === undefined && !inContainer) {
        definitions.push({ line: index, label: normalise(definition[1]), raw: line.trim() })
        continue
      }
    }
    if (!inContainer && paragraph === undefined) paragraph = index
  }
  return { headings, definitions }
}

/** The labels of the reference links a text may use, normalised: what stands in its square brackets. */
export function bracketed(text: string): Set<string> {
  return new Set([...text.matchAll(/\[((?:[^[\]\\]|\\.){1,999})\]/g)].map(match => normalise(match[1])))
}
