// The GitHub Release says and carries what the registry serves, whatever the changelog holds and however the runs
// before it went: re-runs leave the body byte for byte as it was, an overwrite names only the new digest, and the
// chart's assets are the registry's chart layer and, only while the registry serves one, its provenance. Real
// registry, real helm (both), a real gpg key, the loopback GitHub API.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startGitHubApi } from '../../scripts/harness/github-api.js'
import { startGnupg } from '../../scripts/harness/gpg.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { DEFAULT_GITHUB, runAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

const PROV_LAYER = 'application/vnd.cncf.helm.chart.provenance.v1.prov'
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

// An earlier release body pasted into the changelog, its section markers and all.
const PASTED = [
  '<!-- helm-release-action: changelog -->',
  'The notes of 1.2.2.',
  '<!-- /helm-release-action: changelog -->',
  '',
  '<!-- helm-release-action: charts -->',
  'Digest: `(the digest of 1.2.2)`',
  '<!-- /helm-release-action: charts -->',
  '',
  'Pasted from the release of 1.2.2.'
].join('\n')
const SECTION = ['### Fixed', '', '- The probes.', '', PASTED].join('\n')
const CHANGELOG = `# Changelog\n\n## [1.2.3] - 2026-11-26\n\n${SECTION}\n\n## [1.2.2] - 2026-10-02\n\n### Fixed\n\n- Typo.\n`

let gnupg: Awaited<ReturnType<typeof startGnupg>>
let signingKey: string
beforeAll(async () => {
  gnupg = await startGnupg()
  signingKey = await gnupg.exportSecret(await gnupg.generate({ name: 'Release Signer', length: 2048 }))
}, 60_000)
afterAll(async () => gnupg?.stop())

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  let api: Awaited<ReturnType<typeof startGitHubApi>>
  beforeAll(async () => {
    registry = await startRegistry()
  })
  afterAll(async () => registry?.stop())
  // A repository of its own for each test: both release v1.2.3.
  beforeEach(async () => {
    api = await startGitHubApi({ token: DEFAULT_GITHUB.token })
  })
  afterEach(async () => api?.stop())

  /** A run on a fresh checkout of the example chart; `description` changes the chart, so its package and digest. */
  const release = async (namespace: string, inputs: Record<string, string>, description?: string) => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      await writeFile(path.join(workspace.dir, 'CHANGELOG.md'), CHANGELOG)
      if (description) {
        const file = path.join(workspace.dir, 'chart', 'Chart.yaml')
        await writeFile(
          file,
          (await readFile(file, 'utf8')).replace(/^description: .*$/m, `description: ${description}`)
        )
      }
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        github: { ref: 'refs/tags/v1.2.3', repository: 'sofatutor/llm-proxy' },
        inputs: { chart: 'chart', ...registry.inputs(namespace), 'create-release': 'true', ...inputs },
        env: { GITHUB_API_URL: api.apiUrl }
      })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      return result
    } finally {
      await workspace.remove()
    }
  }
  const releaseOf = () => api.releases[0]

  test('markers in the changelog end no section: re-runs keep the body byte for byte, an overwrite names only the new digest', async () => {
    const body = (digest: string) =>
      [
        '<!-- helm-release-action: changelog -->',
        SECTION.replaceAll('<!-- helm-release-action:', '<!-- helm-release-action (quoted):').replaceAll(
          '<!-- /helm-release-action:',
          '<!-- /helm-release-action (quoted):'
        ),
        '<!-- /helm-release-action: changelog -->',
        '',
        '<!-- helm-release-action: charts -->',
        '```shell',
        `helm install llm-proxy oci://${registry.host}/markers/llm-proxy --version 1.2.3`,
        '```',
        '',
        `Chart: \`${registry.host}/markers/llm-proxy:1.2.3\``,
        `Digest: \`${digest}\``,
        '<!-- /helm-release-action: charts -->',
        '',
        "## What's Changed",
        '* Ship it by @dev',
        ''
      ].join('\n')

    await release('markers', {})
    const first = releaseOf().body
    const digest = (await registry.manifestDigest('markers/llm-proxy', '1.2.3'))!
    for (let run = 2; run <= 3; run++) {
      await release('markers', { 'if-exists': 'skip' })
      expect({ run, body: releaseOf().body }).toEqual({ run, body: first })
    }

    await release('markers', { 'if-exists': 'overwrite' }, 'The chart, changed')
    const served = (await registry.manifestDigest('markers/llm-proxy', '1.2.3'))!
    expect(served).not.toBe(digest)
    const after = releaseOf().body
    expect([...(after ?? '').matchAll(/sha256:[0-9a-f]{64}/g)].map(([named]) => named)).toEqual([served])
    // The changelog's text stays as it was, but for its markers, which no longer read as the action's.
    expect(first).toBe(body(digest))
    expect(after).toBe(body(served))
  })

  test('the assets are what the registry serves: its .prov while it serves one, none after an unsigned overwrite', async () => {
    const other = { name: 'llm-proxy.spdx.json', bytes: Buffer.from('{"spdxVersion":"SPDX-2.3"}') }
    api.addRelease({ tag_name: 'v1.2.3', name: 'v1.2.3', body: 'Made by hand.', assets: [other] })
    const assets = () =>
      releaseOf()
        .assets.map(asset => ({ name: asset.name, digest: asset.digest }))
        .sort((a, b) => a.name.localeCompare(b.name))
    /** The registry's chart and provenance layers as assets, beside the asset that is not the action's. */
    const served = async () => {
      const chart = (await registry.chartLayer('assets/llm-proxy', '1.2.3'))!
      const prov = await registry.layer('assets/llm-proxy', '1.2.3', PROV_LAYER)
      return [
        { name: 'llm-proxy-1.2.3.tgz', digest: `sha256:${sha256(chart)}` },
        ...(prov ? [{ name: 'llm-proxy-1.2.3.tgz.prov', digest: `sha256:${sha256(prov)}` }] : []),
        { name: other.name, digest: `sha256:${sha256(other.bytes)}` }
      ]
    }

    await release('assets', { 'signing-key': signingKey })
    expect(assets().map(asset => asset.name)).toEqual([
      'llm-proxy-1.2.3.tgz',
      'llm-proxy-1.2.3.tgz.prov',
      'llm-proxy.spdx.json'
    ])
    expect(assets()).toEqual(await served())

    // Unsigned, and the registry keeps its signed chart: its provenance stays attached.
    await release('assets', { 'if-exists': 'skip' })
    expect(await registry.layer('assets/llm-proxy', '1.2.3', PROV_LAYER)).toBeDefined()
    expect(assets()).toEqual(await served())

    // Unsigned, and the registry now serves another chart without provenance: the old .prov goes.
    await release('assets', { 'if-exists': 'overwrite' }, 'The chart, changed')
    expect(await registry.layer('assets/llm-proxy', '1.2.3', PROV_LAYER)).toBeUndefined()
    expect(assets()).toEqual(await served())
  })
})
