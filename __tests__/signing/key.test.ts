// Keys made by the real gpg, as users make them, read by the action's own reader.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { startGnupg, userIdOf } from '../../scripts/harness/gpg.js'
import { parseHelmVersionOutput } from '../../src/helm/capabilities.js'
import { checkHelmCanSign, helmPassphrase, readSigningKey } from '../../src/signing/key.js'

const PASSPHRASE = 'correct horse 7b1e'

const helm = (text: string) => parseHelmVersionOutput(text)!

let gnupg: Awaited<ReturnType<typeof startGnupg>>
/** Armored exports and fingerprints by name, made once. */
const keys: Record<string, { armored: string; fingerprint: string }> = {}

beforeAll(async () => {
  gnupg = await startGnupg()
  const make = async (name: string, spec: Parameters<typeof gnupg.generate>[0], armored?: () => Promise<string>) => {
    const fingerprint = await gnupg.generate(spec)
    keys[name] = {
      fingerprint,
      armored: armored ? await armored() : await gnupg.exportSecret(fingerprint, spec.passphrase)
    }
  }
  await make('rsa', { name: 'Rsa Signer' })
  await make('protected', { name: 'Protected Signer', passphrase: PASSPHRASE })
  await make('ed25519', { name: 'Ed Signer', type: 'EDDSA', curve: 'ed25519' })
  await make('nist', { name: 'Nist Signer', type: 'ECDSA', curve: 'nistp256' })
  await make('cv25519-subkey', { name: 'Mixed Signer', subkey: 'cv25519', length: 2048 })
  await make('expired', { name: 'Expired Signer', length: 2048, fakedTime: '20200101T000000!', expire: '1d' })
  await make('revoked', { name: 'Revoked Signer', length: 2048 })
  await gnupg.revoke(keys.revoked.fingerprint)
  keys.revoked.armored = await gnupg.exportSecret(keys.revoked.fingerprint)
  await make('certify-only', { name: 'Certify Only', length: 2048, usage: 'cert', subkey: 'rsa-sign' })
  keys['public'] = { ...keys.rsa, armored: await gnupg.exportPublic(keys.rsa.fingerprint) }
  keys['binary'] = { ...keys.rsa, armored: (await gnupg.exportSecretBinary(keys.rsa.fingerprint)).toString('latin1') }
  keys['two-keys'] = {
    ...keys.rsa,
    armored: await gnupg.exportSecret([keys.rsa.fingerprint, keys.nist.fingerprint])
  }
  keys['two-blocks'] = { ...keys.rsa, armored: keys.rsa.armored + keys.nist.armored }
  keys['subkeys-only'] = {
    ...keys['certify-only'],
    armored: await gnupg.exportSecretSubkeys(keys['certify-only'].fingerprint)
  }
}, 60_000)

afterAll(async () => gnupg?.stop())

/** The lines of the key that carry key material: none may appear in a message. */
const material = (armored: string) =>
  armored.split('\n').filter(line => line.length > 20 && !line.startsWith('-----') && !line.includes(': '))

/** The armor's payload (RFC 4880, 6.2), read by hand so that the test does not trust the reader it tests. */
const dearmor = (armored: string) => {
  const body = armored.split(/\r?\n\r?\n/)[1].split(/\r?\n=/)[0]
  return Buffer.from(body.replace(/\s/g, ''), 'base64')
}

