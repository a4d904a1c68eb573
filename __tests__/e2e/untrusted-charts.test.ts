// A pull request's chart, its links, its file:// dependencies and the directories a glob walks are the
// author's: none of them may bring a file of the runner's machine into a log, an output, the summary or the
// package. Every case plants a marker outside the workspace and runs the dry run a pull request runs
// (push: false, which still packages the chart), and must end within seconds.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { startRegistry } from '../../scripts/harness/registry.js'
import { runAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

const run = promisify(execFile)
const MARKER = 'OUTSIDE-THE-WORKSPACE-3f9c1e'
const SECONDS = 30_000

const chartYaml = (name: string, extra = '') => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n${extra}`
const fileDependency = (name: string, repository: string) =>
  `dependencies:\n  - name: ${name}\n    version: 0.1.0\n    repository: ${repository}\n`

/** Files to plant: text, or a symlink (`{outside}` stands for the directory outside the workspace). */
type Plant = Record<string, { text: string } | { link: string }>

async function plant(workspace: string, outside: string, files: Plant): Promise<void> {
  for (const [file, spec] of Object.entries(files)) {
    const at = path.join(workspace, file)
    await mkdir(path.dirname(at), { recursive: true })
    await rm(at, { force: true })
    if ('link' in spec) await symlink(spec.link.replace('{outside}', outside), at)
    else await writeFile(at, spec.text.replace('{outside}', outside))
  }
}

/** The entries and the whole text of every package the run left in its temp directory. */
async function packages(runnerTemp: string): Promise<{ entries: string[]; text: string }[]> {
  const found = (await readdir(runnerTemp, { recursive: true })).filter(file => file.endsWith('.tgz'))
  return Promise.all(
    found.map(async file => {
      const archive = path.join(runnerTemp, file)
      const { stdout: list } = await run('tar', ['-tzf', archive])
      const { stdout: text } = await run('tar', ['-xzOf', archive], { maxBuffer: 64 * 1024 * 1024 })
      return { entries: list.split('\n').filter(Boolean), text }
    })
  )
}

describe.each(HELM_VERSIONS)('Helm %s, a chart from a pull request', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  let outside: string
  beforeAll(async () => {
    registry = await startRegistry()
    outside = await realpath(await mkdtemp(path.join(os.tmpdir(), 'outside-')))
    await mkdir(path.join(outside, 'dir'))
    await mkdir(path.join(outside, 'chart', 'templates'), { recursive: true })
    // Not YAML: a parser's error shows the line it failed on.
    await writeFile(path.join(outside, 'secret.yaml'), `token: [${MARKER}\n`)
    await writeFile(path.join(outside, 'notes.txt'), `# ${MARKER}\n`)
    await writeFile(path.join(outside, 'dir', 'notes.yaml'), `# ${MARKER}\n`)
    await writeFile(path.join(outside, 'chart', 'Chart.yaml'), chartYaml('machine', `description: ${MARKER}\n`))
    await writeFile(path.join(outside, 'chart', 'templates', 'notes.yaml'), `# ${MARKER}\n`)
  })
  afterAll(async () => {
    await registry?.stop()
    await rm(outside, { recursive: true, force: true })
  })

  const dryRun = async (workspace: string, inputs: Record<string, string>) => {
    const result = await runAction({
      workspace,
      helm,
      github: { ref: 'refs/pull/7/merge' },
      inputs: { ...registry.inputs('untrusted'), push: 'false', ...inputs },
      // The post step would remove the packages looked into here.
      post: false
    })
    expect(result.everything).not.toContain(MARKER)
    const made = await packages(result.runnerTemp)
    for (const { text } of made) expect(text).not.toContain(MARKER)
    return { ...result, packages: made }
  }

  const error = (stdout: string) => stdout.split('\n').find(line => line.startsWith('::error::')) ?? ''

  test.each<[string, Plant, string]>([
    [
      'a Chart.yaml that is a symlink out',
      { 'chart/Chart.yaml': { link: '{outside}/secret.yaml' } },
      'chart/Chart.yaml is a symlink to {outside}/secret.yaml, outside the workspace'
    ],
    [
      'a template that is a symlink out',
      { 'chart/templates/notes.yaml': { link: '{outside}/notes.txt' } },
      'chart/templates/notes.yaml is a symlink to {outside}/notes.txt, outside the workspace'
    ],
    [
      'a directory of templates that is a symlink out',
      { 'chart/templates/shared': { link: '{outside}/dir' } },
      'chart/templates/shared is a symlink to {outside}/dir, outside the workspace'
    ],
    [
      'a file of an unpacked subchart in charts/ that is a symlink out',
      {
        'chart/charts/sub/Chart.yaml': { text: chartYaml('sub') },
        'chart/charts/sub/templates/notes.yaml': { link: '{outside}/notes.txt' }
      },
      'chart/charts/sub/templates/notes.yaml is a symlink to {outside}/notes.txt, outside the workspace'
    ],
    [
      'a file:// dependency outside the workspace',
      { 'chart/Chart.yaml': { text: chartYaml('llm-proxy', fileDependency('machine', 'file://{outside}/chart')) } },
      'dependency machine has repository "file://…, which resolves to {outside}/chart, outside the workspace'
    ],
    [
      'a file:// dependency inside the workspace with a symlink out',
      {
        'chart/Chart.yaml': { text: chartYaml('llm-proxy', fileDependency('common', 'file://../common')) },
        'common/Chart.yaml': { text: chartYaml('common') },
        'common/templates/notes.yaml': { link: '{outside}/notes.txt' }
      },
      'common/templates/notes.yaml is a symlink to {outside}/notes.txt, outside the workspace'
    ],
    [
      'a dangling symlink',
      { 'chart/templates/gone.yaml': { link: '{outside}/gone.yaml' } },
      'chart/templates/gone.yaml is a symlink to {outside}/gone.yaml, which does not exist'
    ],
    [
      'a symlink back to the chart (a loop for helm)',
      { 'chart/templates/up': { link: '..' } },
      'chart/templates/up is a symlink to …/chart, which leads back to …/chart: helm would go round that loop until the system stops it'
    ]
  ])(
    'refuses %s before writing anything, and shows none of it',
    async (_case, files, message) => {
      const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
      try {
        await plant(workspace.dir, outside, files)
        const chartFile = path.join(workspace.dir, 'chart', 'Chart.yaml')
        const before = await readFile(chartFile).catch(() => undefined)
        const result = await dryRun(workspace.dir, { chart: 'chart' })
        expect(result.code).toBe(1)
        let from = 0
        const line = error(result.stdout)
        for (const fragment of message.replaceAll('{outside}', outside).split('…')) {
          const at = line.indexOf(fragment, from)
          if (at === -1) expect(line.slice(from)).toContain(fragment)
          from = at + fragment.length
        }
        expect(result.packages).toEqual([])
        if (before) expect(await readFile(chartFile)).toEqual(before)
      } finally {
        await workspace.remove()
      }
    },
    SECONDS
  )

  test(
    'symlinks inside the workspace stay: a linked template and a linked directory are packaged',
    async () => {
      const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
      try {
        await plant(workspace.dir, outside, {
          'shared/configmap.yaml': { text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared-inside\n' },
          'shared/more/extra.yaml': { text: '# shared-directory-inside\n' },
          'chart/templates/configmap.yaml': { link: '../../shared/configmap.yaml' },
          'chart/templates/more': { link: '../../shared/more' }
        })
        const result = await dryRun(workspace.dir, { chart: 'chart' })
        expect(result.code).toBe(0)
        expect(result.packages).toHaveLength(1)
        const [made] = result.packages
        expect(made.entries).toEqual(
          expect.arrayContaining(['llm-proxy/templates/configmap.yaml', 'llm-proxy/templates/more/extra.yaml'])
        )
        expect(made.text).toContain('name: shared-inside')
        expect(made.text).toContain('# shared-directory-inside')
      } finally {
        await workspace.remove()
      }
    },
    SECONDS
  )

  test(
    'charts: charts/** with two symlinks back to a parent ends, each chart once',
    async () => {
      const workspace = await makeWorkspace({ 'charts/api': EXAMPLE_CHART })
      try {
        await plant(workspace.dir, outside, {
          'charts/api/Chart.yaml': { text: chartYaml('api') },
          'charts/deep/worker/Chart.yaml': { text: chartYaml('worker') },
          'charts/deep/up': { link: '..' },
          'charts/deep/more/up': { link: '../..' }
        })
        const result = await dryRun(workspace.dir, { charts: 'charts/**' })
        expect(result.code).toBe(0)
        expect(JSON.parse(result.outputs.charts).map((chart: { name: string }) => chart.name)).toEqual([
          'api',
          'worker'
        ])
      } finally {
        await workspace.remove()
      }
    },
    SECONDS
  )

  test(
    'charts: charts/* reaching a symlink out of the workspace is refused, naming link and target',
    async () => {
      const workspace = await makeWorkspace({ 'charts/api': EXAMPLE_CHART })
      try {
        await plant(workspace.dir, outside, { 'charts/machine': { link: '{outside}/chart' } })
        const result = await dryRun(workspace.dir, { charts: 'charts/*' })
        expect(result.code).toBe(1)
        expect(error(result.stdout)).toContain(
          `Input charts: "charts/*" reaches ${workspace.dir}/charts/machine, a symlink to ${outside}/chart, ` +
            `outside the workspace ${workspace.dir}.`
        )
        expect(result.packages).toEqual([])
      } finally {
        await workspace.remove()
      }
    },
    SECONDS
  )

  test(
    'charts: charts/** past 5000 chart directories is refused before any is read',
    async () => {
      const workspace = await makeWorkspace({})
      try {
        for (let index = 0; index <= 5000; index++) {
          const dir = path.join(workspace.dir, 'charts', `c${index}`)
          await mkdir(dir, { recursive: true })
          await writeFile(path.join(dir, 'Chart.yaml'), chartYaml(`c${index}`))
        }
        const result = await dryRun(workspace.dir, { charts: 'charts/**' })
        expect(result.code).toBe(1)
        expect(error(result.stdout)).toContain(
          'Input charts: "charts/**" brings the chart directories past 5000, the most one run releases.'
        )
        expect(result.packages).toEqual([])
      } finally {
        await workspace.remove()
      }
    },
    SECONDS
  )
})
