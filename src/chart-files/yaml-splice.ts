import { isMap, isScalar, parseDocument, Scalar, stringify, type Document, type YAMLMap } from 'yaml'
import { checkYamlDepth } from '../bounds.js'
import { show, textOf } from '../text.js'

/**
 * How the action rewrites YAML that people wrote (Chart.yaml, values.yaml): new scalars are spliced into the
 * original text at the ranges the yaml Document API reports, so every other byte (comments, key order,
 * quoting, blank lines, line endings) stays as it was. Re-serialising the document would lose some of that.
 */

export interface Edit {
  start: number
  end: number
  text: string
}

/** Parses a file that must hold one YAML mapping; `shape` tells the reader what that mapping should hold. */
export function parseMapping(source: string, file: string, shape: string): Document.Parsed {
  checkYamlDepth(source, file)
  const doc = parseDocument(source, { prettyErrors: true, uniqueKeys: true })
  if (doc.errors.length) throw new Error(`${file} is not valid YAML: ${doc.errors[0].message}`)
  if (!isMap(doc.contents)) throw new Error(`${file} must be a YAML mapping (${shape}).`)
  return doc
}

/**
 * A field as the text a reader of the file would take it for, as the file spells it (`1.0`, not the number 1
 * YAML makes of it); empty when missing or null.
 */
export function stringAt(doc: Document.Parsed, path: readonly (string | number)[]): string {
  const node = doc.getIn(path, true)
  if (isScalar(node) && typeof node.value !== 'string' && node.value !== null && node.source) return node.source
  return textOf(doc.getIn(path))
}

/** Renders a string scalar in the style the file already used, quoting a plain one only where YAML needs it. */
export function renderScalar(value: string, type: Scalar['type']): string {
  if (type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value)
  if (type === Scalar.QUOTE_SINGLE) return `'${value.replaceAll("'", "''")}'`
  // stringify quotes values such as 1.0 or true that would otherwise be read back as a number or boolean.
  return stringify(value).trimEnd()
}

/**
 * The edit that puts `value` where `node` stands. An empty null (`tag:` or `tag: # comment`) has a range of
 * length zero, so blanks go around the value where the neighbours would otherwise run into it.
 */
export function replaceScalar(source: string, node: Scalar, value: string): Edit {
  const [start, end] = node.range as [number, number, number]
  const text = renderScalar(value, node.type)
  if (start !== end) return { start, end, text }
  const before = source[start - 1] === ':' ? ' ' : ''
  const after = source[end] === '#' ? ' ' : ''
  return { start, end, text: before + text + after }
}

/** The line break the file uses, so that an added line matches its neighbours. */
export function lineBreak(source: string): string {
  return source.includes('\r\n') ? '\r\n' : '\n'
}