describe('readSigningKey', () => {
  test.each([
    ['rsa', '', 'Rsa Signer'],
    ['protected', PASSPHRASE, 'Protected Signer'],
    // A passphrase from a file or a secret may end in a line break, which helm does not read either.
    ['protected', `${PASSPHRASE}\n`, 'Protected Signer'],
    ['ed25519', '', 'Ed Signer'],
    ['nist', '', 'Nist Signer'],
    ['cv25519-subkey', '', 'Mixed Signer'],
    // A passphrase given for a key without one does no harm.
    ['rsa', 'unused', 'Rsa Signer']
  ])('%s (passphrase %j) reads as the key of %s', async (name, passphrase, signer) => {
    const key = await readSigningKey(keys[name].armored, passphrase, new Date())
    expect(key.fingerprint).toBe(keys[name].fingerprint)
    expect(key.userId).toBe(userIdOf(signer))
    expect(key.passphrase).toBe(name === 'protected' ? PASSPHRASE : '')
    // Exactly the key given, still encrypted when it was: helm unlocks it with the passphrase itself.
    expect(Buffer.from(key.secretKeyring)).toEqual(dearmor(keys[name].armored))
    if (name !== 'protected')
      expect(Buffer.from(key.secretKeyring)).toEqual(await gnupg.exportSecretBinary(key.fingerprint))
    expect(key.publicKeyring.length).toBeGreaterThan(0)
    expect(key.publicKeyring.length).toBeLessThan(key.secretKeyring.length)
  })

  test.each([
    [
      'an empty-looking value',
      () => '   \n',
      '',
      /is not an ASCII-armored OpenPGP key .*not a path to it nor a binary export/
    ],
    ['a path', () => '/home/runner/signing-key.asc', '', /is not an ASCII-armored OpenPGP key/],
    ['a binary export', () => keys.binary.armored, '', /is not an ASCII-armored OpenPGP key/],
    ['a public key', () => keys.public.armored, '', /holds a public key only, .*--export-secret-keys/],
    ['two keys in one block', () => keys['two-keys'].armored, '', /holds 2 keys \([0-9A-F]{40}, [0-9A-F]{40}\)/],
    ['two armored blocks', () => keys['two-blocks'].armored, '', /holds 2 armored blocks/],
    ['an expired key', () => keys.expired.armored, '', /which expired on 2020-01-02T.*--quick-set-expire/],
    ['a revoked key', () => keys.revoked.armored, '', /which is revoked/],
    ['a certify-only primary key', () => keys['certify-only'].armored, '', /may only certify, not sign/],
    ['subkeys only', () => keys['subkeys-only'].armored, '', /lacks its primary secret key/],
    [
      'a passphrase missing',
      () => keys.protected.armored,
      '',
      /is protected by a passphrase, and input signing-passphrase is empty/
    ],
    [
      'a wrong passphrase',
      () => keys.protected.armored,
      'wrong',
      /signing-passphrase does not unlock signing-key \(key [0-9A-F]{40}\)/
    ],
    ['a passphrase with a line break', () => keys.protected.armored, `${PASSPHRASE}\nmore`, /holds a line break/],
    [
      'damaged armor',
      () => keys.rsa.armored.replace(/^[A-Za-z0-9+/]{64}\n/m, ''),
      '',
      /is armored but does not read as an OpenPGP private key/
    ]
  ])('refuses %s, naming the problem and the fix, quoting no key', async (_what, armored, passphrase, message) => {
    const text = armored()
    const error = await readSigningKey(text, passphrase, new Date()).then(
      () => undefined,
      (caught: unknown) => caught as Error
    )
    expect(error?.message).toMatch(message)
    for (const line of material(text)) expect(error?.message).not.toContain(line.slice(0, 20))
    expect(error?.message).not.toContain(PASSPHRASE)
  })

  test('names the fingerprint of the key it refuses', async () => {
    await expect(readSigningKey(keys.expired.armored, '', new Date())).rejects.toThrow(keys.expired.fingerprint)
  })
})

describe('checkHelmCanSign', () => {
  test.each([
    ['rsa', 'v3.18.0', true],
    ['nist', 'v3.18.0', true],
    ['ed25519', 'v3.18.0', false],
    ['cv25519-subkey', 'v3.18.0', false],
    ['ed25519', 'v3.21.3', false],
    ['ed25519', 'v3.21.4', true],
    ['ed25519', 'v4.1.4', true],
    ['cv25519-subkey', 'v4.0.0', true]
  ])('%s with helm %s: %s', async (name, version, signs) => {
    const key = await readSigningKey(keys[name].armored, '', new Date())
    const check = () => checkHelmCanSign(key, helm(version))
    if (signs) expect(check).not.toThrow()
    else expect(check).toThrow(/golang\.org\/x\/crypto\/openpgp, which does not know .*Use Helm 3\.21\.4 or 4/)
  })
})

describe('helmPassphrase', () => {
  test.each([
    ['plain', 'plain'],
    ['ends in LF\n', 'ends in LF'],
    ['ends in CRLF\r\n', 'ends in CRLF'],
    ['  blanks kept  ', '  blanks kept  ']
  ])('%j → %j', (given, read) => {
    expect(helmPassphrase(given)).toBe(read)
  })

  test('refuses a line break inside', () => {
    expect(() => helmPassphrase('one\ntwo')).toThrow(/line break/)
  })
})
