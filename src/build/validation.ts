import { readdir } from 'node:fs/promises'
import path from 'node:path'
import type { Chart } from '../charts/chart.js'
import { HelmError, transcript, type Helm } from '../helm/helm.js'
import type { Inputs } from '../inputs/inputs.js'
import type { Log } from '../log-group.js'
import { show } from '../text.js'
import { failedTemplate, renderedDocuments, renderedProblems } from './rendered-checks.js'

export type ValidationOptions = Pick<Inputs, 'lintStrict' | 'kubeVersion'>

/**
 * What `helm template` renders as: the release named after the chart (as the install line of the summary
 * names it) in namespace `default`, the same on every run, so a resource without a namespace is in `default`.
 */
export const RELEASE_NAMESPACE = 'default'

/** chart-testing's convention: the chart's `ci/*-values.yaml`, by name, relative to the chart directory. */
export async function ciValuesFiles(chartDir: string): Promise<string[]> {
  const entries = await readdir(path.join(chartDir, 'ci'), { withFileTypes: true }).catch((error: unknown) => {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return []
    throw error
  })
  return entries
    .filter(entry => (entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('-values.yaml'))
    .map(entry => `ci/${entry.name}`)
    .sort()
}

/**
 * Whether helm can take the file as `--values`: helm reads the flag as a line of CSV, so a comma, a quote or
 * a line break would cut the name into other paths (or URLs) than the file's.
 */
export function valuesNameProblem(file: string): string | undefined {
  if (!/[,"\r\n]/.test(file)) return undefined
  return `${show(file)} cannot be given to helm: helm splits --values at commas, quotes and line breaks. Rename the file.`
}

/**
 * Whether the chart is rendered: a library chart renders nothing; any other is rendered when it has ci values
 * files or a Kubernetes version is asked for. Each render is a helm process of its own (tens of milliseconds of
 * CPU), while `helm lint`, which already renders the defaults and fails on what does not render, takes a whole
 * lane at once: a chart without either is left to that lint.
 */
export function rendersChart(library: boolean, ciFiles: string[], kubeVersion: string): boolean {
  return !library && (ciFiles.length > 0 || kubeVersion !== '')
}

/** `ci/x-values.yaml`, or the defaults, as a failure names them. */
const valuesLabel = (file: string | undefined) => (file === undefined ? "the chart's default values" : show(file))

/** helm's failure, named by the values file and the template helm names in it. */
function helmFailure(error: unknown, chartName: string, file: string | undefined): string {
  if (!(error instanceof HelmError)) throw error
  const template = failedTemplate(error.message, chartName)
  return `With ${valuesLabel(file)}${template ? ` (template ${show(template)})` : ''}: ${error.message}`
}

/** Lint (for a ci values file; the lane lints the defaults) and render with one values file, or the defaults. */
async function validateWith(
  helm: Helm,
  chart: Chart,
  file: string | undefined,
  options: ValidationOptions,
  render: boolean,
  log: Log
): Promise<string[]> {
  const values = {
    valuesFiles: file === undefined ? [] : [path.join(chart.dir, file)],
    kubeVersion: options.kubeVersion
  }
  if (file !== undefined) {
    const nameProblem = valuesNameProblem(file)
    if (nameProblem) return [nameProblem]
    try {
      log(transcript(await helm.lint([chart.dir], options.lintStrict, values)))
    } catch (error) {
      return [helmFailure(error, chart.meta.name, file)]
    }
  }
  if (!render) return []
  let output: string
  try {
    const result = await helm.template(chart.dir, chart.meta.name, RELEASE_NAMESPACE, values)
    output = result.stdout
    log([`$ ${result.command}`, result.stderr.trimEnd()].filter(Boolean).join('\n'))
  } catch (error) {
    return [helmFailure(error, chart.meta.name, file)]
  }
  const documents = renderedDocuments(output, chart.meta.name)
  const problems = renderedProblems(documents, RELEASE_NAMESPACE)
  log(`${documents.length} document(s) rendered and checked, ${problems.length} problem(s).`)
  return problems.map(problem => `With ${valuesLabel(file)}: ${problem}`)
}

/**
 * The checks of a chart beyond the lane's `helm lint` of its defaults: `helm lint` with each of its ci values
 * files, and `helm template` with the defaults and with each of them (see rendersChart), whose documents must
 * be what a cluster takes (renderedProblems). One helm process at a time. Fails with every problem of every
 * values file, each naming the file and the template.
 */
export async function validateChart(helm: Helm, chart: Chart, options: ValidationOptions, log: Log): Promise<void> {
  const ciFiles = await ciValuesFiles(chart.dir)
  const render = rendersChart(chart.meta.library, ciFiles, options.kubeVersion)
  const problems: string[] = []
  for (const file of [...(render ? [undefined] : []), ...ciFiles])
    problems.push(...(await validateWith(helm, chart, file, options, render, log)))
  if (problems.length) throw new Error(`Validation failed:\n${problems.join('\n')}`)
}
