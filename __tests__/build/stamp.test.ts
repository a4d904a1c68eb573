import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { utimes } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { chartTrees, stampCharts } from '../../src/build/stamp.js'
import type { Chart } from '../../src/charts/chart.js'

const SECONDS = 1700000000
/** The time the "checkout" wrote every file. */
const CHECKOUT = 1234567890

/**
 * A workspace inside a directory that also holds `outside/secret.txt`: charts/api depends on charts/common
 * through file://, which depends on charts/base; charts/other is nobody's dependency.
 */
let base: string
let workspace: string
const write = (relative: string, text = 'x\n') => {
  const full = path.join(base, relative)
  mkdirSync(path.dirname(full), { recursive: true })
  writeFileSync(full, text)
}
const chartYaml = (name: string, dependencies: string[]) =>
  [
    `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`,
    dependencies.length ? 'dependencies:\n' : '',
    ...dependencies.map(dep => `  - name: ${dep}\n    version: 0.1.0\n    repository: file://../${dep}\n`)
  ].join('')
const chart = (name: string, dependencies: string[]): Chart => ({
  input: `charts/${name}`,
  dir: path.join(workspace, 'charts', name),
  file: path.join(workspace, 'charts', name, 'Chart.yaml'),
  source: chartYaml(name, dependencies),
  meta: {
    name,
    version: '0.1.0',
    appVersion: '',
    library: false,
    dependencies: dependencies.map(dep => ({ name: dep, version: '0.1.0', repository: `file://../${dep}` }))
  }
})

/** Every file below `base` (links as themselves) by its path relative to `base`, with its time in seconds. */
function times(dir = base, result: Record<string, number> = {}): Record<string, number> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) times(full, result)
    else if (entry.isFile()) result[path.relative(base, full)] = Math.round(lstatSync(full).mtimeMs / 1000)
  }
  return result
}

async function checkout(dir = base): Promise<void> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) await checkout(full)
    else if (entry.isFile()) await utimes(full, CHECKOUT, CHECKOUT)
  }
}

beforeEach(async () => {
  base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stamp-')))
  workspace = path.join(base, 'ws')
  write('outside/secret.txt')
  write('ws/charts/api/Chart.yaml', chartYaml('api', ['common']))
  write('ws/charts/api/templates/configmap.yaml')
  write('ws/charts/api/charts/old-0.0.1.tgz')
  write('ws/charts/common/Chart.yaml', chartYaml('common', ['base']))
  write('ws/charts/common/templates/_labels.tpl')
  write('ws/charts/base/Chart.yaml', chartYaml('base', []))
  write('ws/charts/other/Chart.yaml', chartYaml('other', []))
  write('ws/shared/helpers.tpl')
  write('ws/shared/dir/notes.txt')
  // Links helm follows: to a file and a directory inside the workspace, and (refused by the plan, here planted
  // all the same) one out of it.
  symlinkSync('../../../shared/helpers.tpl', path.join(workspace, 'charts/api/templates/_helpers.tpl'))
  symlinkSync('../../shared/dir', path.join(workspace, 'charts/api/files'))
  symlinkSync(path.join(base, 'outside/secret.txt'), path.join(workspace, 'charts/base/secret.txt'))
  await checkout()
})
afterEach(() => rmSync(base, { recursive: true, force: true }))

describe('chartTrees', () => {
  test('a chart, its file:// dependencies and theirs, each once', async () => {
    write('ws/charts/base/Chart.yaml', chartYaml('base', ['common']))
    expect(await chartTrees(chart('api', ['common']))).toEqual(
      ['api', 'common', 'base'].map(name => path.join(workspace, 'charts', name))
    )
  })

  test('a dependency whose Chart.yaml cannot be read has none of its own', async () => {
    expect(await chartTrees(chart('api', ['missing']))).toEqual(
      ['api', 'missing'].map(name => path.join(workspace, 'charts', name))
    )
  })
})

describe('stampCharts', () => {
  test.each([
    ['api: itself, common and base, and what its links lead to inside the workspace', ['api'], true],
    ['other alone', ['other'], false]
  ])('%s', async (_, names, reachesApi) => {
    const dependencies: Record<string, string[]> = { api: ['common'], other: [] }
    await stampCharts(
      names.map(name => chart(name, dependencies[name])),
      { seconds: SECONDS, from: 'a test', workspace }
    )
    const stamped = reachesApi ? SECONDS : CHECKOUT
    expect(times()).toEqual({
      'outside/secret.txt': CHECKOUT,
      'ws/charts/api/Chart.yaml': stamped,
      'ws/charts/api/templates/configmap.yaml': stamped,
      'ws/charts/api/charts/old-0.0.1.tgz': stamped,
      'ws/charts/common/Chart.yaml': stamped,
      'ws/charts/common/templates/_labels.tpl': stamped,
      'ws/charts/base/Chart.yaml': stamped,
      'ws/charts/other/Chart.yaml': names.includes('other') ? SECONDS : CHECKOUT,
      'ws/shared/helpers.tpl': stamped,
      'ws/shared/dir/notes.txt': stamped
    })
  })

  test('a dependency outside the workspace is left alone', async () => {
    write('outside/chart/Chart.yaml', chartYaml('outer', []))
    await checkout()
    const api = chart('api', [])
    api.meta.dependencies = [{ name: 'outer', version: '0.1.0', repository: 'file://../../../outside/chart' }]
    await stampCharts([api], { seconds: SECONDS, from: 'a test', workspace })
    expect(times()).toMatchObject({
      'outside/chart/Chart.yaml': CHECKOUT,
      'outside/secret.txt': CHECKOUT,
      'ws/charts/api/Chart.yaml': SECONDS
    })
  })
})
