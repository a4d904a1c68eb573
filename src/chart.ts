import { createHash } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { isMap, isScalar, isSeq, Scalar, type Document } from 'yaml'
import { show } from './format.js'
import { applyEdits, parseMapping, renderScalar, replaceScalar, stringAt, verifyWritten, type Edit } from './yaml.js'

export interface Dependency {
  name: string
  version: string
  repository: string
}

export interface ChartMeta {
  name: string
  version: string
  appVersion: string
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

export interface ChartVersions {
  version: string
  appVersion: string
  /** New version constraints of dependencies, by dependency name: in-repo charts released in lockstep. */
  dependencies?: Record<string, string>
}

// An OCI repository path component: helm pushes the chart to <namespace>/<name>, so the name must be one.
const CHART_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/

const CHART_SHAPE = 'apiVersion, name, version, …'

const parseChartDocument = (source: string, file: string): Document.Parsed => parseMapping(source, file, CHART_SHAPE)

const stringField = (doc: Document.Parsed, key: string): string => stringAt(doc, [key])

function parseDependencies(doc: Document.Parsed, file: string): Dependency[] {
  const node = doc.get('dependencies', true)
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return []
  if (!isSeq(node)) throw new Error(`${file}: dependencies must be a list.`)
  return node.items.map((item, index) => {
    if (!isMap(item)) throw new Error(`${file}: dependencies[${index}] must be a mapping with name and version.`)
    const field = (key: string): string => {
      const value: unknown = item.get(key)
      return value === undefined || value === null ? '' : String(value)
    }
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
  if (!CHART_NAME.test(name)) {
    throw new Error(
      `${file} has name ${show(name)}, which cannot be an OCI repository name. Use lowercase letters and ` +
        `digits, with single '-', '_' or '.' between them (e.g. llm-proxy).`
    )
  }
  return {
    name,
    version: stringField(doc, 'version'),
    appVersion: stringField(doc, 'appVersion'),
    dependencies: parseDependencies(doc, file)
  }
}

/**
 * Sets version and appVersion where they stand (see yaml.ts), adding appVersion after version when missing,
 * and the version constraints of the given dependencies.
 */
export function setChartVersions(source: string, file: string, versions: ChartVersions): string {
  const doc = parseChartDocument(source, file)
  const map = doc.contents
  if (!isMap(map) || map.flow) throw new Error(`${file} must be a block mapping (one key per line).`)

  const valueNode = (key: string): Scalar | undefined => {
    const pair = map.items.find(item => isScalar(item.key) && item.key.value === key)
    if (!pair) return undefined
    if (!isScalar(pair.value) || !pair.value.range || pair.value.value === null) {
      throw new Error(`${file}: ${key} must be a single value (e.g. ${key}: 1.2.3).`)
    }
    return pair.value
  }

  const version = valueNode('version')
  const appVersion = valueNode('appVersion')
  const edits: Edit[] = []
  const lineEnd = (offset: number): number => {
    const newline = source.indexOf('\n', offset)
    return newline === -1 ? source.length : newline + 1
  }
  const append = (offset: number, key: string, value: string): void => {
    const separator = offset === source.length && !source.endsWith('\n') ? '\n' : ''
    edits.push({ start: offset, end: offset, text: `${separator}${key}: ${renderScalar(value, Scalar.PLAIN)}\n` })
  }

  if (version) edits.push(replaceScalar(source, version, versions.version))
  else append(source.length, 'version', versions.version)
  if (appVersion) edits.push(replaceScalar(source, appVersion, versions.appVersion))
  else append(version ? lineEnd(version.range![1]) : source.length, 'appVersion', versions.appVersion)

  const dependencies = doc.get('dependencies', true)
  const moved = Object.entries(versions.dependencies ?? {}).map(([name, constraint]) => {
    const index = isSeq(dependencies)
      ? dependencies.items.findIndex(item => isMap(item) && item.get('name') === name)
      : -1
    const node = index === -1 ? undefined : doc.getIn(['dependencies', index, 'version'], true)
    if (!isScalar(node) || !node.range) {
      throw new Error(`${file}: dependency ${show(name)} needs a version to set it to ${constraint}.`)
    }
    edits.push(replaceScalar(source, node, constraint))
    return { path: ['dependencies', index, 'version'], value: constraint }
  })

  const result = applyEdits(source, edits)
  verifyWritten(result, file, CHART_SHAPE, [
    { path: ['version'], value: versions.version },
    { path: ['appVersion'], value: versions.appVersion },
    ...moved
  ])
  return result
}

export async function readChart(dir: string, input: string): Promise<Chart> {
  const file = path.join(dir, 'Chart.yaml')
  let source: string
  try {
    source = await readFile(file, 'utf8')
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

/** Replaces a file through a rename, so a failure midway leaves the old content rather than a torn file. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
  await writeFile(temporary, text)
  await rename(temporary, file)
}

export interface Repository {
  name: string
  url: string
}

/**
 * The http(s) repositories the dependencies name, each under a name derived from its URL, so that
 * `helm dependency build` finds them without a `helm repo add` step of the user's. oci:// and file://
 * dependencies need no repository entry.
 */
export function repositoriesToAdd(dependencies: Dependency[]): Repository[] {
  const urls = new Set(dependencies.map(dep => dep.repository).filter(url => /^https?:\/\//i.test(url)))
  return [...urls].map(url => ({
    name: `helm-release-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`,
    url
  }))
}
