// The released version's section is found by a linear scan of the headings (changelog-scan.ts) and only that
// section is parsed, with markdown-it: CommonMark as GitHub reads it, in time linear in the text (its emphasis
// and link rules are; marked's are quadratic and worse), with a nesting limit instead of a recursion that
// overflows the stack. Its tokens carry their lines, which the messages name. Not the keep-a-changelog
// package: that one splits lines by their first characters (a fenced block or a nested list throws it off),
// fails on every section when one heading lacks a date, and keeps an entry as a string without its links.
import MarkdownIt from 'markdown-it'
import { BOUNDS } from '../bounds.js'
import { show } from '../text.js'
import { bracketed, scanChangelog } from './changelog-scan.js'

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number]

/** Keep a Changelog's kinds of change, by their heading; Artifact Hub's `artifacthub.io/changes` knows these. */
const KINDS = {
  added: 'added',
  changed: 'changed',
  deprecated: 'deprecated',
  removed: 'removed',
  fixed: 'fixed',
  security: 'security'
} as const

export type ChangeKind = (typeof KINDS)[keyof typeof KINDS]

export interface ChangeLink {
  name: string
  url: string
}

/** One entry of a section, in Artifact Hub's terms. */
export interface Change {
  kind: ChangeKind
  description: string
  links?: ChangeLink[]
}

/** The section of one version in a changelog. */
export interface ChangelogSection {
  file: string
  /** The line of the section's heading. */
  line: number
  /** What stands under the heading, as the file has it, with the definitions of the reference links it uses. */
  markdown: string
  changes: Change[]
}

/** `## [1.2.3] - 2026-11-26`, `## 1.2.3`, `## [v1.2.3]`, `## 1.2.3 [YANKED]`: the version a heading names. */
function headingVersion(text: string): string {
  const match = /^\[?v?([^\]\s]+)\]?(?:\s.*)?$/.exec(text.trim())
  return match ? match[1] : ''
}

/** Inline tokens as plain text: links become their text (their URLs go to `links`), code keeps its ticks. */
function inlineText(tokens: Token[]): string {
  return tokens
    .map(token => {
      if (token.type === 'code_inline') return `\`${token.content}\``
      if (token.type === 'softbreak' || token.type === 'hardbreak') return ' '
      return token.type === 'text' || token.type === 'html_inline' || token.type === 'image' ? token.content : ''
    })
    .join('')
}

