// Walks the table of input checks in docs/input-checks.md: every bad input is refused with its message, before
// any file changes (the chart, the run's temp dir) and before any registry call (a proxy in front of the
// registry records every request, and must record none). A row with `files` plants them in the workspace
// first (a chart's content from a pull request); no row's run may show the marker the files outside the
// workspace hold.
// Every row runs once, with no helm on PATH: the action looks for helm beside the planning and needs it only
// after every check here, so a refusal that came any later would say "helm was not found" instead. Which helm
// a runner has cannot change these refusals; the release tests run on each helm.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startFaultProxy } from '../../scripts/harness/fault-proxy.js'
import { INPUT_CHECKS_DOC, inputCheckCells, inputChecksTableCells, readInputChecks } from '../../scripts/readme.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { runAction } from '../../scripts/harness/runner.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

/**
 * A file to plant at a path of the workspace; `{outside}` in a symlink or text stands for a directory outside
 * the workspace, `{n}` in the path and text for 1 to `times`.
 */
interface PlantedFile {
  text?: string
  /** Written one byte per character, as an editor saves Latin-1. */
  latin1?: string
  /** The text with a YAML comment after it that makes the file this many bytes. */
  padTo?: number
  symlink?: string
  times?: number
}

interface InputCheck {
  input: string
  value?: string
  shown?: string
  message: string
  symlinkOut?: boolean
  /** Other inputs without which the check does not apply. */
  with?: Record<string, string>
  files?: Record<string, PlantedFile>
}

const checks: InputCheck[] = await readInputChecks()
const MARKER = 'OUTSIDE-THE-WORKSPACE-8d2b4a'

/** A file's SHA-256: jest takes many seconds to compare two 5 MiB Buffers byte by byte. */
const digestOf = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex')

async function plant(workspace: string, outside: string, files: Record<string, PlantedFile>): Promise<void> {
  for (const [file, spec] of Object.entries(files)) {
    for (let n = 1; n <= (spec.times ?? 1); n++) {
      const fill = (text: string) => text.replaceAll('{outside}', outside).replaceAll('{n}', String(n))
      const at = path.join(workspace, fill(file))
      await mkdir(path.dirname(at), { recursive: true })
      await rm(at, { force: true })
      if (spec.symlink !== undefined) {
        await symlink(fill(spec.symlink), at)
        continue
      }
      let text = fill(spec.text ?? '')
      if (spec.padTo) text += `#${'x'.repeat(spec.padTo - text.length - 2)}\n`
      await writeFile(at, spec.latin1 === undefined ? Buffer.from(text) : Buffer.from(fill(spec.latin1), 'latin1'))
    }
  }
}

test('docs/input-checks.md shows exactly the table the tests walk', async () => {
  expect(inputChecksTableCells(await readFile(INPUT_CHECKS_DOC, 'utf8'))).toEqual(checks.map(inputCheckCells))
})

describe('refused before touching anything, with no helm', () => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>
  let outside: string
  beforeAll(async () => {
    registry = await startRegistry()
    proxy = await startFaultProxy(registry.host)
    outside = await mkdtemp(path.join(os.tmpdir(), 'outside-'))
    await mkdir(path.join(outside, 'chart'))
    await writeFile(path.join(outside, 'notes.txt'), `# ${MARKER}\n`)
    await writeFile(
      path.join(outside, 'chart', 'Chart.yaml'),
      `apiVersion: v2\nname: machine\nversion: 0.1.0\ndescription: ${MARKER}\n`
    )
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
        const valuesFile = path.join(workspace.dir, 'chart', 'values.yaml')
        if (check.input === 'Chart.yaml' && check.value !== undefined) await writeFile(chartFile, check.value)
        if (check.symlinkOut) await symlink(outside, path.join(workspace.dir, check.value!))
        await plant(workspace.dir, outside, check.files ?? {})
        // Bytes, not text: a file rewritten with U+FFFD in place of its bad bytes must count as changed.
        const before = await Promise.all([chartFile, valuesFile].map(digestOf))
        proxy.inject()

        const inputs: Record<string, string> = {
          chart: 'chart',
          ...registry.inputs('checks', proxy.host),
          ...check.with
        }
        if (check.input !== 'Chart.yaml' && check.value !== undefined) inputs[check.input] = check.value
        const result = await runAction({ workspace: workspace.dir, helm: null, inputs })

        expect(result.code).toBe(1)
        const error = result.stdout.split('\n').find((line: string) => line.startsWith('::error::')) ?? ''
        let from = 0
        for (const fragment of check.message.split('…')) {
          const at = error.indexOf(fragment, from)
          if (at === -1) expect(error.slice(from)).toContain(fragment)
          from = at + fragment.length
        }
        expect(await Promise.all([chartFile, valuesFile].map(digestOf))).toEqual(before)
        expect(result.everything).not.toContain(MARKER)
        expect(await readdir(result.runnerTemp)).toEqual([])
        expect(proxy.requests).toEqual([])
        expect(result.post?.code).toBe(0)
      } finally {
        await workspace.remove()
      }
    }
  )
})
