// The outputs the Docker step of the same tag is fed from, run through the bundle of today’s src/ in a real git
// repository with older tags, and the chart's default image tag in values.yaml, pushed to a real registry. Every
// test makes the repository it releases from, with the history it needs.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { commitAndTag, git, initRepository, shallowCheckout } from '../../scripts/harness/git.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { runAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS, ROOT } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

const IMAGE = 'ghcr.io/sofatutor/llm-proxy'
const goldenValues = path.join(ROOT, '__tests__', '__fixtures__', 'values-yaml', 'llm-proxy', 'expected.yaml')

/** The llm-proxy repository's releases before the ones the tests make. */
const OLDER_TAGS = ['v0.1.0', 'v0.9.0', 'v0.9.1-beta.1']

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  const workspaces: Awaited<ReturnType<typeof makeWorkspace>>[] = []

  beforeAll(async () => {
    registry = await startRegistry()
  })
  afterAll(async () => registry?.stop())
  afterEach(async () => {
    await Promise.all(workspaces.splice(0).map(workspace => workspace.remove()))
  })

  /**
   * A repository of the test's own holding the chart, with the older releases and then `tags` tagged, each on a
   * commit of its own; the commit SHA of each tag.
   */
  const repository = async (...tags: string[]) => {
    const workspace = await makeWorkspace({ 'deploy/helm/llm-proxy': EXAMPLE_CHART })
    workspaces.push(workspace)
    await initRepository(workspace.dir)
    const shas: Record<string, string> = {}
    for (const tag of [...OLDER_TAGS, ...tags]) shas[tag] = await commitAndTag(workspace.dir, tag)
    return { dir: workspace.dir, shas }
  }
  type Repository = Awaited<ReturnType<typeof repository>>

  const release = (repo: Repository, tag: string, extra: Record<string, string> = {}) =>
    runAction({
      workspace: repo.dir,
      helm,
      github: { ref: `refs/tags/${tag}`, sha: repo.shas[tag] },
      inputs: {
        chart: 'deploy/helm/llm-proxy',
        registry: `oci://${registry.host}/sofatutor`,
        username: registry.username,
        password: registry.password,
        'plain-http': 'true',
        image: IMAGE,
        ...extra
      }
    })
  const short = (repo: Repository, tag: string) => `sha-${repo.shas[tag].slice(0, 7)}`

  test.each([
    ['v1.0.0', ['v1.0.0', '1.0', 'sha', 'latest']],
    ['v1.2.3', ['v1.2.3', '1.2', 'sha', 'latest']],
    ['v2.0.0-rc.1', ['v2.0.0-rc.1', 'sha']]
  ])('tag %s, pushed after the older ones, gets exactly %j', async (tag, expected) => {
    const repo = await repository(tag)
    const result = await release(repo, tag, { registry: `oci://${registry.host}/tag-${tag}` })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const lines = expected.map(name => `${IMAGE}:${name === 'sha' ? short(repo, tag) : name}`)
    expect(result.outputs['docker-tags']).toBe(lines.join('\n'))
    expect(result.outputs['sha-short']).toBe(short(repo, tag))
    expect(result.outputs['is-latest']).toBe(String(expected.includes('latest')))
    expect(result.outputs['docker-labels']).toBe(
      [
        `org.opencontainers.image.version=${tag}`,
        `org.opencontainers.image.revision=${repo.shas[tag]}`,
        'org.opencontainers.image.source=https://github.com/SofaTutor/llm-proxy'
      ].join('\n')
    )
    // The one warning every password push on the tested helm versions gets is no concern of the image's.
    const warnings: string[] = result.stdout.split('\n').filter((line: string) => line.startsWith('::warning::'))
    expect(warnings.filter(line => !line.includes('GHSA-jxpm-75mh-9fp7'))).toEqual([])
  })

  test('an older tag rebuilt after v1.2.3 no longer gets latest', async () => {
    const repo = await repository('v1.0.0', 'v1.2.3')
    const result = await release(repo, 'v1.0.0', { push: 'false' })
    expect(result.code).toBe(0)
    expect(result.outputs['docker-tags']).toBe(
      [`${IMAGE}:v1.0.0`, `${IMAGE}:1.0`, `${IMAGE}:${short(repo, 'v1.0.0')}`].join('\n')
    )
    expect(result.outputs['is-latest']).toBe('false')
  })

  test('values.yaml carries v1.2.3 with its comments, in the pushed chart too', async () => {
    const repo = await repository('v1.2.3')
    const result = await release(repo, 'v1.2.3', {
      registry: `oci://${registry.host}/values`,
      'image-tag-path': 'image.tag'
    })
    expect(result.code).toBe(0)
    const written = await readFile(path.join(repo.dir, 'deploy/helm/llm-proxy/values.yaml'), 'utf8')
    expect(written).toBe(await readFile(goldenValues, 'utf8'))
    expect(written).toContain('# Empty means the chart')

    const layer = await registry.chartLayer('values/llm-proxy', '1.2.3')
    const tar = spawnSync('tar', ['-xzO', '-f', '-', 'llm-proxy/values.yaml'], { input: layer })
    expect(tar.stdout.toString()).toBe(written)
    expect(result.stdout).toContain('values.yaml: image.tag v1.2.3')
  })

  test('image-tag is a template: {{version}}-{{sha}}', async () => {
    const repo = await repository('v1.2.3')
    const result = await release(repo, 'v1.2.3', {
      push: 'false',
      'image-tag-path': 'image.tag',
      'image-tag': '{{version}}-{{sha}}'
    })
    expect(result.code).toBe(0)
    const written = await readFile(path.join(repo.dir, 'deploy/helm/llm-proxy/values.yaml'), 'utf8')
    expect(written).toContain(`  tag: "1.2.3-${repo.shas['v1.2.3'].slice(0, 7)}"\n`)
  })

  test.each([
    [{ 'image-tag-path': 'image.digest' }, 'values.yaml has no image.digest (input image-tag-path "image.digest")'],
    [
      { 'image-tag-path': 'image.tag', 'values-file': 'values-prod.yaml' },
      'Input values-file "values-prod.yaml": file'
    ],
    [{ 'image-tag-path': 'image.tag', 'image-tag': '{{tag}}-{{commit}}' }, 'uses the unknown placeholder {{commit}}'],
    [{ image: 'ghcr.io/sofatutor/llm-proxy:v1' }, 'Input image "ghcr.io/sofatutor/llm-proxy:v1" carries a tag']
  ])('%j fails before any file changes or anything is pushed', async (extra, message) => {
    const repo = await repository('v1.2.3')
    const result = await release(repo, 'v1.2.3', { registry: `oci://${registry.host}/refused`, ...extra })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`::error::`)
    expect(result.stdout).toContain(message)
    // The repository is the test's own: git sees no change to Chart.yaml or values.yaml.
    expect(await git(repo.dir, 'status', '--porcelain')).toBe('')
    expect(await registry.tags('refused/llm-proxy')).toEqual([])
  })

  describe('a push to a branch (no tag, push: false)', () => {
    let eventDir: string
    beforeAll(async () => {
      eventDir = await mkdtemp(path.join(os.tmpdir(), 'event-'))
      await writeFile(path.join(eventDir, 'push.json'), JSON.stringify({ repository: { default_branch: 'main' } }))
    })
    afterAll(() => rm(eventDir, { recursive: true, force: true }))

    test.each([
      ['refs/heads/main', ['sha', 'latest']],
      ['refs/heads/feature/x', ['sha']]
    ])('%s gets %j and empty version outputs', async (ref, expected) => {
      const repo = await repository()
      const sha = await git(repo.dir, 'rev-parse', 'HEAD')
      const result = await runAction({
        workspace: repo.dir,
        helm,
        github: { ref, sha },
        inputs: { chart: 'deploy/helm/llm-proxy', push: 'false', image: IMAGE },
        env: { GITHUB_EVENT_PATH: path.join(eventDir, 'push.json') }
      })
      expect(result.code).toBe(0)
      const names = expected.map(name => (name === 'sha' ? `sha-${sha.slice(0, 7)}` : name))
      expect(result.outputs['docker-tags']).toBe(names.map(name => `${IMAGE}:${name}`).join('\n'))
      expect(result.outputs).toMatchObject({ version: '', tag: '', 'major-minor': '', 'chart-version': '0.1.0' })
    })
  })

  test('a shallow checkout with only its own tag warns and falls back to latest', async () => {
    const shallow = await mkdtemp(path.join(os.tmpdir(), 'shallow-'))
    try {
      const repo = await repository('v1.0.0')
      await shallowCheckout(repo.dir, shallow, 'v1.0.0')
      const result = await runAction({
        workspace: shallow,
        helm,
        github: { ref: 'refs/tags/v1.0.0', sha: repo.shas['v1.0.0'] },
        inputs: { chart: 'deploy/helm/llm-proxy', push: 'false', image: IMAGE }
      })
      expect(result.code).toBe(0)
      expect(result.stdout).toContain(
        '::warning::Cannot tell whether v1.0.0 is the newest release: the checkout is shallow and holds no other v* tag.'
      )
      expect(result.outputs['docker-tags'].split('\n').at(-1)).toBe(`${IMAGE}:latest`)
    } finally {
      await rm(shallow, { recursive: true, force: true })
    }
  })
})
