import { isDeepStrictEqual } from 'node:util'
import { isMap, isScalar, isSeq, Scalar } from 'yaml'
import { CHART_SHAPE, parseChartDocument } from '../charts/chart.js'
import { addEntry, applyEdits, renderScalar, replaceScalar, verifyWritten, type Edit } from './yaml-splice.js'
import { show } from '../text.js'

export interface ChartVersions {
  version: string
  appVersion: string
  /** New version constraints of dependencies, by dependency name: in-repo charts released in lockstep. */
  dependencies?: Record<string, string>
}

/**
 * Sets version and appVersion where they stand (see yaml-splice.ts), adding appVersion after version when missing,
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

/** The manifest annotation by which ghcr.io links a package to the repository it came from. */
export const SOURCE_ANNOTATION = 'org.opencontainers.image.source'

/**
 * Chart.yaml with annotation org.opencontainers.image.source set to `url`, or undefined when the chart names
 * its source itself. helm (3.18 and 4.x alike, generateOCIAnnotations in pkg/registry) sets that annotation of
 * the pushed manifest from the first entry of `sources`, then copies every Chart.yaml annotation over the
 * ones it made: a chart with either already says where it comes from, and keeps it.
 */
export function linkSource(source: string, file: string, url: string): string | undefined {
  const sources = parseChartDocument(source, file).get('sources', true)
  if (isSeq(sources) && sources.items.length > 0) return undefined
  const { text, added } = addAnnotations(source, file, [[SOURCE_ANNOTATION, url]], 'or set link-source: false')
  return added.length ? text : undefined
}

/**
 * Chart.yaml with the given annotations added, each on lines of its own (see addEntry), and the keys added:
 * an annotation the chart sets itself is the chart's word and stays as it is. The result must read back as
 * the file did plus the annotations, or nothing is added. `fix` is the way out the error offers besides
 * adding them by hand.
 */
export function addAnnotations(
  source: string,
  file: string,
  annotations: [string, string][],
  fix: string
): { text: string; added: string[] } {
  const doc = parseChartDocument(source, file)
  if (!isMap(doc.contents) || doc.contents.flow) throw new Error(`${file} must be a block mapping (one key per line).`)
  const own = doc.get('annotations', true)
  const adding = annotations.filter(([key]) => !(isMap(own) && own.has(key)))
  // One at a time, each on the text the one before made, since the first may create the annotations mapping;
  // last first, as each goes first in the mapping, so that they read in the order given.
  let text = source
  for (const [key, value] of [...adding].reverse()) {
    text = applyEdits(text, addEntry(text, parseChartDocument(text, file), file, ['annotations', key], value))
  }
  // Read back whole: the splice must add the annotations and change nothing else the file says.
  const before = doc.toJS() as Record<string, unknown>
  const expected = { ...before, annotations: { ...(before.annotations ?? {}), ...Object.fromEntries(adding) } }
  if (adding.length && !isDeepStrictEqual(parseChartDocument(text, file).toJS(), expected)) {
    const keys = adding.map(([key]) => key).join(', ')
    throw new Error(
      `${file}: adding annotation ${keys} did not read back as written; the file is left unchanged. ` +
        `Add ${keys} under annotations yourself, ${fix}.`
    )
  }
  return { text, added: adding.map(([key]) => key) }
}
