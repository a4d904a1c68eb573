import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { checkChartTree, checkFileDependencies } from '../../src/charts/containment.js'

/** A workspace inside a directory that also holds `outside/secret.txt` and `outside/dir/`. */
let base: string
let workspace: string
beforeEach(() => {
  base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'containment-')))
  workspace = path.join(base, 'ws')
  mkdirSync(path.join(base, 'outside', 'dir'), { recursive: true })
  writeFileSync(path.join(base, 'outside', 'secret.txt'), 'secret\n')
  mkdirSync(path.join(workspace, 'chart', 'templates'), { recursive: true })
  mkdirSync(path.join(workspace, 'shared', 'deep'), { recursive: true })
  writeFileSync(path.join(workspace, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: chart\nversion: 0.1.0\n')
  writeFileSync(path.join(workspace, 'shared', 'deep', 'notes.yaml'), '# inside\n')
})
afterEach(() => rmSync(base, { recursive: true, force: true }))

/** Links to plant, `{base}` standing for the directory that holds the workspace. */
const plant = (links: Record<string, string>) => {
  for (const [link, target] of Object.entries(links)) {
    mkdirSync(path.dirname(path.join(workspace, link)), { recursive: true })
    symlinkSync(target.replace('{base}', base), path.join(workspace, link))
  }
}

describe('checkChartTree', () => {
  test.each<[string, Record<string, string>]>([
    ['no links', {}],
    ['a file linked inside the workspace', { 'chart/templates/notes.yaml': '../../shared/deep/notes.yaml' }],
    ['a directory linked inside the workspace', { 'chart/templates/shared': '../../shared' }],
    ['two links to one directory', { 'chart/templates/a': '../../shared', 'chart/templates/b': '../../shared' }],
    ['a link to a sibling directory of the chart', { 'chart/files': 'templates' }],
    ['a link to a link inside', { 'shared/hop': 'deep', 'chart/templates/x': '../../shared/hop' }]
  ])('takes %s', async (_case, links) => {
    plant(links)
    await expect(checkChartTree(workspace, path.join(workspace, 'chart'), new Set())).resolves.toBeUndefined()
  })

  test.each<[string, Record<string, string>, string]>([
    [
      'a file linked out',
      { 'chart/templates/leak.yaml': '{base}/outside/secret.txt' },
      'chart/templates/leak.yaml is a symlink to {base}/outside/secret.txt, outside the workspace {base}/ws.'
    ],
    [
      'a Chart.yaml linked out',
      { 'chart/Chart.yaml.link': '{base}/outside/secret.txt' },
      'chart/Chart.yaml.link is a symlink to {base}/outside/secret.txt, outside the workspace'
    ],
    [
      'a directory linked out',
      { 'chart/templates/dir': '{base}/outside/dir' },
      'chart/templates/dir is a symlink to {base}/outside/dir, outside the workspace'
    ],
    [
      'a relative link up and out',
      { 'chart/templates/up': '../../../outside/secret.txt' },
      'chart/templates/up is a symlink to {base}/outside/secret.txt, outside the workspace'
    ],
    [
      'a link out behind a link inside',
      { 'shared/out': '{base}/outside/secret.txt', 'chart/templates/shared': '../../shared' },
      'shared/out is a symlink to {base}/outside/secret.txt, outside the workspace'
    ],
    [
      'a link out in a subchart of charts/',
      { 'chart/charts/sub/templates/leak.yaml': '{base}/outside/secret.txt' },
      'chart/charts/sub/templates/leak.yaml is a symlink to {base}/outside/secret.txt'
    ],
    [
      'a link out that .helmignore leaves out of the package (checked all the same)',
      { 'chart/ignored/leak.txt': '{base}/outside/secret.txt' },
      'chart/ignored/leak.txt is a symlink to'
    ],
    [
      'a dangling link inside',
      { 'chart/templates/gone.yaml': '../../shared/gone.yaml' },
      'chart/templates/gone.yaml is a symlink to {base}/ws/shared/gone.yaml, which does not exist'
    ],
    [
      'a link to itself',
      { 'chart/templates/self': 'self' },
      'chart/templates/self is a symlink to {base}/ws/chart/templates/self, which cannot be resolved (ELOOP)'
    ],
    [
      'a link to its own directory',
      { 'chart/templates/here': '.' },
      'chart/templates/here is a symlink to {base}/ws/chart/templates, which leads back to {base}/ws/chart/templates'
    ],
    [
      'a link to the workspace, which holds the chart',
      { 'chart/templates/root': '../..' },
      'chart/templates/root is a symlink to {base}/ws, which leads back to {base}/ws/chart:'
    ],
    [
      'two links that lead to each other',
      { 'chart/a/to-shared': '../../shared', 'shared/deep/to-a': '../../chart/a' },
      'shared/deep/to-a is a symlink to {base}/ws/chart/a, which leads back to {base}/ws/chart/a'
    ]
  ])('refuses %s', async (_case, links, message) => {
    plant(links)
    if (_case.includes('.helmignore')) writeFileSync(path.join(workspace, 'chart', '.helmignore'), 'ignored/\n')
    await expect(checkChartTree(workspace, path.join(workspace, 'chart'), new Set())).rejects.toThrow(
      message.replaceAll('{base}', base)
    )
  })
})

