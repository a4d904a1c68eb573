import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { writeNewFile } from '../files.js'
import type { SignWith } from '../helm/helm.js'
import type { SigningKey } from './key.js'

/** The key as helm takes it: files in the run's helm home, which closeSession and the post step remove. */
export interface Keyring {
  sign: SignWith
  /** The public half, for `helm verify`. */
  pubring: string
}

/**
 * Writes the legacy keyrings helm reads (binary OpenPGP packets: helm reads neither GnuPG 2's keybox nor an
 * agent) and the passphrase into `<home>/gnupg`, 0700, each file 0600. The passphrase file ends in a line break,
 * where helm stops reading.
 */
export async function writeKeyring(home: string, key: SigningKey): Promise<Keyring> {
  const dir = path.join(home, 'gnupg')
  await mkdir(dir, { mode: 0o700 })
  const file = async (name: string, data: Uint8Array | string) => {
    const where = path.join(dir, name)
    await writeNewFile(where, data, 0o600)
    return where
  }
  const sign: SignWith = { key: key.userId, keyring: await file('secring.gpg', key.secretKeyring) }
  if (key.passphrase) sign.passphraseFile = await file('passphrase', `${key.passphrase}\n`)
  return { sign, pubring: await file('pubring.gpg', key.publicKeyring) }
}
