// Validation before publishing: chart-testing's ci/*-values.yaml, helm template, and what a cluster would refuse
// of the rendered documents, for push: true and for the pull request's push: false alike. Nothing is pushed
// while a chart fails it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startRegistry } from '../../scripts/harness/registry.js'
import { runAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { makeWorkspace } from '../../scripts/harness/workspace.js'

const CONFIGMAP =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n' +
  '  size: {{ required "size is required" .Values.size | quote }}\n'
const SERVICE =
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.service }}\nspec:\n  ports: [{ port: 80 }]\n'

interface Command {
  name: string
  properties: Record<string, string>
  data: string
}

/** A workspace with chart `charts/app`: its files by path inside the chart, Chart.yaml first. */
async function chartWorkspace(files: Record<string, string>, chartYaml = '') {
  const workspace = await makeWorkspace({})
  const dir = path.join(workspace.dir, 'charts', 'app')
  const all = { 'Chart.yaml': `apiVersion: v2\nname: app\nversion: 0.1.0\n${chartYaml}`, ...files }
  for (const [file, text] of Object.entries(all)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
    await writeFile(path.join(dir, file), text)
  }
  return workspace
}

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  beforeAll(async () => {
    registry = await startRegistry()
  })
  afterAll(async () => registry?.stop())

  const release = (dir: string, namespace: string, extra: Record<string, string>) =>
    runAction({ workspace: dir, helm, inputs: { ...registry.inputs(namespace), chart: 'charts/app', ...extra } })
  /** The errors the runner carried out, from stdout. */
  const errors = (result: Awaited<ReturnType<typeof runAction>>) =>
    (result.commands[0].commands as Command[]).filter(command => command.name === 'error').map(command => command.data)
  const published = async (namespace: string) =>
    ((await registry.catalog()) as string[]).filter(repository => repository.startsWith(`${namespace}/`))

  test.each([
    ['push: true', 'broken-push', { push: 'true' }],
    ['push: false', 'broken-dry', { push: 'false' }]
  ])(
    '%s: a ci values file that does not render refuses the chart, naming the file and the template',
    async (_case, namespace, extra) => {
      const workspace = await chartWorkspace({
        'values.yaml': 'size: "1"\nservice: app\n',
        'ci/good-values.yaml': 'size: "2"\n',
        'ci/broken-values.yaml': 'size: null\n',
        'templates/configmap.yaml': CONFIGMAP
      })
      try {
        const result = await release(workspace.dir, namespace, extra)

        expect(result.code).toBe(1)
        const [error] = errors(result)
        expect(error).toMatch(
          /^Validation failed:\nWith "ci\/broken-values\.yaml" \(template "templates\/configmap\.yaml"\): helm template failed/
        )
        expect(error).toContain('size is required')
        expect(error).not.toContain('good-values')
        expect(await published(namespace)).toEqual([])
        // Lint and render with each ci values file, and render the defaults; helm lint of the defaults is the lane's.
        const log = result.stdout
        const chartDir = path.join(workspace.dir, 'charts', 'app')
        expect(log).toContain(`$ helm template app ${chartDir} --namespace default\n`)
        for (const file of ['broken', 'good'])
          expect(log).toContain(`$ helm lint ${chartDir} --values=${chartDir}/ci/${file}-values.yaml`)
        expect(log).toContain(
          `$ helm template app ${chartDir} --namespace default --values=${chartDir}/ci/good-values.yaml`
        )
      } finally {
        await workspace.remove()
      }
    }
  )

  test('two resources with the same kind, namespace and name are refused, naming both templates and the resource', async () => {
    const namespace = 'duplicates'
    const workspace = await chartWorkspace({
      'values.yaml': 'size: "1"\n',
      'ci/prod-values.yaml': 'size: "3"\n',
      'templates/configmap.yaml': CONFIGMAP,
      'templates/also-configmap.yaml': CONFIGMAP.replace('{{ .Release.Name }}', 'app\n  namespace: default')
    })
    try {
      const result = await release(workspace.dir, namespace, {})

      expect(result.code).toBe(1)
      const twice =
        '"templates/also-configmap.yaml" and "templates/configmap.yaml" both render "ConfigMap/default/app"; a ' +
        'release holds each object once, so the second would fail or overwrite the first. Rename one of them.'
      expect(errors(result)).toEqual([
        `Validation failed:\nWith the chart's default values: ${twice}\nWith "ci/prod-values.yaml": ${twice}`
      ])
      expect(await published(namespace)).toEqual([])
    } finally {
      await workspace.remove()
    }
  })

  test('a name the kind does not allow is refused, naming the values file, the template and the resource', async () => {
    const namespace = 'names'
    const workspace = await chartWorkspace({
      'values.yaml': 'service: app\n',
      'ci/dotted-values.yaml': 'service: app.web\n',
      'templates/service.yaml': SERVICE
    })
    try {
      const result = await release(workspace.dir, namespace, { push: 'false' })

      expect(result.code).toBe(1)
      expect(errors(result)).toEqual([
        'Validation failed:\nWith "ci/dotted-values.yaml": "templates/service.yaml" renders "Service/default/app.web", ' +
          "whose metadata.name is not a DNS-1035 label: at most 63 lowercase letters, digits and '-', starting with a " +
          'letter and ending with a letter or digit.'
      ])
    } finally {
      await workspace.remove()
    }
  })

  test('a chart whose ci values files all render is released', async () => {
    const namespace = 'fine'
    const workspace = await chartWorkspace({
      'values.yaml': 'size: "1"\nservice: app\n',
      'ci/small-values.yaml': 'size: "2"\n',
      'ci/named-values.yaml': 'service: web\n',
      'templates/configmap.yaml': CONFIGMAP,
      'templates/service.yaml': SERVICE
    })
    try {
      const result = await release(workspace.dir, namespace, {})

      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(errors(result)).toEqual([])
      expect(result.outputs.pushed).toBe('true')
      expect(await registry.tags(`${namespace}/app`)).toEqual(['1.2.3'])
      expect(result.stdout.match(/^\$ helm template /gm)).toHaveLength(3)
      expect(result.stdout).toContain('2 document(s) rendered and checked, 0 problem(s).')
    } finally {
      await workspace.remove()
    }
  })

  test.each([
    ['1.29', 1],
    ['1.31', 0]
  ])(
    'kube-version %s reaches helm: a chart that asks for kubeVersion >=1.30 gives exit code %d',
    async (kubeVersion, code) => {
      const namespace = `kube-${kubeVersion.replace('.', '-')}`
      const workspace = await chartWorkspace(
        { 'values.yaml': 'size: "1"\n', 'templates/configmap.yaml': CONFIGMAP },
        'kubeVersion: ">=1.30"\n'
      )
      try {
        const result = await release(workspace.dir, namespace, { 'kube-version': kubeVersion })

        expect(result.code).toBe(code)
        expect(result.stdout).toContain(`--kube-version=${kubeVersion}`)
        if (code) {
          expect(errors(result)).toEqual([
            expect.stringMatching(
              /^Validation failed:\nWith the chart's default values: helm template failed \(exit code 1\):\nError: chart requires kubeVersion: >=1.30 which is incompatible with Kubernetes v1\.29/
            )
          ])
          expect(await published(namespace)).toEqual([])
        } else {
          expect(await registry.tags(`${namespace}/app`)).toEqual(['1.2.3'])
        }
      } finally {
        await workspace.remove()
      }
    }
  )

  test('in a lane of several charts, the one failing validation is refused by name and nothing is pushed', async () => {
    const namespace = 'lane'
    const workspace = await makeWorkspace({})
    try {
      for (const [name, ci] of [
        ['good', 'size: "2"\n'],
        ['bad', 'size: null\n']
      ]) {
        const dir = path.join(workspace.dir, 'charts', name)
        await mkdir(path.join(dir, 'templates'), { recursive: true })
        await mkdir(path.join(dir, 'ci'))
        await writeFile(path.join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`)
        await writeFile(path.join(dir, 'values.yaml'), 'size: "1"\n')
        await writeFile(path.join(dir, 'ci', 'test-values.yaml'), ci)
        await writeFile(path.join(dir, 'templates', 'configmap.yaml'), CONFIGMAP)
      }
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        inputs: { ...registry.inputs(namespace), charts: 'charts/*', parallel: '1' }
      })

      expect(result.code).toBe(1)
      expect(errors(result)).toEqual([
        expect.stringMatching(
          /^bad: Validation failed:\nWith "ci\/test-values\.yaml" \(template "templates\/configmap\.yaml"\)/
        ),
        '1 of 2 charts did not build (bad); nothing was pushed.'
      ])
      expect(
        JSON.parse(result.outputs.charts).map((chart: { name: string; error: string }) => [
          chart.name,
          Boolean(chart.error)
        ])
      ).toEqual([
        ['bad', true],
        ['good', false]
      ])
      // One helm lint and one helm package for both charts: the lane stays batched.
      expect(result.stdout).toContain(`$ helm lint ${workspace.dir}/charts/bad ${workspace.dir}/charts/good\n`)
      expect(await published(namespace)).toEqual([])
    } finally {
      await workspace.remove()
    }
  })

  test('values file names that carry workflow commands stay text; one helm cannot take is refused by name', async () => {
    const workspace = await chartWorkspace({
      'values.yaml': 'size: "1"\n',
      'ci/::error::INJECTED-values.yaml': 'size: null\n',
      'ci/x\n::warning::INJECTED-values.yaml': 'size: "2"\n',
      'templates/configmap.yaml': CONFIGMAP
    })
    try {
      const result = await release(workspace.dir, 'injected', { push: 'false' })

      expect(result.code).toBe(1)
      for (const stream of [...result.commands, ...result.postCommands])
        expect((stream.commands as Command[]).filter(command => command.data.startsWith('INJECTED'))).toEqual([])
      const [error] = errors(result)
      expect(errors(result)).toHaveLength(1)
      expect(error).toContain(
        'With "ci/::error::INJECTED-values.yaml" (template "templates/configmap.yaml"): helm template failed'
      )
      expect(error).toContain(
        '"ci/x\\n::warning::INJECTED-values.yaml" cannot be given to helm: helm splits --values at commas, quotes and line breaks. Rename the file.'
      )
      expect(result.commands[0].commands.filter((command: Command) => command.name === 'warning')).toEqual([])
    } finally {
      await workspace.remove()
    }
  })
})
