import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { readChangelog } from '../../src/chart-files/changelog.js'

describe('readChangelog', () => {
  let root: string
  let workspace: string
  let chartDir: string
  beforeAll(async () => {
    root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'changelog-')))
    workspace = path.join(root, 'repo')
    chartDir = path.join(workspace, 'charts', 'x')
    await mkdir(chartDir, { recursive: true })
  })
  afterAll(async () => rm(root, { recursive: true, force: true }))

  const write = (file: string, version: string) => writeFile(file, `## ${version}\n### Fixed\n- In ${file}.\n`)
  const clear = () => Promise.all([chartDir, workspace].map(dir => rm(path.join(dir, 'CHANGELOG.md'), { force: true })))

  test('none: nothing, and no error', async () => {
    await clear()
    expect(await readChangelog(chartDir, workspace, '1.2.3')).toEqual({})
  })

  test("the workspace root's when the chart has none", async () => {
    await clear()
    await write(path.join(workspace, 'CHANGELOG.md'), '1.2.3')
    const { file, section } = await readChangelog(chartDir, workspace, '1.2.3')
    expect(file).toBe(path.join(workspace, 'CHANGELOG.md'))
    expect(section?.changes).toHaveLength(1)
  })

  test("the chart's own first, also when it lacks the version", async () => {
    await clear()
    await write(path.join(workspace, 'CHANGELOG.md'), '1.2.3')
    await write(path.join(chartDir, 'CHANGELOG.md'), '1.2.2')
    expect(await readChangelog(chartDir, workspace, '1.2.3')).toEqual({ file: path.join(chartDir, 'CHANGELOG.md') })
    expect((await readChangelog(chartDir, workspace, '1.2.2')).section?.changes).toEqual([
      { kind: 'fixed', description: `In ${path.join(chartDir, 'CHANGELOG.md')}.` }
    ])
  })

  test('a root changelog that is a symlink out of the workspace is refused', async () => {
    await clear()
    await write(path.join(root, 'outside.md'), '1.2.3')
    await symlink(path.join(root, 'outside.md'), path.join(workspace, 'CHANGELOG.md'))
    await expect(readChangelog(chartDir, workspace, '1.2.3')).rejects.toThrow(
      `${path.join(workspace, 'CHANGELOG.md')} is a symlink to ${path.join(root, 'outside.md')}, outside the workspace`
    )
  })

  test('a file larger than helm loads is refused unread', async () => {
    await clear()
    await writeFile(path.join(chartDir, 'CHANGELOG.md'), Buffer.alloc(5 * 1024 * 1024 + 1, 0x20))
    await expect(readChangelog(chartDir, workspace, '1.2.3')).rejects.toThrow('more than the 5242880 (5 MiB)')
  })
})
