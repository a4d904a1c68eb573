// Two fresh checkouts of one tag package to the same bytes on Helm 4: a checkout writes each file at its own
// time, and helm packages each file with its time, so the action gives them all one time first.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, realpath, rm, utimes } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { commitAndTag, git, initRepository, shallowCheckout } from '../../scripts/harness/git.js'
import { runAction } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { MONOREPO_CHARTS, makeWorkspace } from '../../scripts/harness/workspace.js'

const TAG = 'v1.2.3'
const NAMES = ['common', 'api', 'worker']

/** The name and modification time (seconds) of every entry of a .tgz, read off the tar headers. */
function entries(tgz: Buffer): { name: string; mtime: number }[] {
  const tar = gunzipSync(tgz)
  const result: { name: string; mtime: number }[] = []
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0; ) {
    const field = (start: number, length: number) =>
      tar.toString('latin1', at + start, at + start + length).replace(/\0[^]*$/, '')
    const size = parseInt(field(124, 12), 8)
    result.push({ name: field(0, 100), mtime: parseInt(field(136, 12), 8) })
    at += 512 + Math.ceil(size / 512) * 512
  }
  return result
}

/** Every file and directory below `dir` (but .git), set to `seconds` plus its place in the walk. */
async function touchAll(dir: string, seconds: number, counter = { next: 0 }): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === '.git') continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) await touchAll(full, seconds, counter)
    const time = seconds + counter.next++ * 97
    await utimes(full, time, time)
  }
  await utimes(dir, seconds, seconds)
}

let source: Awaited<ReturnType<typeof makeWorkspace>>
let sha: string
let committedAt: number
const checkouts: string[] = []
beforeAll(async () => {
  // charts/{common,api,worker}: api and worker depend on common through file://.
  source = await makeWorkspace({ charts: MONOREPO_CHARTS })
  await initRepository(source.dir)
  sha = await commitAndTag(source.dir, TAG)
  committedAt = Number(await git(source.dir, 'log', '-1', '--format=%ct'))
})
afterAll(async () => {
  await Promise.all([source?.remove(), ...checkouts.map(dir => rm(dir, { recursive: true, force: true }))])
})

/** A fresh checkout of the tag, as actions/checkout makes one, its files written at `seconds` and after. */
async function checkout(seconds: number): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'checkout-')))
  checkouts.push(dir)
  await shallowCheckout(source.dir, dir, TAG)
  await touchAll(dir, seconds)
  return dir
}

describe.each(HELM_VERSIONS)('Helm %s, charts/{common,api,worker} from tag v1.2.3', helm => {
  /** The run, and the packages it made in the order of the charts output. */
  const release = async (
    workspace: string,
    env: Record<string, string> = {},
    inputs: Record<string, string> = {}
  ): Promise<{
    code: number
    stdout: string
    outputs: Record<string, string>
    names: string[]
    packages: Buffer[]
  }> => {
    const result = await runAction({
      workspace,
      helm,
      github: { ref: `refs/tags/${TAG}`, sha },
      inputs: { charts: 'charts/*', registry: 'oci://127.0.0.1:1/reproducible', push: 'false', ...inputs },
      env,
      post: false
    })
    const charts: { name: string; 'package-path': string }[] =
      result.code === 0 ? JSON.parse(result.outputs.charts) : []
    const packages = await Promise.all(charts.map(chart => readFile(chart['package-path'])))
    return { ...result, names: charts.map(chart => chart.name), packages }
  }
  /** The action's log line for the file times it sets: the tag's commit time. */
  const stampedAtCommit = () =>
    `files of the charts set to ${new Date(committedAt * 1000).toISOString().replace('.000Z', 'Z')} (`
  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

  if (helm.startsWith('3.')) {
    // Helm 3 stamps every entry with the time it packages (chartutil.Save), whatever the files' times: its
    // packages differ from one second to the next. The action sets the files' times all the same.
    test('packages the charts, every entry at the time of packaging (Helm 3 cannot package reproducibly)', async () => {
      const workspace = await checkout(1_000_000_000)
      const started = Math.floor(Date.now() / 1000)
      const result = await release(workspace)
      const ended = Math.ceil(Date.now() / 1000)
      expect(result.code).toBe(0)
      expect(result.names).toEqual(NAMES)
      expect(result.stdout).toContain(stampedAtCommit())
      expect(JSON.parse(result.outputs.charts)).toEqual(
        NAMES.map(name => expect.objectContaining({ name, version: '1.2.3', pushed: false, digest: '' }))
      )
      const times = result.packages.flatMap(data => entries(data).map(entry => entry.mtime))
      expect(times.length).toBeGreaterThan(NAMES.length)
      expect(Math.min(...times)).toBeGreaterThanOrEqual(started)
      expect(Math.max(...times)).toBeLessThanOrEqual(ended)
    })
    return
  }

  test('two checkouts, their files written at other times, package to the same bytes', async () => {
    // parallel 1 lints and packages api and worker in one helm call each; parallel 2 in one call per chart.
    const firstDir = await checkout(1_000_000_000)
    const first = await release(firstDir, {}, { parallel: '1' })
    const second = await release(await checkout(1_100_000_000), {}, { parallel: '2' })
    expect([first.code, second.code]).toEqual([0, 0])
    expect(first.names).toEqual(NAMES)
    expect(second.packages.map(sha256)).toEqual(first.packages.map(sha256))
    const apiGroup = /::group::api: build[^]*?::endgroup::/.exec(first.stdout)?.[0]
    expect(apiGroup).toContain(`$ helm lint ${firstDir}/charts/api ${firstDir}/charts/worker\n`)
    expect(apiGroup).toContain(`==> Linting ${firstDir}/charts/api\n`)
    expect(apiGroup).not.toContain(`==> Linting ${firstDir}/charts/worker`)
    expect(first.stdout).toContain(stampedAtCommit())

    const api = entries(first.packages[1])
    // common comes into api's package through `helm dependency build`, with its files' times.
    expect(api.map(entry => entry.name)).toEqual(expect.arrayContaining(['api/charts/common/templates/_labels.tpl']))
    for (const entry of api) {
      // Chart.lock's entry carries the lock's `generated:` time, which helm reads from the file's text.
      if (entry.name !== 'api/Chart.lock') expect(entry).toEqual({ name: entry.name, mtime: committedAt })
    }
  })

  test('SOURCE_DATE_EPOCH, when the job sets it, is the time', async () => {
    const result = await release(await checkout(1_000_000_000), { SOURCE_DATE_EPOCH: '1700000000' })
    expect(result.code).toBe(0)
    for (const data of result.packages) {
      for (const entry of entries(data).filter(entry => !entry.name.endsWith('/Chart.lock')))
        expect(entry.mtime).toBe(1700000000)
    }
  })

  test('a SOURCE_DATE_EPOCH that is no time is refused before anything is written', async () => {
    const workspace = await checkout(1_000_000_000)
    const result = await release(workspace, { SOURCE_DATE_EPOCH: '2024-01-01' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      '::error::SOURCE_DATE_EPOCH is "2024-01-01"; it must be a whole number of seconds since 1970-01-01 UTC'
    )
    expect(await git(workspace, 'status', '--porcelain')).toBe('')
  })
})
