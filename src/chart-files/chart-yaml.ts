import { isMap, isScalar, isSeq, Scalar } from 'yaml'
import { CHART_SHAPE, parseChartDocument } from '../charts/chart.js'
import { applyEdits, renderScalar, replaceScalar, verifyWritten, type Edit } from './yaml-splice.js'
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
