// The tables that must not drift from their sources: README.md's inputs and outputs, from action.yml (whose
// descriptions are the row text), and docs/input-checks.md's input checks, from the fixture the bad-input
// tests walk. `make readme` writes them between their marker comments and runs prettier over each file;
// `--check` (part of `make lint`) writes nothing and fails, naming the file, when either would change.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'
import { parse } from 'yaml'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ACTION = path.join(ROOT, 'action.yml')
const README = path.join(ROOT, 'README.md')
export const INPUT_CHECKS = path.join(ROOT, '__tests__', '__fixtures__', 'input-checks.json')
export const INPUT_CHECKS_DOC = path.join(ROOT, 'docs', 'input-checks.md')

export async function readInputChecks() {
  return JSON.parse(await readFile(INPUT_CHECKS, 'utf8'))
}

/**
 * The cells of one row: the input, the refused value (as a JSON string, with the other inputs the check needs;
 * a row that plants files in the chart says in words what they are), the message ("…" stands for a path of
 * the run).
 */
export function inputCheckCells(check) {
  const others = Object.entries(check.with ?? {}).map(([name, value]) => ` with \`${name}: ${value}\``)
  const value = check.files ? check.shown : `\`${JSON.stringify(check.shown ?? check.value)}\``
  return [`\`${check.input}\``, `${value}${others.join('')}`, check.message]
}

const markers = name => [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`]

function section(text, name, file) {
  const [start, end] = markers(name)
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from === -1 || to === -1) throw new Error(`${path.relative(ROOT, file)} lacks the ${start} … ${end} markers`)
  return { from: from + start.length, to }
}

/** The cell texts of docs/input-checks.md's table, header and rule left out. */
export function inputChecksTableCells(markdown) {
  const { from, to } = section(markdown, 'input-checks', INPUT_CHECKS_DOC)
  return markdown
    .slice(from, to)
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

function table(header, rows) {
  const row = cells => `| ${cells.join(' | ')} |`
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n')
}

function inputChecksTable(checks) {
  // The message's '_' and '*' escaped, or Markdown (and prettier) would read them as emphasis.
  const escaped = check =>
    inputCheckCells(check).map((cell, index) => (index === 2 ? cell.replace(/[_*]/g, '\\$&') : cell))
  return table(['input', 'refused value', 'message'], checks.map(escaped))
}

// Folded YAML leaves single spaces; a '|' would end the cell.
const cell = text => String(text).replace(/\s+/g, ' ').trim().replaceAll('|', '\\|')

function inputsTable(action) {
  return table(
    ['input', 'default', 'description'],
    Object.entries(action.inputs).map(([name, spec]) => {
      const given = String(spec.default ?? '')
      // As written in action.yml, so that `${{ github.ref }}` reads as the expression it is.
      return [`\`${name}\``, given === '' ? "`''`" : `\`${given}\``, cell(spec.description)]
    })
  )
}

function outputsTable(action) {
  return table(
    ['output', 'description'],
    Object.entries(action.outputs).map(([name, spec]) => [`\`${name}\``, cell(spec.description)])
  )
}

function replaceSection(text, name, file, content) {
  const { from, to } = section(text, name, file)
  return `${text.slice(0, from)}\n\n${content}\n\n${text.slice(to)}`
}

/** Every generated file as `make readme` writes it, prettier-formatted as `prettier --check` expects. */
async function render() {
  const action = parse(await readFile(ACTION, 'utf8'))
  const checks = await readInputChecks()
  const files = [
    [
      README,
      text =>
        replaceSection(
          replaceSection(text, 'inputs', README, inputsTable(action)),
          'outputs',
          README,
          outputsTable(action)
        )
    ],
    [INPUT_CHECKS_DOC, text => replaceSection(text, 'input-checks', INPUT_CHECKS_DOC, inputChecksTable(checks))]
  ]
  return Promise.all(
    files.map(async ([file, fill]) => {
      const current = await readFile(file, 'utf8')
      const options = { ...(await prettier.resolveConfig(file)), filepath: file }
      return { file, current, wanted: await prettier.format(fill(current), options) }
    })
  )
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check')
  for (const { file, current, wanted } of await render()) {
    if (current === wanted) continue
    if (check) {
      console.error(`${path.relative(ROOT, file)} is not what \`make readme\` writes: run make readme and commit it.`)
      process.exitCode = 1
    } else {
      await writeFile(file, wanted)
      console.log(`wrote ${path.relative(ROOT, file)}`)
    }
  }
}
