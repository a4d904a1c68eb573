import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { helmDir, HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { Helm, parseDigest } from '../../src/helm/helm.js'

describe('parseDigest', () => {
  const digest = `sha256:${'ab'.repeat(32)}`
  test.each([
    ['on stderr (helm ≤ 4.2.0)', '', `Pushed: ghcr.io/o/c:1.2.3\nDigest: ${digest}`],
    ['on stdout (helm ≥ 4.2.1)', `Pushed: ghcr.io/o/c:1.2.3\nDigest: ${digest}\n`, ''],
    ['with CRLF', `Digest: ${digest}\r\n`, '']
  ])('finds it %s', (_where, stdout, stderr) => {
    expect(parseDigest(stdout, stderr)).toBe(digest)
  })

  test.each([
    ['no line', 'Pushed: x'],
    ['a short digest', 'Digest: sha256:abc'],
    ['a digest inside another line', `Layer Digest: ${digest}`]
  ])('finds none with %s', (_case, stderr) => {
    expect(parseDigest('', stderr)).toBeUndefined()
  })
})

describe('time limits', () => {
  // A stand-in that takes longer than the input timeout whatever it is asked: which limit stops it is the point.
  let dir: string
  let helm: Helm
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'slow-helm-'))
    await writeFile(path.join(dir, 'helm'), '#!/bin/sh\nsleep 0.6\n', { mode: 0o755 })
    helm = new Helm(path.join(dir, 'helm'), {}, 300)
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  // Concurrent: each waits out a stand-in that sleeps past the limit.
  test.concurrent.each([
    [['lint', 'chart']],
    [['template', 'r', 'chart']],
    [['package', 'chart']],
    [['verify', 'c.tgz']],
    [['version']]
  ])('helm %p works on local files: the input timeout does not stop it', async args => {
    await expect(helm.run(args)).resolves.toMatchObject({ command: `helm ${args.join(' ')}` })
  })

  test.concurrent.each([
    [['push', 'c.tgz', 'oci://h/ns'], 'push'],
    [['pull', 'oci://h/ns/c'], 'pull'],
    [['show', 'chart', 'oci://h/ns/c'], 'show'],
    [['registry', 'login', 'h'], 'registry login'],
    [['repo', 'add', 'r', 'https://h'], 'repo add'],
    [['dependency', 'build', 'chart'], 'dependency build']
  ])('helm %p reaches a registry or repository: stopped at the input timeout', async (args, words) => {
    await expect(helm.run(args)).rejects.toMatchObject({
      timedOut: true,
      message: expect.stringMatching(
        new RegExp(`^helm ${words} did not finish within 300ms \\(input timeout\\) and was stopped`)
      )
    })
  })
})

describe('Helm.run: the time limit of a real helm', () => {
  const helm = new Helm(path.join(helmDir(HELM_VERSIONS[0]), 'helm'), {}, 1000)

  test('counts helm’s own time: a helm that finished while the step held the event loop did not time out', async () => {
    // `helm env` is not local work, so the 1 s input timeout is its limit.
    const running = helm.run(['env', 'HELM_BIN'])
    // The step's own work (parsing, say) holding the loop well past the limit while helm runs and exits.
    const until = Date.now() + 1500
    while (Date.now() < until);
    await expect(running).resolves.toMatchObject({ stdout: expect.stringContaining('helm') })
  })

  test('still stops a helm that runs past it', async () => {
    // helm waits for a registry that accepts the connection and never answers.
    const silent = net.createServer(() => undefined)
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = silent.address() as net.AddressInfo
      await expect(helm.run(['show', 'chart', `oci://127.0.0.1:${port}/x/c`, '--version', '1.0.0'])).rejects.toThrow(
        'helm show did not finish within 1s (input timeout) and was stopped.'
      )
    } finally {
      silent.close()
    }
  })
})
