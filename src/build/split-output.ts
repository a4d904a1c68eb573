import type { HelmResult } from '../helm/helm.js'

/** A chart of a helm call over several: where helm reads it, and the package it writes for it. */
export interface ChartInCall {
  dir: string
  packagePath: string
}

/** Which chart each line is about, by index; undefined for a line about none or all of them. */
type Owners = (number | undefined)[]

const LINT_HEADER = '==> Linting '
/** helm lint's count at the end: printed on stdout when every chart passed, as the error on stderr otherwise. */
const LINT_COUNT = /^(Error: )?[0-9]+ chart\(s\) linted, [0-9]+ chart\(s\) failed$/

const lines = (text: string): string[] => (text ? text.replace(/\n$/, '').split('\n') : [])

/**
 * helm lint's stdout: one section per chart in the order given, from `==> Linting <dir>` as the directory was
 * passed, to the next section or the count that ends the output. A section ends with an empty line; its
 * messages may span lines, so only a header starts a new section.
 */
export function lintSections(text: string, dirs: string[]): Owners {
  let current: number | undefined
  return lines(text).map(line => {
    if (line.startsWith(LINT_HEADER)) {
      const index = dirs.indexOf(line.slice(LINT_HEADER.length))
      if (index >= 0) current = index
    } else if (LINT_COUNT.test(line)) {
      current = undefined
    }
    return current
  })
}

/** Where `mark` (a path) occurs in `line` as a whole path or the start of a longer one: `/a/api` is not in `/a/api-gateway`. */
function pathAt(line: string, mark: string): number {
  for (let at = line.indexOf(mark); at >= 0; at = line.indexOf(mark, at + 1)) {
    if (!/[A-Za-z0-9._-]/.test(line.charAt(at + mark.length))) return at
  }
  return -1
}

/**
 * For lines that name paths (helm package's `Successfully packaged chart and saved it to: <package>`, helm's
 * notes about a chart's symlinks on stderr): the chart whose directory or package the line names first, the
 * longer path winning at the same place (a chart directory inside another).
 */
export function mentions(text: string, charts: ChartInCall[]): Owners {
  return lines(text).map(line => {
    let owner: number | undefined
    let ownerAt = Infinity
    let ownerLength = 0
    charts.forEach((chart, index) => {
      for (const mark of [chart.dir, chart.packagePath]) {
        const at = pathAt(line, mark)
        if (at >= 0 && (at < ownerAt || (at === ownerAt && mark.length > ownerLength))) {
          owner = index
          ownerAt = at
          ownerLength = mark.length
        }
      }
    })
    return owner
  })
}

/** What chart `index` sees of `text`: its own lines and the ones about none, in helm's order. */
function view(text: string, owners: Owners, index: number): string {
  return lines(text)
    .filter((_, line) => owners[line] === undefined || owners[line] === index)
    .join('\n')
}

/** Each chart's transcript of one helm call over all of them: the command, then its part of helm's output. */
function transcripts(result: HelmResult, charts: ChartInCall[], stdoutOwners: Owners): string[] {
  const stderrOwners = mentions(result.stderr, charts)
  return charts.map((_, index) =>
    [`$ ${result.command}`, view(result.stdout, stdoutOwners, index), view(result.stderr, stderrOwners, index)]
      .map(text => text.trimEnd())
      .filter(Boolean)
      .join('\n')
  )
}

/** `helm lint <dirs…>` cut into each chart's part: its section, and the lines about all of them. */
export function lintTranscripts(result: HelmResult, charts: ChartInCall[]): string[] {
  return transcripts(
    result,
    charts,
    lintSections(
      result.stdout,
      charts.map(chart => chart.dir)
    )
  )
}

/** `helm package <dirs…>` cut into each chart's part: the line naming its package, and the lines about none. */
export function packageTranscripts(result: HelmResult, charts: ChartInCall[]): string[] {
  return transcripts(result, charts, mentions(result.stdout, charts))
}
