// Writes <case>.yaml: what `helm template <chart> <dir> --namespace default` (Helm 4.1.4) renders of each chart
// below, and errors.json: what Helm 4.1.4 and 3.18.0 say when lint or template fails, for the tests of
// src/build/rendered-checks.ts. Run it again with `node __tests__/__fixtures__/rendered/capture.js` after
// `make tools`.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { HELM_VERSIONS, helmDir, ROOT } from '../../../scripts/harness/tools.js'

const run = promisify(execFile)
const here = path.join(ROOT, '__tests__', '__fixtures__', 'rendered')

const cm = (name, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`
const hook = (name, event) =>
  `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\n  annotations:\n    helm.sh/hook: ${event}\n` +
  'spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{ name: c, image: busybox }]\n'

/** Each chart's templates, by file name; every chart is named `app`. */
const CHARTS = {
  fine: {
    'configmap.yaml': cm('{{ .Release.Name }}'),
    'other-namespace.yaml': cm('{{ .Release.Name }}', '  namespace: other\n'),
    'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\n',
    'service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  ports: [{ port: 80 }]\n',
    'rbac.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: system:app-reader\n',
    'hooks.yaml': `${hook('app', 'pre-install')}---\n${hook('app', 'pre-upgrade')}`,
    'tests/test-connection.yaml': hook('app', 'test'),
    'generated.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: app-\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: app-\n',
    'empty.yaml': '{{- if false }}\nkind: ConfigMap\n{{- end }}\n# only a comment\n',
    'list.yaml': 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ServiceAccount\n    metadata:\n      name: app\n'
  },
  duplicates: {
    'a.yaml': cm('app'),
    'b.yaml': cm('app', '  namespace: default\n'),
    'c.yaml': '{{- range list 1 2 }}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n{{- end }}\n',
    'd.yaml': 'apiVersion: apps/v1beta2\nkind: Deployment\nmetadata:\n  name: other\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\n',
    'e.yaml': 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: app\n',
    'f.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n  namespace: x\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n'
  },
  shapes: {
    'no-kind.yaml': 'apiVersion: v1\nmetadata:\n  name: app\n',
    'no-api-version.yaml': 'kind: ConfigMap\nmetadata:\n  name: app\n',
    'neither.yaml': 'metadata:\n  name: app\n',
    'list-item.yaml': 'apiVersion: v1\nkind: ConfigMapList\nitems:\n  - metadata:\n      name: app\n'
  },
  names: {
    'underscore.yaml': cm('Bad_Name'),
    'long.yaml': cm('a'.repeat(254)),
    'missing.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: { a: b }\n',
    'number.yaml': cm('123'),
    'service-dot.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: app.web\n',
    'service-digit.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: 1app\n',
    'role-slash.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: a/b\n',
    'yaml11.yaml': cm('on'),
    'dots.yaml': cm('app.example.com')
  }
}

/** Charts whose lint or template fails, for the template helm names. */
const BROKEN = {
  'execution error': { 'templates/cm.yaml': '{{ fail "broken on purpose" }}\n' },
  'parse error': { 'templates/cm.yaml': '{{ end }}\n' },
  'nil pointer': { 'templates/cm.yaml': 'a: {{ .Values.missing.key }}\n' },
  'not YAML': { 'templates/cm.yaml': 'kind: [\n' },
  'in a subchart': {
    'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
    'charts/sub/templates/cm.yaml': '{{ fail "sub is broken" }}\n'
  }
}

async function chart(dir, files) {
  await mkdir(dir, { recursive: true })
  await writeFile(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 0.1.0\n')
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
    await writeFile(path.join(dir, file), text)
  }
}

async function helm(version, args) {
  try {
    const { stdout, stderr } = await run(path.join(helmDir(version), 'helm'), args)
    return { exitCode: 0, stdout, stderr }
  } catch (error) {
    if (typeof error.code !== 'number') throw error
    return { exitCode: error.code, stdout: error.stdout, stderr: error.stderr }
  }
}

const base = await mkdtemp(path.join(os.tmpdir(), 'rendered-'))
try {
  for (const [name, templates] of Object.entries(CHARTS)) {
    const dir = path.join(base, name)
    await chart(dir, Object.fromEntries(Object.entries(templates).map(([file, text]) => [`templates/${file}`, text])))
    const rendered = await helm('4.1.4', ['template', 'app', dir, '--namespace', 'default'])
    if (rendered.exitCode !== 0) throw new Error(`${name}: ${rendered.stderr}`)
    await writeFile(path.join(here, `${name}.yaml`), rendered.stdout)
  }
  const errors = []
  for (const [name, files] of Object.entries(BROKEN)) {
    const dir = path.join(base, 'broken', name.replaceAll(' ', '-'))
    await chart(dir, files)
    for (const version of HELM_VERSIONS) {
      for (const args of [['lint', dir], ['template', 'app', dir]]) {
        const { exitCode, stdout, stderr } = await helm(version, args)
        errors.push({ helm: version, case: name, command: args[0], exitCode, output: `${stderr}${stdout}`.replaceAll(dir, '<dir>') })
      }
    }
  }
  await writeFile(path.join(here, 'errors.json'), `${JSON.stringify(errors, null, 2)}\n`)
} finally {
  await rm(base, { recursive: true, force: true })
}
