import { describe, expect, test } from '@jest/globals'
import net from 'node:net'
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

describe('Helm.run: the time limit', () => {
  const helm = new Helm(path.join(helmDir(HELM_VERSIONS[0]), 'helm'), {}, 1000)

  test('counts helm’s own time: a helm that finished while the step held the event loop did not time out', async () => {
    const running = helm.run(['version', '--template', '{{.Version}}'])
    // The step's own work (parsing, say) holding the loop well past the limit while helm runs and exits.
    const until = Date.now() + 3000
    while (Date.now() < until);
    await expect(running).resolves.toMatchObject({ stdout: `v${HELM_VERSIONS[0]}` })
  })

  test('still stops a helm that runs past it', async () => {
    const started = Date.now()
    // helm waits for a registry that accepts the connection and never answers.
    const silent = net.createServer(() => undefined)
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = silent.address() as net.AddressInfo
      await expect(helm.run(['show', 'chart', `oci://127.0.0.1:${port}/x/c`, '--version', '1.0.0'])).rejects.toThrow(
        'helm show did not finish within 1s (input timeout) and was stopped.'
      )
      expect(Date.now() - started).toBeLessThan(5000)
    } finally {
      silent.close()
    }
  })
})
