// CHANGELOG.md and Artifact Hub through the bundle of today's src/, on a real registry and the loopback GitHub
// API: the released version's section leads the GitHub Release and becomes artifacthub.io/changes in the
// pushed chart, with the image and prerelease annotations beside it; a section that does not parse stops the
// run before anything is written or pushed; an entry's text steers neither the runner nor the YAML.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'yaml'
import { startGitHubApi } from '../../scripts/harness/github-api.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { DEFAULT_GITHUB, runAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { commandTexts } from '../../scripts/harness/workflow-commands.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

const SECTION = [
  'The admin UI gets an ingress of its own.',
  '',
  '### Added',
  '',
  '- `adminIngress` values for a second ingress ([#120]).',
  '- ::error title=INJECTED::INJECTED-error',
  '  ::add-mask::INJECTED-mask',
  '',
  '### Fixed',
  '',
  '- "key: value" # stays one string ([report](https://github.com/sofatutor/llm-proxy/issues/117)).'
].join('\n')

const CHANGELOG = [
  '# Changelog',
  '',
  '## [Unreleased]',
  '',
  '### Added',
  '',
  '- Not yet released.',
  '',
  '## [1.2.3] - 2026-11-26',
  '',
  SECTION,
  '',
  '## [1.2.2] - 2026-10-02',
  '',
  '### Fixed',
  '',
  '- Typo.',
  '',
  '[1.2.3]: https://github.com/sofatutor/llm-proxy/compare/v1.2.2...v1.2.3',
  '[#120]: https://github.com/sofatutor/llm-proxy/pull/120',
  ''
].join('\n')

const CHANGES = [
  {
    kind: 'added',
    description: '`adminIngress` values for a second ingress (#120).',
    links: [{ name: '#120', url: 'https://github.com/sofatutor/llm-proxy/pull/120' }]
  },
  { kind: 'added', description: '::error title=INJECTED::INJECTED-error ::add-mask::INJECTED-mask' },
  {
    kind: 'fixed',
    description: '"key: value" # stays one string (report).',
    links: [{ name: 'report', url: 'https://github.com/sofatutor/llm-proxy/issues/117' }]
  }
]

const injected = (command: Parameters<typeof commandTexts>[0]) =>
  commandTexts(command).some(text => text.includes('INJECTED'))

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  let api: Awaited<ReturnType<typeof startGitHubApi>>
  beforeAll(async () => {
    registry = await startRegistry()
    api = await startGitHubApi({ token: DEFAULT_GITHUB.token })
  })
  afterAll(async () => {
    await registry?.stop()
    await api?.stop()
  })

  /** Releases the example chart from `tag` with a CHANGELOG.md at the workspace root; returns the run and Chart.yaml after it. */
  const release = async (namespace: string, tag: string, changelog: string, extra: Record<string, string> = {}) => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      await writeFile(path.join(workspace.dir, 'CHANGELOG.md'), changelog)
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        github: { ref: `refs/tags/${tag}`, repository: 'sofatutor/llm-proxy' },
        inputs: { chart: 'chart', ...registry.inputs(namespace), ...extra },
        env: { GITHUB_API_URL: api.apiUrl }
      })
      return { result, chartYaml: await readFile(path.join(workspace.dir, 'chart', 'Chart.yaml'), 'utf8') }
    } finally {
      await workspace.remove()
    }
  }
  const annotationsOf = async (namespace: string, version: string) =>
    ((await registry.chartConfig(`${namespace}/llm-proxy`, version)) as { annotations?: Record<string, string> })
      .annotations ?? {}

  test('the section leads the GitHub Release and is the pushed chart’s artifacthub.io/changes; the image beside it', async () => {
    const { result } = await release('notes', 'v1.2.3', CHANGELOG, {
      'create-release': 'true',
      image: 'ghcr.io/sofatutor/llm-proxy'
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)

    const annotations = await annotationsOf('notes', '1.2.3')
    expect(parse(annotations['artifacthub.io/changes'])).toEqual(CHANGES)
    expect(parse(annotations['artifacthub.io/images'])).toEqual([
      { name: 'llm-proxy', image: 'ghcr.io/sofatutor/llm-proxy:v1.2.3' }
    ])
    expect(annotations['artifacthub.io/prerelease']).toBeUndefined()
    expect(annotations['artifacthub.io/signKey']).toBeUndefined()

    const [made] = api.releases
    expect(made.body).toBe(
      [
        '<!-- helm-release-action: changelog -->',
        SECTION,
        '',
        '[#120]: https://github.com/sofatutor/llm-proxy/pull/120',
        '<!-- /helm-release-action: changelog -->',
        '',
        '<!-- helm-release-action: charts -->',
        '```shell',
        `helm install llm-proxy oci://${registry.host}/notes/llm-proxy --version 1.2.3`,
        '```',
        '',
        `Chart: \`${registry.host}/notes/llm-proxy:1.2.3\``,
        `Digest: \`${result.outputs.digest}\``,
        '<!-- /helm-release-action: charts -->',
        '',
        "## What's Changed",
        '* Ship it by @dev',
        ''
      ].join('\n')
    )
    expect(result.stdout).toContain(`CHANGELOG.md line 9: the section for 1.2.3, 3 change(s).`)

    // The entry's workflow commands reached the log as text only.
    for (const stream of [...result.commands, ...result.postCommands]) {
      expect(stream.commands.filter(injected)).toEqual([])
      expect(stream.masks).not.toContain('INJECTED-mask')
      expect(stream.stoppedAtEnd).toBe(false)
    }
  })

  test('a prerelease is marked so for Artifact Hub; a chart’s own annotation stays', async () => {
    const own = 'artifacthub.io/changes: |\n    - Written by hand\n'
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      const chartFile = path.join(workspace.dir, 'chart', 'Chart.yaml')
      await writeFile(chartFile, `${await readFile(chartFile, 'utf8')}annotations:\n  ${own}`)
      await writeFile(path.join(workspace.dir, 'CHANGELOG.md'), CHANGELOG.replace('[1.2.3]', '[1.3.0-rc.1]'))
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        github: { ref: 'refs/tags/v1.3.0-rc.1' },
        inputs: { chart: 'chart', ...registry.inputs('prerelease') }
      })
      expect(result.code).toBe(0)
    } finally {
      await workspace.remove()
    }
    const annotations = await annotationsOf('prerelease', '1.3.0-rc.1')
    expect(annotations['artifacthub.io/prerelease']).toBe('true')
    expect(annotations['artifacthub.io/changes']).toBe('- Written by hand\n')
    expect(annotations['artifacthub.io/images']).toBeUndefined()
  })

  test('a section that does not parse stops the run, naming the file and the line; nothing is written or pushed', async () => {
    const broken = CHANGELOG.replace('### Fixed', '### Improvements')
    const requests = api.requests.length
    const { result, chartYaml } = await release('broken', 'v1.2.3', broken, { 'create-release': 'true' })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /::error::\/.*\/CHANGELOG\.md line 19: "### Improvements" is not one of Keep a Changelog's kinds of change\. Use ### Added/
    )
    expect(chartYaml).toBe(await readFile(path.join(EXAMPLE_CHART, 'Chart.yaml'), 'utf8'))
    expect(await registry.tags('broken/llm-proxy')).toEqual([])
    expect(api.requests).toHaveLength(requests)
  })
})
