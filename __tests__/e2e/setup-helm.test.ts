// Helm where there is none: the action installs the requested release from a mirror (a loopback server serving
// archives built here from the npm-shipped binaries), checks its .sha256sum and caches it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { startRegistry } from '../../scripts/harness/registry.js'
import { runAction } from '../../scripts/harness/runner.js'
import { serveDirectory } from '../../scripts/harness/static-server.js'
import { HELM_VERSIONS, helmDir } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'
import { helmArchive } from '../../src/helm/install.js'

const run = promisify(execFile)

/**
 * A mirror laid out like get.helm.sh for one release; `checksum` overrides the one written beside the archive.
 * With `calls`, its helm is a script that appends each call's first argument there, then runs the real one.
 */
async function makeMirror(version: string, checksum?: string, calls?: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'helm-mirror-'))
  const archive = helmArchive(version, 'http://unused', process.platform, process.arch)
  const stage = path.join(dir, 'stage')
  await mkdir(path.join(stage, path.dirname(archive.binary)), { recursive: true })
  const real = path.join(helmDir(version), 'helm')
  if (calls) {
    const script = `#!/bin/sh\necho "$1" >> '${calls}'\nexec '${real}' "$@"\n`
    await writeFile(path.join(stage, archive.binary), script, { mode: 0o755 })
  } else {
    await copyFile(real, path.join(stage, archive.binary))
  }
  await run('tar', ['-czf', path.join(dir, archive.name), '-C', stage, path.dirname(archive.binary)])
  const actual = createHash('sha256')
    .update(await readFile(path.join(dir, archive.name)))
    .digest('hex')
  await writeFile(path.join(dir, `${archive.name}.sha256sum`), `${checksum ?? actual}  ${archive.name}\n`)
  await rm(stage, { recursive: true })
  return dir
}

describe.each(HELM_VERSIONS)('helm-version %s', version => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  beforeAll(async () => {
    registry = await startRegistry()
  })
  afterAll(async () => registry?.stop())

  const release = async (
    namespace: string,
    mirror: string | undefined,
    helmVersion = version,
    env: Record<string, string> = {}
  ) => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      const result = await runAction({
        workspace: workspace.dir,
        helm: null,
        env,
        inputs: {
          chart: 'chart',
          ...registry.inputs(namespace),
          ...(mirror ? { 'helm-version': helmVersion, 'helm-mirror': mirror } : {})
        }
      })
      return { ...result, chartYaml: await readFile(path.join(workspace.dir, 'chart', 'Chart.yaml'), 'utf8') }
    } finally {
      await workspace.remove()
    }
  }

  test('is downloaded, checked against its .sha256sum, cached, put on PATH and used, without asking its version', async () => {
    const calls = path.join(os.tmpdir(), `helm-calls-${process.pid}-${version}`)
    const dir = await makeMirror(version, undefined, calls)
    const server = await serveDirectory(dir)
    try {
      const result = await release('installed', server.url)
      expect(result.code).toBe(0)
      const archive = helmArchive(version, server.url, process.platform, process.arch)
      expect(server.requests.sort()).toEqual([`/${archive.name}`, `/${archive.name}.sha256sum`])
      expect(result.stdout).toContain(`::group::Install Helm ${version}`)
      expect(result.stdout).toContain(`${archive.url}: SHA-256 `)
      const cached = path.join(result.toolCache, 'helm', version, process.arch)
      expect(existsSync(path.join(cached, 'helm'))).toBe(true)
      expect(result.stdout).toContain(`::add-path::${cached}`)
      expect(result.stdout).toContain(`helm v${version} retries HTTP 429`)
      expect(result.outputs.digest).toBe(await registry.manifestDigest('installed/llm-proxy', '1.2.3'))
      // The archive matched its checksum, so the version is the one asked for: helm only lints, packages and pushes.
      expect((await readFile(calls, 'utf8')).split('\n').filter(Boolean).sort()).toEqual(['lint', 'package', 'push'])
    } finally {
      await server.stop()
      await rm(dir, { recursive: true, force: true })
      await rm(calls, { force: true })
    }
  })

  test('comes from the tool cache on the next run, without a download', async () => {
    const dir = await makeMirror(version)
    const server = await serveDirectory(dir)
    const toolCache = await mkdtemp(path.join(os.tmpdir(), 'tool-cache-'))
    try {
      const env = { RUNNER_TOOL_CACHE: toolCache }
      expect((await release('cached-1', server.url, version, env)).code).toBe(0)
      expect(server.requests).toHaveLength(2)
      const again = await release('cached-2', server.url, version, env)
      expect(again.code).toBe(0)
      expect(server.requests).toHaveLength(2)
      expect(again.stdout).toContain(`Helm ${version} from the tool cache: ${path.join(toolCache, 'helm', version)}`)
    } finally {
      await server.stop()
      await rm(dir, { recursive: true, force: true })
      await rm(toolCache, { recursive: true, force: true })
    }
  })

  test('with a wrong checksum is refused: nothing installed, changed or pushed', async () => {
    const dir = await makeMirror(version, 'ab'.repeat(32))
    const server = await serveDirectory(dir)
    try {
      const result = await release('bad-checksum', server.url)
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(
        new RegExp(
          `::error::${server.url}/helm-v${version}-[a-z0-9-]+\\.(tar\\.gz|zip) has SHA-256 [0-9a-f]{64}, but .*\\.sha256sum says ${'ab'.repeat(32)}\\. Helm was not installed`
        )
      )
      expect(existsSync(path.join(result.toolCache, 'helm'))).toBe(false)
      expect(result.helmHomesLeft).toEqual([])
      expect(result.chartYaml).toContain('version: 0.1.0')
      expect(await registry.tags('bad-checksum/llm-proxy')).toEqual([])
    } finally {
      await server.stop()
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('that the mirror does not have is reported with the URL', async () => {
    const dir = await makeMirror(version)
    const server = await serveDirectory(dir)
    try {
      const result = await release('missing-release', server.url, '3.99.0')
      expect(result.code).toBe(1)
      // Archive and checksum are fetched side by side: either may be the one reported.
      expect(result.stdout).toContain(`Helm 3.99.0 from ${server.url}/helm-v3.99.0-`)
      expect(result.stdout).toMatch(/::error::Could not download (the checksum of )?Helm 3\.99\.0 from /)
      expect(result.stdout).toContain('Check inputs helm-version and helm-mirror.')
      expect(result.chartYaml).toContain('version: 0.1.0')
    } finally {
      await server.stop()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

test('no helm on PATH and no helm-version: its own message, nothing changed', async () => {
  const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
  try {
    const result = await runAction({
      workspace: workspace.dir,
      helm: null,
      inputs: { chart: 'chart', registry: 'oci://127.0.0.1:1/none', 'plain-http': 'true' }
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      '::error::helm was not found on PATH. Set input helm-version (e.g. 4.2.4) to have the action install it, ' +
        'or install helm in an earlier step.'
    )
    expect(await readFile(path.join(workspace.dir, 'chart', 'Chart.yaml'), 'utf8')).toContain('version: 0.1.0')
    expect(result.post?.code).toBe(0)
  } finally {
    await workspace.remove()
  }
})
