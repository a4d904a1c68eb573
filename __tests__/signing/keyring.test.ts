// The keyring files as the real helm takes them: several charts signed in one `helm package`, then verified.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startGnupg, userIdOf } from '../../scripts/harness/gpg.js'
import { helmDir, HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART } from '../../scripts/harness/workspace.js'
import { Helm, HelmError } from '../../src/helm/helm.js'
import { readSigningKey, type SigningKey } from '../../src/signing/key.js'
import { writeKeyring } from '../../src/signing/keyring.js'

const PASSPHRASE = 'keyring passphrase 4c0d'

let gnupg: Awaited<ReturnType<typeof startGnupg>>
let protectedKey: SigningKey
let plainKey: SigningKey
let dir: string
let charts: string[]

beforeAll(async () => {
  gnupg = await startGnupg()
  const protectedFingerprint = await gnupg.generate({ name: 'Keyring Signer', passphrase: PASSPHRASE, length: 2048 })
  const plainFingerprint = await gnupg.generate({ name: 'Plain Keyring', length: 2048 })
  protectedKey = await readSigningKey(
    await gnupg.exportSecret(protectedFingerprint, PASSPHRASE),
    PASSPHRASE,
    new Date()
  )
  plainKey = await readSigningKey(await gnupg.exportSecret(plainFingerprint), '', new Date())
  dir = await mkdtemp(path.join(os.tmpdir(), 'keyring-'))
  charts = [path.join(dir, 'one'), path.join(dir, 'two')]
  for (const [index, chart] of charts.entries()) {
    await cp(EXAMPLE_CHART, chart, { recursive: true })
    const file = path.join(chart, 'Chart.yaml')
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^name: .*$/m, `name: chart-${index}`))
  }
}, 60_000)

afterAll(async () => {
  await gnupg?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const mode = async (file: string) => (await stat(file)).mode & 0o777

describe('writeKeyring', () => {
  test('writes the keyrings and the passphrase 0600 into a 0700 gnupg directory of the home', async () => {
    const home = await mkdtemp(path.join(dir, 'home-'))
    const keyring = await writeKeyring(home, protectedKey)
    expect(keyring.sign).toEqual({
      key: userIdOf('Keyring Signer'),
      keyring: path.join(home, 'gnupg', 'secring.gpg'),
      passphraseFile: path.join(home, 'gnupg', 'passphrase')
    })
    expect(keyring.pubring).toBe(path.join(home, 'gnupg', 'pubring.gpg'))
    expect(await mode(path.join(home, 'gnupg'))).toBe(0o700)
    for (const file of [keyring.sign.keyring, keyring.sign.passphraseFile!, keyring.pubring])
      expect(await mode(file)).toBe(0o600)
    expect(await readFile(keyring.sign.passphraseFile!, 'utf8')).toBe(`${PASSPHRASE}\n`)
    expect(await readFile(keyring.sign.keyring)).toEqual(Buffer.from(protectedKey.secretKeyring))
  })

  test('writes no passphrase file for a key without one', async () => {
    const home = await mkdtemp(path.join(dir, 'home-'))
    const keyring = await writeKeyring(home, plainKey)
    expect(keyring.sign.passphraseFile).toBeUndefined()
  })
})

describe.each(HELM_VERSIONS)('Helm %s', version => {
  const helm = new Helm(path.join(helmDir(version), 'helm'), {})

  test.each([
    ['a protected key', () => protectedKey, 'Keyring Signer'],
    ['a key without passphrase', () => plainKey, 'Plain Keyring']
  ])('signs two charts in one helm package with %s, and helm verify finds the signer', async (_what, key, signer) => {
    const home = await mkdtemp(path.join(dir, 'home-'))
    const keyring = await writeKeyring(home, key())
    const destination = path.join(home, 'packages')
    await helm.packageCharts(charts, destination, keyring.sign)
    for (const index of [0, 1]) {
      const verified = await helm.verify(path.join(destination, `chart-${index}-0.1.0.tgz`), keyring.pubring)
      expect(verified.signedBy).toBe(userIdOf(signer))
      expect(verified.fingerprint).toBe(key().fingerprint)
    }
  })

  test('helm verify fails on a chart whose package changed after signing', async () => {
    const home = await mkdtemp(path.join(dir, 'home-'))
    const keyring = await writeKeyring(home, plainKey)
    const destination = path.join(home, 'packages')
    await helm.packageCharts(charts.slice(0, 1), destination, keyring.sign)
    const packaged = path.join(destination, 'chart-0-0.1.0.tgz')
    await writeFile(packaged, Buffer.concat([await readFile(packaged), Buffer.from([0])]))
    await expect(helm.verify(packaged, keyring.pubring)).rejects.toThrow(HelmError)
  })
})
