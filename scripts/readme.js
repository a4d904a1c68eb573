// The README's table of input checks is rendered from __tests__/__fixtures__/input-checks.json, the table the
// bad-input tests walk. `make readme` rewrites it (then prettier aligns it); a test checks that the two agree.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const INPUT_CHECKS = path.join(ROOT, '__tests__', '__fixtures__', 'input-checks.json')
export const README = path.join(ROOT, 'README.md')
const START = '<!-- input-checks:start -->'
const END = '<!-- input-checks:end -->'

export async function readInputChecks() {
  return JSON.parse(await readFile(INPUT_CHECKS, 'utf8'))
}

/**
 * The cells of one row: the input, the refused value (as a JSON string, with the other inputs the check needs),
 * the message ("…" stands for a path of the run).
 */
export function inputCheckCells(check) {
  const others = Object.entries(check.with ?? {}).map(([name, value]) => ` with \`${name}: ${value}\``)
  return [`\`${check.input}\``, `\`${JSON.stringify(check.shown ?? check.value)}\`${others.join('')}`, check.message]
}

/** The cell texts of the table between the README's markers, header and rule left out. */
export function readmeTableCells(readme) {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start === -1 || end === -1) throw new Error(`README.md lacks the ${START} … ${END} markers`)
  return readme
    .slice(start + START.length, end)
    .split('\n')
    .filter(line => line.startsWith('|'))
    .slice(2)
    .map(line =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell, index) => (index === 2 ? cell.trim().replace(/\\([_*])/g, '$1') : cell.trim()))
    )
}

function renderTable(checks) {
  const row = cells => `| ${cells.join(' | ')} |`
  // The message's '_' and '*' escaped, or Markdown (and prettier) would read them as emphasis.
  const escaped = check =>
    inputCheckCells(check).map((cell, index) => (index === 2 ? cell.replace(/[_*]/g, '\\$&') : cell))
  return [
    row(['input', 'refused value', 'message']),
    row(['---', '---', '---']),
    ...checks.map(check => row(escaped(check)))
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readme = await readFile(README, 'utf8')
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start === -1 || end === -1) throw new Error(`README.md lacks the ${START} … ${END} markers`)
  const table = renderTable(await readInputChecks())
  await writeFile(README, `${readme.slice(0, start + START.length)}\n\n${table}\n\n${readme.slice(end)}`)
}
