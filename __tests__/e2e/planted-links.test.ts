// A chart from a pull request may hold symlinks of any name. A dry run rewrites Chart.yaml, Chart.lock and the values
// file: links planted at the temporary names a write could use must redirect none of those writes, here to the
// workspace's .git/config. The links are planted once the step has started, at the names the action's process id
// makes predictable (`.<file>.<pid>.tmp`, what the action once used), beside every file it rewrites.
import { describe, expect, test } from '@jest/globals'
import { lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { MONOREPO_CHARTS, makeWorkspace } from '../../scripts/harness/workspace.js'

const CHARTS = ['common', 'api', 'worker']
const REWRITTEN = ['Chart.yaml', 'Chart.lock', 'values.yaml']
const GIT_CONFIG = '[core]\n\trepositoryformatversion = 0\n[remote "origin"]\n\turl = https://github.com/sofatutor/x\n'

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  test('links at predictable temporary names redirect no write: .git/config stays, the files are rewritten', async () => {
    const workspace = await makeWorkspace({ charts: MONOREPO_CHARTS })
    try {
      const gitConfig = path.join(workspace.dir, '.git', 'config')
      await mkdir(path.dirname(gitConfig))
      await writeFile(gitConfig, GIT_CONFIG)
      // image-tag-path rewrites every chart's values file, so each needs the key.
      for (const chart of CHARTS) {
        const values = path.join(workspace.dir, 'charts', chart, 'values.yaml')
        await writeFile(values, `${await readFile(values, 'utf8').catch(() => '')}image:\n  tag: ""\n`)
      }
      const step = await startAction({
        workspace: workspace.dir,
        helm,
        github: { ref: 'refs/tags/v1.2.3' },
        inputs: { charts: 'charts/*', push: 'false', 'image-tag-path': 'image.tag' }
      })
      const planted = CHARTS.flatMap(chart =>
        REWRITTEN.map(file => path.join(workspace.dir, 'charts', chart, `.${file}.${step.child.pid}.tmp`))
      )
      await Promise.all(planted.map(link => symlink(gitConfig, link)))
      const result = await step.finish()
      expect(await readFile(gitConfig, 'utf8')).toBe(GIT_CONFIG)
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)

      for (const link of planted) expect(await readlink(link)).toBe(gitConfig)
      for (const chart of CHARTS) {
        const dir = path.join(workspace.dir, 'charts', chart)
        expect((await lstat(path.join(dir, 'Chart.yaml'))).isFile()).toBe(true)
        expect(await readFile(path.join(dir, 'Chart.yaml'), 'utf8')).toMatch(/^version: 1\.2\.3$/m)
        expect(await readFile(path.join(dir, 'values.yaml'), 'utf8')).toContain('image:\n  tag: "v1.2.3"\n')
      }
      // The in-repo dependency moved with the release, so the committed lock was rewritten in place too.
      const lock = path.join(workspace.dir, 'charts', 'api', 'Chart.lock')
      expect((await lstat(lock)).isFile()).toBe(true)
      expect(await readFile(lock, 'utf8')).toMatch(/version: 1\.2\.3\ndigest: sha256:/)
    } finally {
      await workspace.remove()
    }
  })
})
