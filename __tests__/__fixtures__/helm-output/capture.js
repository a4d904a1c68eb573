// Writes several-charts.json: what Helm 4.1.4 and 3.18.0 print when one `helm lint` or `helm package` gets several
// charts, passing and failing, for the tests of src/build/split-output.ts. Run it again with
// `node __tests__/__fixtures__/helm-output/capture.js` after `make tools`; the charts are copies of
// __tests__/__fixtures__/monorepo under a fixed directory of os.tmpdir(), which the output names.
import { execFile } from 'node:child_process'
import { cp, mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { HELM_VERSIONS, helmDir, ROOT } from '../../../scripts/harness/tools.js'

const run = promisify(execFile)
const here = path.join(ROOT, '__tests__', '__fixtures__', 'helm-output')
const monorepo = path.join(ROOT, '__tests__', '__fixtures__', 'monorepo', 'charts')
const base = path.join(os.tmpdir(), 'helm-output')

const HPA = 'apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api\nspec:\n  maxReplicas: 2\n'

/**
 * charts/{common,api,worker} with the dependencies built but for `unbuilt`; `broken` get a template that does not
 * parse, `deprecated` one of a deprecated API (a lint warning).
 */
async function workspace(helm, name, { broken = [], deprecated = [], unbuilt = [] } = {}) {
  const dir = path.join(base, helm, name)
  await cp(monorepo, dir, { recursive: true })
  // A link inside the workspace: helm notes it on stderr, naming the link and its target in common.
  await symlink('../../common/templates/_labels.tpl', path.join(dir, 'worker', 'templates', '_common.tpl'))
  for (const chart of broken) await writeFile(path.join(dir, chart, 'templates', 'broken.yaml'), 'kind: [\n')
  for (const chart of deprecated) await writeFile(path.join(dir, chart, 'templates', 'hpa.yaml'), HPA)
  for (const chart of ['api', 'worker'].filter(chart => !unbuilt.includes(chart)))
    await helmRun(helm, ['dependency', 'build', path.join(dir, chart)])
  return dir
}

async function helmRun(helm, args) {
  const home = path.join(base, 'home')
  const env = {
    PATH: process.env.PATH,
    HELM_CACHE_HOME: path.join(home, 'cache'),
    HELM_CONFIG_HOME: path.join(home, 'config'),
    HELM_DATA_HOME: path.join(home, 'data')
  }
  try {
    const { stdout, stderr } = await run(path.join(helmDir(helm), 'helm'), args, { env })
    return { exitCode: 0, stdout, stderr }
  } catch (error) {
    if (typeof error.code !== 'number') throw error
    return { exitCode: error.code, stdout: error.stdout, stderr: error.stderr }
  }
}

const CASES = [
  { case: 'lint, every chart passes', command: 'lint', options: {} },
  { case: 'lint, worker fails', command: 'lint', options: { broken: ['worker'] } },
  { case: 'lint, api and worker fail', command: 'lint', options: { broken: ['api', 'worker'] } },
  { case: 'lint, api warns', command: 'lint', options: { deprecated: ['api'] } },
  { case: 'lint --strict, api warns', command: 'lint', strict: true, options: { deprecated: ['api'] } },
  { case: 'package, every chart passes', command: 'package', options: {} },
  { case: 'package, api (the second) fails', command: 'package', options: { unbuilt: ['api'] } }
]

await rm(base, { recursive: true, force: true })
const captured = []
for (const helm of HELM_VERSIONS) {
  for (const [index, spec] of CASES.entries()) {
    const dir = await workspace(helm, String(index), spec.options)
    const charts = ['common', 'api', 'worker'].map(name => ({
      dir: path.join(dir, name),
      packagePath: path.join(dir, 'packages', `${name}-0.1.0.tgz`)
    }))
    const dirs = charts.map(chart => chart.dir)
    const args =
      spec.command === 'lint'
        ? ['lint', ...dirs, ...(spec.strict ? ['--strict'] : [])]
        : ['package', ...dirs, '--destination', path.join(dir, 'packages')]
    captured.push({ helm, case: spec.case, args, charts, ...(await helmRun(helm, args)) })
  }
}
await mkdir(here, { recursive: true })
await writeFile(path.join(here, 'several-charts.json'), `${JSON.stringify(captured, null, 2)}\n`)
await rm(base, { recursive: true, force: true })
