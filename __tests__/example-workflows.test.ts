// The example workflows use the action as action.yml defines it: actionlint (make lint) checks their syntax but not
// that an input they pass or an output they read exists, which a renamed input or output would break unnoticed.
import { describe, expect, test } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'

const ROOT = path.join(import.meta.dirname, '..')
const DIR = path.join(ROOT, 'examples', 'workflows')
const ACTION = 'sofatutor/helm-release-action@'

interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
}
interface Workflow {
  jobs: Record<string, { permissions?: Record<string, string>; steps?: Step[] }>
}

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}
const files = readdirSync(DIR).filter(file => file.endsWith('.yml'))
const read = (file: string) => {
  const text = readFileSync(path.join(DIR, file), 'utf8')
  return { text, workflow: parse(text) as Workflow }
}
const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap(job => job.steps ?? [])

describe.each(files)('examples/workflows/%s', file => {
  const { text, workflow } = read(file)
  const ours = steps(workflow).filter(step => step.uses?.startsWith(ACTION))

  test('uses the action', () => {
    expect(ours.length).toBeGreaterThan(0)
  })

  test('passes only inputs action.yml has', () => {
    const passed = ours.flatMap(step => Object.keys(step.with ?? {}))
    expect(passed.filter(input => !(input in action.inputs))).toEqual([])
  })

  test('reads only outputs action.yml has, from the steps that run the action', () => {
    const ids = new Set(ours.map(step => step.id))
    const references = [...text.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)]
    const unknown = references.filter(([, id, output]) => ids.has(id) && !(output in action.outputs))
    expect(unknown.map(([reference]) => reference)).toEqual([])
  })
})

test('helm-attest.yml attests the chart at its repository and digest, with the permissions that takes', () => {
  const { workflow } = read('helm-attest.yml')
  const attest = steps(workflow).find(step => step.uses?.startsWith('actions/attest-build-provenance@'))
  expect(attest?.with).toEqual({
    'subject-name': '${{ steps.helm.outputs.chart-repository }}',
    'subject-digest': '${{ steps.helm.outputs.digest }}',
    'push-to-registry': true
  })
  expect(workflow.jobs.chart.permissions).toEqual({
    contents: 'read',
    packages: 'write',
    'id-token': 'write',
    attestations: 'write'
  })
})