describe('checkFileDependencies', () => {
  const dependency = (repository: string) => [{ name: 'dep', version: '0.1.0', repository }]
  const chartFile = () => path.join(workspace, 'chart', 'Chart.yaml')

  test.each([
    ['a chart of the workspace', 'file://../shared'],
    ['one that does not exist (helm says so)', 'file://../missing'],
    ['a repository that is no file://', 'https://charts.example.test']
  ])('takes %s', async (_case, repository) => {
    await expect(
      checkFileDependencies(workspace, chartFile(), dependency(repository), new Set())
    ).resolves.toBeUndefined()
  })

  test.each([
    ['a directory outside', 'file://{base}/outside/dir', '{base}/outside/dir'],
    ['a relative path out', 'file://../../outside/dir', '{base}/outside/dir'],
    ['a missing directory outside', 'file://../../outside/none', '{base}/outside/none']
  ])('refuses %s', async (_case, repository, resolved) => {
    await expect(
      checkFileDependencies(workspace, chartFile(), dependency(repository.replace('{base}', base)), new Set())
    ).rejects.toThrow(`dependency dep has repository`)
    await expect(
      checkFileDependencies(workspace, chartFile(), dependency(repository.replace('{base}', base)), new Set())
    ).rejects.toThrow(`which resolves to ${resolved.replace('{base}', base)}, outside the workspace ${workspace}.`)
  })

  test('walks a dependency as the chart, and its own file:// dependencies in turn', async () => {
    mkdirSync(path.join(workspace, 'common'))
    writeFileSync(
      path.join(workspace, 'common', 'Chart.yaml'),
      'apiVersion: v2\nname: common\nversion: 0.1.0\ndependencies:\n  - name: base\n    version: 0.1.0\n' +
        '    repository: file://../base\n'
    )
    mkdirSync(path.join(workspace, 'base'))
    writeFileSync(path.join(workspace, 'base', 'Chart.yaml'), 'apiVersion: v2\nname: base\nversion: 0.1.0\n')
    plant({ 'base/leak.txt': '{base}/outside/secret.txt' })
    await expect(
      checkFileDependencies(workspace, chartFile(), dependency('file://../common'), new Set())
    ).rejects.toThrow(`${workspace}/base/leak.txt is a symlink to ${base}/outside/secret.txt, outside the workspace`)
  })

  test('ends on dependencies that depend on each other', async () => {
    writeFileSync(
      path.join(workspace, 'shared', 'Chart.yaml'),
      'apiVersion: v2\nname: shared\nversion: 0.1.0\ndependencies:\n  - name: chart\n    version: 0.1.0\n' +
        '    repository: file://../chart\n'
    )
    await expect(
      checkFileDependencies(workspace, chartFile(), dependency('file://../shared'), new Set())
    ).resolves.toBeUndefined()
  })
})