/** How far the file indents a nested line: the least indentation of any line with content, 2 when none has any. */
export function indentStep(source: string): number {
  let step = Infinity
  for (const [, blanks] of source.matchAll(/^( +)[^ #\r\n]/gm)) step = Math.min(step, blanks.length)
  return step === Infinity ? 2 : step
}

/** The column of an offset; a byte-order mark at the start of the file takes none. */
function columnOf(source: string, offset: number): number {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1
  return offset - lineStart - (lineStart === 0 && source.startsWith('\uFEFF') ? 1 : 0)
}

/** Where the line after `offset`'s begins; the end of the file when that line is the last and has no break. */
function nextLine(source: string, offset: number): { at: number; before: string } {
  const newline = source.indexOf('\n', offset)
  return newline === -1 ? { at: source.length, before: lineBreak(source) } : { at: newline + 1, before: '' }
}

/**
 * A plain scalar in a flow mapping must not hold , [ ] { }, which would end it, nor span lines as a block
 * scalar; such text goes in double quotes.
 */
function flowScalar(text: string): string {
  const plain = renderScalar(text, Scalar.PLAIN)
  return /[,[\]{}\n]/.test(plain) ? JSON.stringify(text) : plain
}

/**
 * `key: value` as lines of a block mapping at `indent`: a value of several lines (an annotation that holds
 * YAML of its own) becomes a block scalar whose lines go one `step` deeper. Never folded, so a long value
 * stays on its line.
 */
function blockEntry(key: string, value: string, indent: string, step: string, eol: string): string {
  const lines = stringify({ [key]: value }, { indent: step.length, lineWidth: 0 })
    .trimEnd()
    .split('\n')
  return lines.map(line => `${indent}${line}${eol}`).join('')
}

/**
 * The edits that add `key: value` to the mapping under the top-level key `parent`, as a person would write it:
 * a block mapping gets a line of its own right below `parent:`, at the indentation of its keys (above any
 * comment that introduces its first key); a flow mapping gets the entry first; `parent:` left empty (null)
 * gets a block mapping of the one line; and a missing `parent` is added after the last top-level key, before
 * a document end marker or a trailing comment.
 */
export function addEntry(
  source: string,
  doc: Document.Parsed,
  file: string,
  [parent, key]: [string, string],
  value: string
): Edit[] {
  const top = doc.contents as YAMLMap
  const eol = lineBreak(source)
  const step = ' '.repeat(indentStep(source))
  const pair = top.items.find(item => isScalar(item.key) && item.key.value === parent)
  if (!pair) {
    const end = top.range![1]
    const before = end > 0 && source[end - 1] !== '\n' ? eol : ''
    const indent = ' '.repeat(columnOf(source, top.range![0]))
    return [
      { start: end, end, text: `${before}${indent}${parent}:${eol}${blockEntry(key, value, indent + step, step, eol)}` }
    ]
  }
  const keyNode = pair.key as Scalar
  const node = pair.value
  if (isMap(node) && node.flow) {
    const first = node.items[0]?.key
    const at = isScalar(first) && first.range ? first.range[0] : node.range![0] + 1
    const entry = `${flowScalar(key)}: ${flowScalar(value)}`
    return [{ start: at, end: at, text: node.items.length ? `${entry}, ` : entry }]
  }
  if (isMap(node) && isScalar(node.items[0]?.key) && node.items[0].key.range) {
    const { at } = nextLine(source, keyNode.range![1])
    const indent = ' '.repeat(columnOf(source, node.items[0].key.range[0]))
    return [{ start: at, end: at, text: blockEntry(key, value, indent, step, eol) }]
  }
  if (node === null || (isScalar(node) && node.value === null)) {
    const edits: Edit[] = []
    // `~` or `null` goes with the blanks before it, so that the mapping below is the value and no line ends in
    // a blank; an empty value has nothing to take away.
    if (isScalar(node) && node.range && node.range[0] !== node.range[1]) {
      let start = node.range[0]
      while (source[start - 1] === ' ' || source[start - 1] === '\t') start--
      edits.push({ start, end: node.range[1], text: '' })
    }
    const { at, before } = nextLine(source, (node?.range ?? keyNode.range!)[1])
    const indent = ' '.repeat(columnOf(source, keyNode.range![0])) + step
    edits.push({ start: at, end: at, text: `${before}${blockEntry(key, value, indent, step, eol)}` })
    return edits
  }
  throw new Error(
    `${file}: ${parent} must be a mapping (one name: text per line) for ${key} to be added to it. Fix ${parent}, ` +
      `or add ${key} yourself.`
  )
}

export function applyEdits(source: string, edits: Edit[]): string {
  let result = source
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end)
  }
  return result
}

/** The scalar node at `path`, or a thrown error naming the path, the file and the fix. */
export function scalarAt(doc: Document.Parsed, path: readonly string[], file: string, input: string): Scalar {
  const dotted = path.join('.')
  let node: unknown = doc.contents
  for (const [depth, key] of path.entries()) {
    if (!isMap(node)) {
      const parent = path.slice(0, depth).join('.')
      throw new Error(`${file}: ${parent} is not a mapping, so ${input} ${show(dotted)} cannot be set in it.`)
    }
    const pair = node.items.find(item => isScalar(item.key) && String(item.key.value) === key)
    if (!pair) {
      throw new Error(
        `${file} has no ${dotted} (input ${input} ${show(dotted)}): ${path.slice(0, depth + 1).join('.')} is ` +
          `missing. Add it to ${file}, or fix the path; the action does not add keys.`
      )
    }
    node = pair.value
  }
  if (!isScalar(node) || !node.range) {
    throw new Error(`${file}: ${dotted} must be a single value (e.g. ${dotted}: "") to be set from ${input}.`)
  }
  return node
}

/** Sets string values at key paths, then reads the result back: a splice that changed meaning is an error. */
export function setScalars(
  source: string,
  file: string,
  shape: string,
  values: { path: readonly string[]; value: string; input: string }[]
): string {
  const doc = parseMapping(source, file, shape)
  const edits = values.map(({ path, value, input }) => replaceScalar(source, scalarAt(doc, path, file, input), value))
  const result = applyEdits(source, edits)
  verifyWritten(result, file, shape, values)
  return result
}

export function verifyWritten(
  result: string,
  file: string,
  shape: string,
  values: { path: readonly (string | number)[]; value: string }[]
): void {
  const written = parseMapping(result, file, shape)
  const wrong = values.filter(({ path, value }) => stringAt(written, path) !== value)
  if (wrong.length) {
    const names = wrong.map(({ path }) => path.join('.')).join(', ')
    throw new Error(`${file}: rewriting ${names} did not read back as written; the file is left unchanged.`)
  }
}
