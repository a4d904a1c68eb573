import path from 'node:path'
import { isMap, isScalar, isSeq, type Document } from 'yaml'
import { readChartText } from '../chart-files/read-text.js'
import { parseMapping, stringAt } from '../chart-files/yaml-splice.js'
import { PATH_COMPONENT } from '../registry/reference.js'
import { show, textOf } from '../text.js'

export interface Dependency {
  name: string
  version: string
  repository: string
}

export interface ChartMeta {
  name: string
  version: string
  appVersion: string
  /** `type: library`: helm lints and packages such a chart but renders nothing of it. */
  library: boolean
  dependencies: Dependency[]
}

export interface Chart {
  /** The directory as the inputs named it, relative to the workspace. */
  input: string
  dir: string
  file: string
  source: string
  meta: ChartMeta
}

export const CHART_SHAPE = 'apiVersion, name, version, …'

export const parseChartDocument = (source: string, file: string): Document.Parsed =>
  parseMapping(source, file, CHART_SHAPE)

const stringField = (doc: Document.Parsed, key: string): string => stringAt(doc, [key])

function parseDependencies(doc: Document.Parsed, file: string): Dependency[] {
  const node = doc.get('dependencies', true)
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return []
  if (!isSeq(node)) throw new Error(`${file}: dependencies must be a list.`)
  return node.items.map((item, index) => {
    if (!isMap(item)) throw new Error(`${file}: dependencies[${index}] must be a mapping with name and version.`)
    const field = (key: string): string => textOf(item.get(key))
    return { name: field('name'), version: field('version'), repository: field('repository') }
  })
}

/** Reads what the action needs from Chart.yaml text and refuses a chart that helm could not publish to OCI. */
export function parseChart(source: string, file: string): ChartMeta {
  const doc = parseChartDocument(source, file)
  const apiVersion = stringField(doc, 'apiVersion')
  if (apiVersion !== 'v2') {
    throw new Error(
      `${file} has apiVersion ${show(apiVersion)}; OCI registries take Helm 3 charts. Set apiVersion: v2 ` +
        '(and move requirements.yaml into Chart.yaml dependencies if the chart has one).'
    )
  }
  const name = stringField(doc, 'name')
  if (name === '') throw new Error(`${file} has no name. Add name: <chart-name> to it.`)
  // helm pushes the chart to <namespace>/<name>, so the name must be an OCI repository path component.
  if (!PATH_COMPONENT.test(name)) {
    throw new Error(
      `${file} has name ${show(name)}, which cannot be an OCI repository name. Use lowercase letters and ` +
        `digits, with single '-', '_' or '.' between them (e.g. llm-proxy).`
    )
  }
  return {
    name,
    version: stringField(doc, 'version'),
    appVersion: stringField(doc, 'appVersion'),
    library: stringField(doc, 'type') === 'library',
    dependencies: parseDependencies(doc, file)
  }
}

/** The dependencies a Chart.yaml lists, read leniently: a file:// dependency may be any chart helm loads. */
export async function readDependencies(file: string): Promise<Dependency[]> {
  return parseDependencies(parseChartDocument(await readChartText(file), file), file)
}

export async function readChart(dir: string, input: string): Promise<Chart> {
  const file = path.join(dir, 'Chart.yaml')
  let source: string
  try {
    source = await readChartText(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `No Chart.yaml in ${dir} (input chart: ${show(input)}). Point chart at the directory that holds Chart.yaml.`
      )
    }
    throw error
  }
  return { input, dir, file, source, meta: parseChart(source, file) }
}
