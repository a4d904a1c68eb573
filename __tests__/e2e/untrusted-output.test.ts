// A pull request's chart steers neither the runner nor the job summary: chart directory names and helm's
// output that carry workflow commands, markdown and HTML are shown as text, while the action's own commands
// (groups, annotations, outputs, state) still take effect. The runner harness carries out what the step
// prints as the runner does, ::stop-commands:: included (workflow-commands.js).
import { describe, expect, test } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { marked } from 'marked'
import { runAction, summaryTable } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { commandTexts } from '../../scripts/harness/workflow-commands.js'
import { makeWorkspace } from '../../scripts/harness/workspace.js'

/** Every line a workflow command the runner acts on, were it printed as it is; no `/`, as they name directories. */
const COMMANDS = [
  '::set-output name=digest::sha256:INJECTED',
  '::save-state name=helm-home::INJECTED',
  '::add-mask::INJECTED-mask',
  '::warning::INJECTED-warning',
  '  ::error title=INJECTED::INJECTED-error',
  '::add-matcher::INJECTED.json',
  '::stop-commands::INJECTED-stop',
  'text ##[set-output name=INJECTED-legacy]1'
]

async function chart(workspace: string, dir: string, template: string): Promise<void> {
  const chartDir = path.join(workspace, 'charts', dir)
  await mkdir(path.join(chartDir, 'templates'), { recursive: true })
  await writeFile(path.join(chartDir, 'Chart.yaml'), `apiVersion: v2\nname: ${dir.split('\n')[0]}\nversion: 0.1.0\n`)
  await writeFile(path.join(chartDir, 'templates', 'configmap.yaml'), template)
}

/** The ones a directory name carries: a name has at most 255 bytes. */
const IN_A_NAME = [
  '::warning::INJECTED-dir',
  '::add-mask::INJECTED-mask',
  '::stop-commands::INJECTED-stop',
  'a ##[set-output name=INJECTED-legacy]1'
]

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}\n'

type Command = Parameters<typeof commandTexts>[0] & { name: string }

/** Whether anything of a command the runner carried out came from the injected text. */
const injected = (command: Command) => commandTexts(command).some(text => text.startsWith('INJECTED'))

describe.each(HELM_VERSIONS)('Helm %s, a pull request whose chart prints workflow commands', helm => {
  test('the runner carries out none of them, and all of the action’s own', async () => {
    const workspace = await makeWorkspace({})
    try {
      // Helm 3 prints a template's fail message as it is, also when lint goes on; helm 4 quotes it.
      await chart(workspace.dir, 'talks', `{{ fail ${JSON.stringify(['lint', ...COMMANDS].join('\n'))} }}\n`)
      await chart(workspace.dir, ['named', ...IN_A_NAME].join('\n'), CONFIGMAP)
      await chart(workspace.dir, ['broken', ...IN_A_NAME].join('\n'), '{{ end }}\n')
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        github: { ref: 'refs/pull/7/merge' },
        inputs: { charts: 'charts/*', push: 'false' }
      })

      expect(result.code).toBe(1)
      for (const stream of [...result.commands, ...result.postCommands]) {
        expect(stream.commands.filter(injected)).toEqual([])
        expect(stream.masks).not.toContain('INJECTED-mask')
        expect(stream.refused).toEqual([])
        expect(stream.stoppedAtEnd).toBe(false)
      }
      expect(Object.keys(result.outputs).filter(name => name.startsWith('INJECTED'))).toEqual([])
      expect(result.outputs.digest).toBeUndefined()
      expect(result.state['helm-home'] ?? '').not.toContain('INJECTED')

      const own: Command[] = result.commands[0].commands
      const errors = own.filter(command => command.name === 'error').map(command => command.data)
      expect(errors).toHaveLength(2)
      expect(errors[0]).toMatch(/^broken: helm lint failed[^]*broken\n::warning::INJECTED-dir\n/)
      expect(errors[1]).toMatch(/^1 of 3 charts did not build/)
      expect(own.filter(command => command.name === 'group')).toHaveLength(
        own.filter(command => command.name === 'endgroup').length
      )
      // The action's outputs still reach the runner, with the chart names as they are.
      expect(JSON.parse(result.outputs.charts).map((entry: { name: string }) => entry.name)).toEqual([
        'broken',
        'named',
        'talks'
      ])
      // The log shows the text the chart printed.
      expect(result.stdout).toContain('::set-output name=digest::sha256:INJECTED')
    } finally {
      await workspace.remove()
    }
  })
})

describe.each(HELM_VERSIONS)('Helm %s, a pull request whose chart carries markdown and HTML', helm => {
  const markup = ['', '# INJECTED heading', '', '![INJECTED](x.png) <img src="x"> [link](x)', '']

  test('the job summary shows it as text in its cell', async () => {
    const workspace = await makeWorkspace({})
    try {
      const dir = ['broken', ...markup].join('\n')
      await chart(workspace.dir, dir, '{{ end }}\n')
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        github: { ref: 'refs/pull/7/merge' },
        inputs: { charts: 'charts/*', push: 'false' }
      })

      expect(result.code).toBe(1)
      const html = await marked.parse(result.summary, { gfm: true })
      expect(html).not.toMatch(/<h1|<img|<a /)
      const [header, row, ...rest] = summaryTable(result.summary)
      expect(header).toEqual(['Chart', 'Version', 'appVersion', 'Reference', 'Digest'])
      expect(rest).toEqual([])
      expect(row[4]).toContain(`helm lint failed`)
      expect(row[4]).toContain(path.join('charts', dir))
    } finally {
      await workspace.remove()
    }
  })
})
