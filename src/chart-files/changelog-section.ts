// marked's lexer, not the keep-a-changelog package: that one splits lines by their first characters (a fenced
// block or a nested list throws it off), fails on every section when one heading lacks a date, and keeps an
// entry as a string without its links or line. marked reads CommonMark as GitHub does, resolves reference
// links, and its top-level tokens spell out the file in order, so their raw text counts the lines.
import { Lexer, type Token, type Tokens } from 'marked'
import { show } from '../text.js'

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

/** Inline text as plain text: links become their text (their URLs go to `links`), code keeps its ticks. */
function inlineText(tokens: Token[]): string {
  return tokens
    .map(token => {
      if (token.type === 'codespan') return `\`${token.text}\``
      if (token.type === 'br') return ' '
      if (token.type === 'html') return token.raw
      if ('tokens' in token && token.tokens) return inlineText(token.tokens)
      return 'text' in token ? String(token.text) : ''
    })
    .join('')
}

/** An entry's paragraphs and nested lists as one line of plain text. */
function blockText(tokens: Token[]): string {
  return tokens
    .map(token => {
      if (token.type === 'list') return (token as Tokens.List).items.map(item => blockText(item.tokens)).join(' ')
      if ('tokens' in token && token.tokens) return inlineText(token.tokens)
      return 'text' in token ? String(token.text) : ''
    })
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The entry's links (http and https only; anything else is no place to send a reader), in order. */
function linksOf(tokens: Token[]): ChangeLink[] {
  return tokens.flatMap(token => {
    if (token.type === 'link') {
      const link = token as Tokens.Link
      return /^https?:\/\//i.test(link.href)
        ? [{ name: inlineText(link.tokens).trim() || link.href, url: link.href }]
        : []
    }
    if (token.type === 'list') return (token as Tokens.List).items.flatMap(item => linksOf(item.tokens))
    return 'tokens' in token && token.tokens ? linksOf(token.tokens) : []
  })
}

function change(kind: ChangeKind, item: Tokens.ListItem): Change {
  const description = blockText(item.tokens)
  const links = linksOf(item.tokens)
  return links.length ? { kind, description, links } : { kind, description }
}

const countLines = (text: string) => text.split('\n').length - 1

/**
 * The section of `version` in a changelog in Keep a Changelog form (https://keepachangelog.com/en/1.1.0/), or
 * undefined when it has none (`[Unreleased]` is never a version). Every entry must stand in a list under one
 * of the six kinds of change: anything else in the section is an error naming the file and the line, since
 * the section would otherwise reach Artifact Hub without it, or as something it is not.
 */
export function parseChangelogSection(text: string, file: string, version: string): ChangelogSection | undefined {
  const tokens = new Lexer({ gfm: true }).lex(text)
  const starts: number[] = []
  let line = 1
  for (const token of tokens) {
    starts.push(line)
    line += countLines(token.raw)
  }
  const isVersionHeading = (token: Token) => token.type === 'heading' && (token as Tokens.Heading).depth <= 2
  const matching = tokens.flatMap((token, index) =>
    isVersionHeading(token) &&
    (token as Tokens.Heading).depth === 2 &&
    headingVersion((token as Tokens.Heading).text) === version
      ? [index]
      : []
  )
  if (matching.length === 0) return undefined
  const at = (index: number) => `${file} line ${starts[index]}`
  if (matching.length > 1) {
    throw new Error(
      `${file} has ${matching.length} sections for ${version}, at lines ${matching.map(index => starts[index]).join(', ')}. ` +
        'Keep one.'
    )
  }
  const [heading] = matching
  const next = tokens.findIndex((token, index) => index > heading && isVersionHeading(token))
  const body = tokens.slice(heading + 1, next === -1 ? tokens.length : next)

  const changes: Change[] = []
  let kind: ChangeKind | undefined
  for (const [offset, token] of body.entries()) {
    const index = heading + 1 + offset
    if (token.type === 'heading' && token.depth === 3) {
      const title = (token as Tokens.Heading).text.trim()
      kind = KINDS[title.toLowerCase() as keyof typeof KINDS]
      if (!kind) {
        throw new Error(
          `${at(index)}: ${show(`### ${title}`)} is not one of Keep a Changelog's kinds of change. Use ### Added, ` +
            '### Changed, ### Deprecated, ### Removed, ### Fixed or ### Security: Artifact Hub knows only these.'
        )
      }
    } else if (token.type === 'list') {
      if (!kind) {
        throw new Error(
          `${at(index)}: an entry of ${version} stands under no kind of change. Put it under ### Added, ` +
            '### Changed, ### Deprecated, ### Removed, ### Fixed or ### Security.'
        )
      }
      let itemLine = starts[index]
      for (const item of (token as Tokens.List).items) {
        const entry = change(kind, item)
        if (!entry.description) throw new Error(`${file} line ${itemLine}: an entry of ${version} is empty.`)
        changes.push(entry)
        itemLine += countLines(item.raw)
      }
    } else if (token.type === 'heading') {
      throw new Error(
        `${at(index)}: ${show((token as Tokens.Heading).raw.trim())} is no heading of a Keep a Changelog section; ` +
          `the kinds of change of ${version} are ### headings.`
      )
    }
    // Prose, code, quotes and link definitions go to the GitHub Release as they are, and to no entry.
  }

  // Link definitions are the file's, wherever they stand (usually at its end, after the last section): those
  // the section uses follow it, so that its reference links work in the GitHub Release too.
  const markdown = body
    .filter(token => token.type !== 'def')
    .map(token => token.raw)
    .join('')
  const definitions = tokens
    .filter(token => token.type === 'def')
    .filter(token => markdown.toLowerCase().includes(`[${(token as Tokens.Def).tag.toLowerCase()}]`))
    .map(token => token.raw.trimEnd())
  return {
    file,
    line: starts[heading],
    markdown: [markdown.trim(), ...(definitions.length ? ['', ...definitions] : [])].join('\n').trim(),
    changes
  }
}
