import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { failedTemplate, renderedDocuments, renderedProblems } from '../../src/build/rendered-checks.js'

// What Helm 4.1.4 renders of the charts in capture.js, which writes these files.
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__', 'rendered')
const rendered = (name: string) => readFileSync(path.join(fixtures, `${name}.yaml`), 'utf8')
const problemsOf = (name: string) => renderedProblems(renderedDocuments(rendered(name), 'app'), 'default')

const TWICE = '; a release holds each object once, so the second would fail or overwrite the first. Rename one of them.'
const SUBDOMAIN =
  "is not a DNS-1123 subdomain: at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit."

describe('renderedDocuments', () => {
  test('names each document by its template, relative to the chart; a comment-only document is empty', () => {
    expect(
      renderedDocuments(rendered('fine'), 'app').map(({ template, content }) => [template, content === null])
    ).toEqual([
      ['templates/secret.yaml', false],
      ['templates/configmap.yaml', false],
      ['templates/other-namespace.yaml', false],
      ['templates/rbac.yaml', false],
      ['templates/service.yaml', false],
      ['templates/generated.yaml', false],
      ['templates/generated.yaml', false],
      ['templates/empty.yaml', true],
      ['templates/list.yaml', false],
      ['templates/hooks.yaml', false],
      ['templates/hooks.yaml', false],
      ['templates/tests/test-connection.yaml', false]
    ])
  })

  test.each([
    ['a document that does not parse', '---\n# Source: app/templates/a.yaml\nkind: [\n', 'templates/a.yaml'],
    ['no # Source: line', 'kind: [\n', '(no # Source: line)']
  ])('%s is kept with its error', (_case, output, template) => {
    const [document] = renderedDocuments(output, 'app')
    expect(document).toMatchObject({ template, error: expect.stringContaining('Flow sequence') })
  })
})

describe('renderedProblems', () => {
  test.each([
    [
      'a chart a cluster takes: hooks and tests reusing a name, generateName, an RBAC name with a colon, another namespace, a List, an empty document',
      'fine',
      []
    ],
    [
      'the same object twice: across templates (a namespace left out is the release’s), in one template, across versions of a group, from a List’s items, a ClusterRole with and without a namespace',
      'duplicates',
      [
        `"templates/a.yaml" and "templates/b.yaml" both render "ConfigMap/default/app"${TWICE}`,
        `"templates/f.yaml" renders "ClusterRole/reader" twice${TWICE}`,
        `"templates/c.yaml" renders "Deployment/default/web" twice${TWICE}`,
        `"templates/d.yaml" renders "Deployment/default/other" twice${TWICE}`,
        `"templates/a.yaml" and "templates/e.yaml" both render "ConfigMap/default/app"${TWICE}`
      ]
    ],
    [
      'documents without apiVersion or kind, a List item among them',
      'shapes',
      [
        '"templates/no-api-version.yaml" renders a document without apiVersion; Kubernetes cannot apply it.',
        '"templates/neither.yaml" renders a document without apiVersion or kind; Kubernetes cannot apply it.',
        '"templates/no-kind.yaml" renders a document without kind; Kubernetes cannot apply it.',
        '"templates/list-item.yaml" renders a document without apiVersion or kind (item 0 of its ConfigMapList); Kubernetes cannot apply it.'
      ]
    ],
    [
      'names the kind does not allow; dots are fine in a ConfigMap',
      'names',
      [
        `"templates/long.yaml" renders "ConfigMap/default/${'a'.repeat(42)}… (272 characters)", whose metadata.name ${SUBDOMAIN}`,
        '"templates/missing.yaml" renders "ConfigMap/default/(no name)", whose metadata.name is missing.',
        '"templates/number.yaml" renders "ConfigMap/default/123", whose metadata.name is no string (YAML reads it as another type); quote it in the template.',
        `"templates/underscore.yaml" renders "ConfigMap/default/Bad_Name", whose metadata.name ${SUBDOMAIN}`,
        '"templates/yaml11.yaml" renders "ConfigMap/default/true", whose metadata.name is no string (YAML reads it as another type); quote it in the template.',
        `"templates/role-slash.yaml" renders "Role/default/a/b", whose metadata.name is not a path segment: not '.' or '..', without '/' or '%'.`,
        `"templates/service-digit.yaml" renders "Service/default/1app", whose metadata.name is not a DNS-1035 label: at most 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit.`,
        `"templates/service-dot.yaml" renders "Service/default/app.web", whose metadata.name is not a DNS-1035 label: at most 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit.`
      ]
    ]
  ])('%s', (_case, fixture, expected) => {
    expect(problemsOf(fixture)).toEqual(expected)
  })

  test.each([
    ['a name at the limit of 253', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, 0],
    ['a name one over', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`, 1],
    ['a name ending in a dash', 'app-', 1],
    ['a name starting with a dot', '.app', 1],
    ['an empty label between dots', 'app..web', 1]
  ])('%s', (_case, name, count) => {
    const documents = [
      { template: 'templates/a.yaml', content: { apiVersion: 'v1', kind: 'Secret', metadata: { name } } }
    ]
    expect(renderedProblems(documents, 'default')).toHaveLength(count)
  })

  test('a resource in the release’s namespace is the one without a namespace; the release’s namespace names it', () => {
    const secret = (namespace?: string) => ({
      template: 'templates/a.yaml',
      content: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app', namespace } }
    })
    expect(renderedProblems([secret(), secret('prod')], 'prod')).toEqual([
      `"templates/a.yaml" renders "Secret/prod/app" twice${TWICE}`
    ])
    expect(renderedProblems([secret(), secret('prod')], 'default')).toEqual([])
  })

  test('a document that is no YAML is named by its template, with the error', () => {
    expect(renderedProblems([{ template: 'templates/a.yaml', content: undefined, error: 'bad' }], 'default')).toEqual([
      '"templates/a.yaml" renders a document that is no YAML: "bad".'
    ])
  })

  test('untrusted names stay on one line, quoted', () => {
    const template = 'templates/a\n::error::x.yaml'
    const content = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'A\n::warning::y' } }
    const [problem] = renderedProblems([{ template, content }], 'default')
    expect(problem).not.toContain('\n')
    expect(problem).toContain('"templates/a\\n::error::x.yaml" renders "Secret/default/A\\n::warning::y"')
  })
})

interface CapturedError {
  helm: string
  case: string
  command: string
  exitCode: number
  output: string
}

describe('failedTemplate', () => {
  const errors = JSON.parse(readFileSync(path.join(fixtures, 'errors.json'), 'utf8')) as CapturedError[]
  const expected: Record<string, Record<string, string | undefined>> = {
    // helm lint lets `fail` through (it logs the message); only helm template fails on it.
    'execution error': { lint: undefined, template: 'templates/cm.yaml' },
    'parse error': { lint: 'templates/cm.yaml', template: 'templates/cm.yaml' },
    'nil pointer': { lint: 'templates/cm.yaml', template: 'templates/cm.yaml' },
    'not YAML': { lint: 'templates/cm.yaml', template: 'templates/cm.yaml' },
    // helm lint stops at the subchart missing from Chart.yaml; helm template names the subchart's template.
    'in a subchart': { lint: undefined, template: 'charts/sub/templates/cm.yaml' }
  }

  test.each(errors)('Helm $helm, $case, helm $command', error => {
    expect(error.exitCode).toBe(error.case === 'execution error' && error.command === 'lint' ? 0 : 1)
    expect(failedTemplate(error.output, 'app')).toBe(expected[error.case][error.command])
  })
})
