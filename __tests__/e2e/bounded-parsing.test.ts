// Untrusted text is parsed in bounded time and depth: a changelog whose old sections would keep a Markdown parser
// busy for minutes costs the dry run of a pull request nothing (and no helm call is then said to have timed out),
// the released section has a size limit, and nesting past the limits (Markdown quotes, YAML flow collections in
// Chart.yaml, the values file or a rendered template) is refused naming the file or template and the line,
// instead of overflowing the stack. Bundle of today's src/, real helm (both).
import { describe, expect, test } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { runAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

const changelog = (released: string, older = '- Typo.') =>
  `# Changelog\n\n## [1.2.3] - 2026-11-26\n\n${released}\n\n## [1.2.2] - 2026-10-02\n\n### Fixed\n\n${older}\n`
const FIXED = '### Fixed\n\n- The probes.'
const deepFlow = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  /** A pull request's dry run of tag v1.2.3 on the example chart, after `prepare` wrote its files. */
  const dryRun = async (prepare: (dir: string) => Promise<void>, inputs: Record<string, string> = {}) => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    const started = Date.now()
    try {
      await prepare(workspace.dir)
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        github: { ref: 'refs/tags/v1.2.3' },
        inputs: { chart: 'chart', push: 'false', ...inputs }
      })
      return { ...result, dir: workspace.dir, seconds: (Date.now() - started) / 1000 }
    } finally {
      await workspace.remove()
    }
  }
  const append = async (file: string, text: string) => writeFile(file, `${await readFile(file, 'utf8')}${text}`)

  test('an old section that would keep marked busy for minutes costs nothing, and no helm call times out', async () => {
    // 400 KB of `_a`: marked's emphasis rules took 75 s over it, holding the event loop past helm's time limit.
    const result = await dryRun(
      dir => writeFile(path.join(dir, 'CHANGELOG.md'), changelog(FIXED, `- ${'_a'.repeat(200_000)}`)),
      { timeout: '10s' }
    )
    expect(result.stdout).not.toContain('did not finish within')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('/CHANGELOG.md line 3: the section for 1.2.3, 1 change(s).')
    expect(result.seconds).toBeLessThan(30)
  })

  test('a released section over the size limit is refused, naming the file and the limit', async () => {
    const entries = Array.from({ length: 700 }, (_, index) => `- Entry ${index}: ${'x'.repeat(90)}`).join('\n')
    const result = await dryRun(dir => writeFile(path.join(dir, 'CHANGELOG.md'), changelog(`### Fixed\n\n${entries}`)))
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /::error::\/\S+\/CHANGELOG\.md line 3: the section for 1\.2\.3 is \d+ bytes with the link definitions it uses, more than the 65536 \(64 KiB\) the action reads of one section\./
    )
  })

  test.each([
    [
      'quotes in the changelog, 20,000 deep',
      (dir: string) => writeFile(path.join(dir, 'CHANGELOG.md'), changelog(`${FIXED}\n\n${'> '.repeat(20_000)}deep`)),
      {},
      /::error::\/\S+\/CHANGELOG\.md line 9: the section for 1\.2\.3 nests quotes and lists deeper than 64 levels/
    ],
    [
      'a flow collection in Chart.yaml, 5,000 deep',
      (dir: string) => append(path.join(dir, 'chart', 'Chart.yaml'), `x-deep: ${deepFlow(5000)}\n`),
      {},
      /::error::\/\S+\/chart\/Chart\.yaml line 20: YAML nested deeper than 200 levels, and the action reads no deeper\./
    ],
    [
      'a flow collection in the values file the image tag goes into, 5,000 deep',
      (dir: string) => append(path.join(dir, 'chart', 'values.yaml'), `x-deep: ${deepFlow(5000)}\n`),
      { 'image-tag-path': 'image.tag' },
      /::error::\/\S+\/chart\/values\.yaml line \d+: YAML nested deeper than 200 levels, and the action reads no deeper\./
    ],
    [
      'a flow collection a template renders, 5,000 deep',
      (dir: string) =>
        writeFile(
          path.join(dir, 'chart', 'templates', 'deep.yaml'),
          `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: {{ repeat 5000 "[" }}{{ repeat 5000 "]" }}\n`
        ),
      { 'kube-version': '1.31' },
      /"templates\/deep\.yaml" renders a document nested deeper than 200 levels \(line \d+ of helm template's output\)/
    ]
  ])('nesting past the limit is refused with the file and line: %s', async (_case, prepare, inputs, message) => {
    const result = await dryRun(prepare, inputs)
    expect(result.stdout).not.toContain('Maximum call stack size exceeded')
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(message)
  })
})
