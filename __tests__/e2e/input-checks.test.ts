// Walks the table of input checks in docs/input-checks.md: every bad input is refused with its message, before
// any file changes (the chart, the run's temp dir) and before any registry call (a proxy in front of the
// registry records every request, and must record none).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startFaultProxy } from '../../scripts/harness/fault-proxy.js'
import { INPUT_CHECKS_DOC, inputCheckCells, inputChecksTableCells, readInputChecks } from '../../scripts/readme.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { runAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

interface InputCheck {
  input: string
  value: string
  shown?: string
  message: string
  symlinkOut?: boolean
  /** Other inputs without which the check does not apply. */
  with?: Record<string, string>
}

const checks: InputCheck[] = await readInputChecks()

test('docs/input-checks.md shows exactly the table the tests walk', async () => {
  expect(inputChecksTableCells(await readFile(INPUT_CHECKS_DOC, 'utf8'))).toEqual(checks.map(inputCheckCells))
})

describe.each(HELM_VERSIONS)('Helm %s refuses, before touching anything', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>
  let outside: string
  beforeAll(async () => {
    registry = await startRegistry()
    proxy = await startFaultProxy(registry.host)
    outside = await mkdtemp(path.join(os.tmpdir(), 'outside-'))
  })
  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
    await rm(outside, { recursive: true, force: true })
  })

  test.each(checks.map(check => [check.input, JSON.stringify(check.shown ?? check.value), check] as const))(
    '%s %s',
    async (_input, _shown, check) => {
      const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
      try {
        const chartFile = path.join(workspace.dir, 'chart', 'Chart.yaml')
        if (check.input === 'Chart.yaml') await writeFile(chartFile, check.value)
        if (check.symlinkOut) await symlink(outside, path.join(workspace.dir, check.value))
        const before = await readFile(chartFile, 'utf8')
        proxy.inject()

        const inputs: Record<string, string> = {
          chart: 'chart',
          ...registry.inputs('checks', proxy.host)
        }
        if (check.input !== 'Chart.yaml') Object.assign(inputs, check.with, { [check.input]: check.value })
        const result = await runAction({ workspace: workspace.dir, helm, inputs })

        expect(result.code).toBe(1)
        const error = result.stdout.split('\n').find((line: string) => line.startsWith('::error::')) ?? ''
        let from = 0
        for (const fragment of check.message.split('…')) {
          const at = error.indexOf(fragment, from)
          if (at === -1) expect(error.slice(from)).toContain(fragment)
          from = at + fragment.length
        }
        expect(await readFile(chartFile, 'utf8')).toBe(before)
        expect(await readdir(result.runnerTemp)).toEqual([])
        expect(proxy.requests).toEqual([])
        expect(result.post?.code).toBe(0)
      } finally {
        await workspace.remove()
      }
    }
  )
})
