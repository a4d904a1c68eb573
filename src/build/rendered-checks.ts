import { parseAllDocuments } from 'yaml'
import { BOUNDS, lineOf, yamlTooDeep } from '../bounds.js'
import { errorMessage, show } from '../text.js'

/** One document of `helm template`'s output, by the template it came from (relative to the chart directory). */
export interface RenderedDocument {
  template: string
  content: unknown
  /** Why the document could not be read as YAML. */
  error?: string
  /** The line of helm's output where the document nests deeper than the action reads. */
  tooDeep?: number
}

/** The line helm writes after each `---`, naming the template as `<chart>/templates/…`. */
const SOURCE = /^# Source: (.*)$/m
/** A template's path in helm's error messages: `c/templates/a.yaml:3:5`, `(c/templates/a.yaml:1:4)`, `[ERROR] templates/a.yaml:`. */
const TEMPLATE_IN_ERROR = /(?:[^\s():"'`]+\/)?templates\/[^\s():"'`]+/

const withoutChart = (template: string, chartName: string) =>
  template.startsWith(`${chartName}/`) ? template.slice(chartName.length + 1) : template

/** The template helm names in a failure of lint or template, relative to the chart directory. */
export function failedTemplate(helmOutput: string, chartName: string): string | undefined {
  const found = TEMPLATE_IN_ERROR.exec(helmOutput)?.[0]
  return found && withoutChart(found, chartName)
}

/**
 * `helm template` output cut into its documents. YAML 1.1, as Kubernetes reads manifests (sigs.k8s.io/yaml):
 * `name: on` is no string there. Repeated keys are let through, as helm lets them through.
 */
export function renderedDocuments(output: string, chartName: string): RenderedDocument[] {
  // Refused before the document API recurses into it: the template that made it, by the last `# Source:` before.
  const deep = yamlTooDeep(output)
  if (deep !== undefined) {
    const sources = [...output.slice(0, deep).matchAll(new RegExp(SOURCE.source, 'gm'))]
    const source = sources.at(-1)?.[1]
    const template = source === undefined ? '(no # Source: line)' : withoutChart(source, chartName)
    return [{ template, content: undefined, tooDeep: lineOf(output, deep) }]
  }
  return parseAllDocuments(output, { version: '1.1', uniqueKeys: false }).map(doc => {
    const source = SOURCE.exec(output.slice(doc.range[0], doc.range[2]))?.[1]
    const template = source === undefined ? '(no # Source: line)' : withoutChart(source, chartName)
    if (doc.errors.length) return { template, content: undefined, error: doc.errors[0].message }
    try {
      return { template, content: doc.toJS() }
    } catch (error) {
      return { template, content: undefined, error: errorMessage(error) }
    }
  })
}

type Fields = Record<string, unknown>
const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const fieldsAt = (value: Fields, key: string): Fields => (isFields(value[key]) ? value[key] : {})

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

interface NameRule {
  valid: (name: string) => boolean
  rule: string
}

const SUBDOMAIN: NameRule = {
  valid: name => name.length <= 253 && DNS_SUBDOMAIN.test(name),
  rule: "a DNS-1123 subdomain: at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
}
const LABEL: NameRule = {
  valid: name => name.length <= 63 && DNS_LABEL.test(name),
  rule: "a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit"
}
/** RBAC objects are named like path segments, so `system:metrics-reader` is fine there. */
const PATH_SEGMENT: NameRule = {
  valid: name => name !== '.' && name !== '..' && !/[/%]/.test(name),
  rule: "a path segment: not '.' or '..', without '/' or '%'"
}
/** The name rules Kubernetes applies beyond the subdomain most kinds (and custom resources) take. */
const NAME_RULES: Record<string, NameRule> = {
  Service: {
    valid: name => LABEL.valid(name) && /^[a-z]/.test(name),
    rule: "a DNS-1035 label: at most 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit"
  },
  Namespace: LABEL,
  Role: PATH_SEGMENT,
  ClusterRole: PATH_SEGMENT,
  RoleBinding: PATH_SEGMENT,
  ClusterRoleBinding: PATH_SEGMENT
}

/** Built-in kinds that live outside namespaces: a namespace set on one of them means nothing. */
const CLUSTER_SCOPED = new Set([
  'APIService',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'PersistentVolume',
  'PriorityClass',
  'RuntimeClass',
  'StorageClass',
  'ValidatingWebhookConfiguration'
])

/** `apps/v1` → `apps`; `v1` → the core group. apps/v1 and apps/v1beta2 serve the same objects. */
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '')

interface Resource {
  template: string
  /** `kind/namespace/name`, or `kind/name` outside namespaces: how the error names it. */
  label: string
  /** Group, kind, namespace and name: what makes two resources one object. */
  key: string
  hook: boolean
}

/**
 * What a cluster would refuse of the rendered documents although `helm template` let it through: a document
 * without apiVersion or kind, a name the kind does not allow (none at all, unless `generateName` asks the
 * cluster for one), and the same object twice. A resource without a namespace is in the release's
 * (`namespace`). The items of a `kind: List` (or `…List`) are resources of their own, as kubectl and helm
 * send them; the list itself needs no name. Hooks (`helm.sh/hook`, tests included) are left out of the
 * duplicate check: helm creates and deletes them on its own schedule (`hook-delete-policy`), so a hook may
 * reuse a name. Each problem is one line naming the template(s) and the resource; empty documents are skipped.
 */
export function renderedProblems(documents: RenderedDocument[], namespace: string): string[] {
  const problems: string[] = []
  const resources: Resource[] = []
  const check = (template: string, content: unknown, where: string): void => {
    if (content === null || content === undefined) return
    const fields = isFields(content) ? content : {}
    const { apiVersion, kind } = fields
    const missing = [
      typeof apiVersion === 'string' && apiVersion ? '' : 'apiVersion',
      typeof kind === 'string' && kind ? '' : 'kind'
    ].filter(Boolean)
    if (!isFields(content) || missing.length) {
      const what = isFields(content) ? `without ${missing.join(' or ')}` : 'that is no mapping'
      problems.push(`${show(template)} renders a document ${what}${where}; Kubernetes cannot apply it.`)
      return
    }
    const kindText = kind as string
    if (kindText.endsWith('List') && Array.isArray(fields.items)) {
      fields.items.forEach((item, index) => check(template, item, ` (item ${index} of its ${kindText})`))
      return
    }
    const metadata = fieldsAt(fields, 'metadata')
    const { name, generateName } = metadata
    const clusterScoped = CLUSTER_SCOPED.has(kindText)
    const inNamespace = typeof metadata.namespace === 'string' && metadata.namespace ? metadata.namespace : namespace
    const label = (shown: string) => [kindText, ...(clusterScoped ? [] : [inNamespace]), shown].join('/')
    if ((name === undefined || name === null || name === '') && typeof generateName === 'string' && generateName) return
    const rule = NAME_RULES[kindText] ?? SUBDOMAIN
    if (typeof name !== 'string' || !rule.valid(name)) {
      const absent = name === undefined || name === null || name === ''
      const shown = typeof name === 'string' && !absent ? name : absent ? '(no name)' : JSON.stringify(name)
      const problem = absent
        ? 'is missing'
        : typeof name === 'string'
          ? `is not ${rule.rule}`
          : 'is no string (YAML reads it as another type); quote it in the template'
      problems.push(`${show(template)} renders ${show(label(shown))}${where}, whose metadata.name ${problem}.`)
      return
    }
    const annotations = fieldsAt(metadata, 'annotations')
    resources.push({
      template,
      label: label(name),
      key: [groupOf(apiVersion as string), kindText, clusterScoped ? '' : inNamespace, name].join('\0'),
      hook: typeof annotations['helm.sh/hook'] === 'string' && annotations['helm.sh/hook'] !== ''
    })
  }
  for (const document of documents) {
    if (document.tooDeep !== undefined)
      problems.push(
        `${show(document.template)} renders a document nested deeper than ${BOUNDS.depth} levels (line ` +
          `${document.tooDeep} of helm template's output); the action reads no deeper, and no cluster needs it.`
      )
    else if (document.error)
      problems.push(`${show(document.template)} renders a document that is no YAML: ${show(document.error)}.`)
    else check(document.template, document.content, '')
  }
  const first = new Map<string, Resource>()
  for (const resource of resources.filter(({ hook }) => !hook)) {
    const earlier = first.get(resource.key)
    if (!earlier) first.set(resource.key, resource)
    else
      problems.push(
        (earlier.template === resource.template
          ? `${show(resource.template)} renders ${show(resource.label)} twice`
          : `${show(earlier.template)} and ${show(resource.template)} both render ${show(resource.label)}`) +
          '; a release holds each object once, so the second would fail or overwrite the first. Rename one of them.'
      )
  }
  return problems
}
