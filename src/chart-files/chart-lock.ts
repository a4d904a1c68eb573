import { createHash } from 'node:crypto'
import { isMap, isScalar, isSeq, parseDocument } from 'yaml'
import { checkYamlDepth } from '../bounds.js'
import { show, textOf } from '../text.js'
import { applyEdits, replaceScalar, type Edit } from './yaml-splice.js'

type Requirement = Record<string, unknown>

// Go's encoding/json, which helm's digest is taken over: HTML-significant characters are escaped.
function goString(text: string): string {
  return JSON.stringify(text)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029')
}

function goValue(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return `[${value.map(goValue).join(',')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${goString(key)}:${goValue(item)}`).join(',')}}`
  }
  return typeof value === 'string' ? goString(value) : JSON.stringify(value)
}

/** helm's chart.Dependency as json.Marshal writes it: struct field order, `omitempty` fields left out when empty. */
function goDependency(requirement: Requirement): string {
  const text = (key: string): string => textOf(requirement[key])
  const fields = [`"name":${goString(text('name'))}`]
  if (text('version')) fields.push(`"version":${goString(text('version'))}`)
  fields.push(`"repository":${goString(text('repository'))}`)
  if (text('condition')) fields.push(`"condition":${goString(text('condition'))}`)
  const tags = requirement.tags
  if (Array.isArray(tags) && tags.length) fields.push(`"tags":${goValue(tags)}`)
  if (requirement.enabled === true) fields.push('"enabled":true')
  const importValues = requirement['import-values']
  if (Array.isArray(importValues) && importValues.length) fields.push(`"import-values":${goValue(importValues)}`)
  if (text('alias')) fields.push(`"alias":${goString(text('alias'))}`)
  return `{${fields.join(',')}}`
}

const goList = (items: Requirement[] | undefined): string => (items ? `[${items.map(goDependency).join(',')}]` : 'null')

/** The digest helm keeps in Chart.lock: sha256 over the JSON of [Chart.yaml dependencies, locked dependencies]. */
export function lockDigest(requirements: Requirement[] | undefined, locked: Requirement[] | undefined): string {
  const data = `[${goList(requirements)},${goList(locked)}]`
  return `sha256:${createHash('sha256').update(data).digest('hex')}`
}

const requirementsOf = (chartSource: string): Requirement[] | undefined =>
  (parseDocument(chartSource).toJS() as { dependencies?: Requirement[] } | null)?.dependencies

/**
 * Moves the locked versions of the given dependencies and signs the lock anew, so that `helm dependency build`
 * accepts a committed Chart.lock after a lockstep release moved in-repo charts' versions. Returns undefined when
 * the digest computed for the files as they were does not match the lock's own: then this model of helm's hash
 * does not cover the chart (a repository alias, say) or the lock was stale already, and the caller lets helm
 * regenerate the lock instead.
 */
export function updateLock(
  lockSource: string,
  lockFile: string,
  chartBefore: string,
  chartAfter: string,
  moved: Record<string, string>
): string | undefined {
  checkYamlDepth(lockSource, lockFile)
  const doc = parseDocument(lockSource)
  if (doc.errors.length) throw new Error(`${lockFile} is not valid YAML: ${doc.errors[0].message}`)
  const digestNode = doc.get('digest', true)
  const dependencies = doc.get('dependencies', true)
  if (!isScalar(digestNode) || !isSeq(dependencies)) return undefined
  const locked = (doc.toJS() as { dependencies: Requirement[] }).dependencies
  if (lockDigest(requirementsOf(chartBefore), locked) !== digestNode.value) return undefined

  const edits: Edit[] = []
  const relocked = locked.map(entry => ({ ...entry }))
  dependencies.items.forEach((item, index) => {
    const name = isMap(item) ? String(item.get('name')) : ''
    const version = isMap(item) ? item.get('version', true) : undefined
    if (!Object.hasOwn(moved, name)) return
    if (!isScalar(version)) throw new Error(`${lockFile}: dependency ${show(name)} has no version.`)
    edits.push(replaceScalar(lockSource, version, moved[name]))
    relocked[index].version = moved[name]
  })
  edits.push(replaceScalar(lockSource, digestNode, lockDigest(requirementsOf(chartAfter), relocked)))
  return applyEdits(lockSource, edits)
}
