import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
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

  test.each([
    [['lint', 'chart']],
    [['template', 'r', 'chart']],
    [['package', 'chart']],
    [['verify', 'c.tgz']],
    [['version']]
  ])('helm %p works on local files: the input timeout does not stop it', async args => {
    await expect(helm.run(args)).resolves.toMatchObject({ command: `helm ${args.join(' ')}` })
  })

  test.each([
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
