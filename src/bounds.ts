import { Parser } from 'yaml'

/**
 * What the action reads of untrusted text, at most: every parser it runs on a chart's files, helm's output or an
 * answer from a registry or GitHub stops at these, with a message naming what it read and, where known, the
 * line. docs/security.md lists them.
 */
export const BOUNDS = {
  /** Nesting of YAML (every file read, helm's rendered output) and of JSON (registries, GitHub). */
  depth: 200,
  /** Nesting of the changelog section's Markdown blocks: quotes and lists in each other. */
  markdownDepth: 64,
  /** The changelog section of the released version; parsing one this large takes well under a second. */
  changelogSectionBytes: 64 * 1024,
  /** One answer of GitHub's API. */
  githubAnswerBytes: 32 * 1024 * 1024
}

/** The 1-based line of an offset into a text. */
export function lineOf(text: string, offset: number): number {
  let line = 1
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++
  return line
}

/**
 * The offset at which JSON text first nests deeper than `limit` arrays and objects, or undefined when it never
 * does; a linear scan that skips strings, ahead of a parser (or of code walking what it parsed) that would
 * recurse once per level.
 */
export function jsonTooDeep(text: string, limit = BOUNDS.depth): number | undefined {
  let depth = 0
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if (char === '"') {
      for (index++; index < text.length && text[index] !== '"'; index++) if (text[index] === '\\') index++
    } else if (char === '[' || char === '{') {
      if (++depth > limit) return index
    } else if (char === ']' || char === '}') {
      depth--
    }
  }
  return undefined
}

/** JSON text parsed, or an error naming `what` and the line where it nests too deep; JSON.parse's errors as they are. */
export function parseJson(text: string, what: string): unknown {
  const deep = jsonTooDeep(text)
  if (deep !== undefined) {
    throw new Error(
      `${what} nests deeper than ${BOUNDS.depth} levels of arrays and objects (line ${lineOf(text, deep)}); the ` +
        'action reads no deeper.'
    )
  }
  return JSON.parse(text)
}

/**
 * The offset of the first YAML collection (block or flow) nested deeper than `limit`, or undefined. The yaml
 * package's parser builds its syntax tree without recursion, and this walks it with a stack of its own: the
 * document API and toJS() recurse once per level and overflow the stack near a thousand.
 */
export function yamlTooDeep(text: string, limit = BOUNDS.depth): number | undefined {
  type Node = { type?: string; offset?: number; value?: unknown; key?: unknown; items?: Node[] }
  const stack: [Node | undefined, number][] = [...new Parser().parse(text)].map(token => [token as Node, 0])
  while (stack.length) {
    const [node, outer] = stack.pop()!
    if (!node || typeof node !== 'object') continue
    const collection = node.type === 'block-map' || node.type === 'block-seq' || node.type === 'flow-collection'
    const depth = collection ? outer + 1 : outer
    if (depth > limit) return node.offset
    stack.push([node.value as Node, depth], [node.key as Node, depth])
    for (const item of node.items ?? []) stack.push([item, depth])
  }
  return undefined
}

/** Refuses YAML nested deeper than BOUNDS.depth, naming `what` and the line, before a parser recurses into it. */
export function checkYamlDepth(text: string, what: string): void {
  const deep = yamlTooDeep(text)
  if (deep === undefined) return
  throw new Error(
    `${what} line ${lineOf(text, deep)}: YAML nested deeper than ${BOUNDS.depth} levels, and the action reads no ` +
      'deeper. Flatten it.'
  )
}