/** An entry's paragraphs, code and nested lists (its tokens, in order) as one line of plain text. */
function blockText(tokens: Token[]): string {
  return tokens
    .map(token => (token.type === 'inline' ? inlineText(token.children ?? []) : token.block ? token.content : ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The entry's links (http and https only; anything else is no place to send a reader), in order. */
function linksOf(tokens: Token[]): ChangeLink[] {
  const links: ChangeLink[] = []
  for (const token of tokens.filter(each => each.type === 'inline')) {
    const children = token.children ?? []
    children.forEach((child, index) => {
      const href = child.type === 'link_open' ? String(child.attrGet('href') ?? '') : ''
      if (!/^https?:\/\//i.test(href)) return
      const close = children.findIndex((other, after) => after > index && other.type === 'link_close')
      const name = inlineText(children.slice(index + 1, close === -1 ? children.length : close)).trim()
      links.push({ name: name || href, url: href })
    })
  }
  return links
}

function change(kind: ChangeKind, item: Token[]): Change {
  const description = blockText(item)
  const links = linksOf(item)
  return links.length ? { kind, description, links } : { kind, description }
}

/** The index of the token that closes the one at `open` (its `_close` at the same level). */
const closing = (tokens: Token[], open: number) =>
  tokens.findIndex((token, index) => index > open && token.level === tokens[open].level && token.nesting === -1)

/**
 * The section of `version` in a changelog in Keep a Changelog form (https://keepachangelog.com/en/1.1.0/), or
 * undefined when it has none (`[Unreleased]` is never a version). Every entry must stand in a list under one
 * of the six kinds of change: anything else in the section is an error naming the file and the line, since
 * the section would otherwise reach Artifact Hub without it, or as something it is not.
 */
export function parseChangelogSection(text: string, file: string, version: string): ChangelogSection | undefined {
  const lines = text.split(/\r?\n/)
  const { headings, definitions } = scanChangelog(lines)
  const matching = headings.filter(heading => heading.depth === 2 && headingVersion(heading.text) === version)
  if (matching.length === 0) return undefined
  if (matching.length > 1) {
    throw new Error(
      `${file} has ${matching.length} sections for ${version}, at lines ${matching.map(({ line }) => line + 1).join(', ')}. ` +
        'Keep one.'
    )
  }
  const [heading] = matching
  const next = headings.find(({ line, depth }) => line > heading.line && depth <= 2)
  // The heading's own lines: one, or a setext heading's text and underline.
  const first = heading.line + (heading.depth === 2 && /^ {0,3}-+[ \t]*$/.test(lines[heading.line + 1] ?? '') ? 2 : 1)
  const body = lines.slice(first, next ? next.line : lines.length)
  const at = (index: number) => `${file} line ${first + index + 1}`

  // Link definitions are the file's, wherever they stand (usually at its end, after the last section): those
  // the section uses follow it, so that its reference links work in the GitHub Release too.
  const own = new Set(definitions.map(({ line }) => line - first))
  const labels = bracketed(body.filter((_line, index) => !own.has(index)).join('\n'))
  const used = definitions.filter(({ label }) => labels.has(label)).map(({ raw }) => raw)
  const source = [...body, '', ...used].join('\n')
  const size = Buffer.byteLength(source)
  if (size > BOUNDS.changelogSectionBytes) {
    throw new Error(
      `${file} line ${heading.line + 1}: the section for ${version} is ${size} bytes with the link definitions it ` +
        `uses, more than the ${BOUNDS.changelogSectionBytes} (64 KiB) the action reads of one section. Shorten it, ` +
        'or link to the details.'
    )
  }
  const tokens = new MarkdownIt('default', {
    html: true,
    linkify: true,
    maxNesting: BOUNDS.markdownDepth + 2
  }).parse(source, {})
  const deep = tokens.find(token => token.level > BOUNDS.markdownDepth)
  if (deep) {
    throw new Error(
      `${at(deep.map?.[0] ?? 0)}: the section for ${version} nests quotes and lists deeper than ` +
        `${BOUNDS.markdownDepth} levels, and the action reads no deeper. Flatten it.`
    )
  }

  const changes: Change[] = []
  let kind: ChangeKind | undefined
  const covered = new Set<number>()
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]
    if (token.level !== 0 || !token.map) continue
    for (let line = token.map[0]; line < token.map[1]; line++) covered.add(line)
    const end = token.nesting === 1 ? closing(tokens, index) : index
    if (token.type === 'heading_open' && token.tag === 'h3') {
      const title = tokens[index + 1].content.trim()
      kind = KINDS[title.toLowerCase() as keyof typeof KINDS]
      if (!kind) {
        throw new Error(
          `${at(token.map[0])}: ${show(`### ${title}`)} is not one of Keep a Changelog's kinds of change. Use ### Added, ` +
            '### Changed, ### Deprecated, ### Removed, ### Fixed or ### Security: Artifact Hub knows only these.'
        )
      }
    } else if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') {
      if (!kind) {
        throw new Error(
          `${at(token.map[0])}: an entry of ${version} stands under no kind of change. Put it under ### Added, ` +
            '### Changed, ### Deprecated, ### Removed, ### Fixed or ### Security.'
        )
      }
      for (let item = index + 1; item < end; item = closing(tokens, item) + 1) {
        const entry = change(kind, tokens.slice(item + 1, closing(tokens, item)))
        if (!entry.description) throw new Error(`${at(tokens[item].map?.[0] ?? 0)}: an entry of ${version} is empty.`)
        changes.push(entry)
      }
    } else if (token.type === 'heading_open') {
      throw new Error(
        `${at(token.map[0])}: ${show(body[token.map[0]].trim())} is no heading of a Keep a Changelog section; ` +
          `the kinds of change of ${version} are ### headings.`
      )
    }
    // Prose, code, quotes and link definitions go to the GitHub Release as they are, and to no entry.
    index = end
  }

  // The section as the file has it, but for its link definitions (the lines no block covers that are not
  // blank), which follow it with the others it uses.
  const markdown = body.filter((line, index) => covered.has(index) || !line.trim()).join('\n')
  return {
    file,
    line: heading.line + 1,
    markdown: [markdown.trim(), ...(used.length ? ['', ...used] : [])].join('\n').trim(),
    changes
  }
}
