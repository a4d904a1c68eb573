// OpenPGP keys made the way a user makes them: the real gpg, `gpg --batch --gen-key`, in a GnuPG home of the
// test's own under TMPDIR. gpg starts a gpg-agent for that home; stop() ends it and removes the home.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * @typedef {object} KeySpec
 * @property {string} name     Name-Real; the e-mail is `<name>@example.com` with blanks as dashes
 * @property {string} [type]   Key-Type: RSA (default), EDDSA, ECDSA
 * @property {string} [curve]  Key-Curve, for EDDSA and ECDSA
 * @property {number} [length] Key-Length, for RSA (default 3072)
 * @property {string} [usage]  Key-Usage of the primary key: sign (default), cert
 * @property {string} [subkey] a subkey: 'cv25519' (ECDH, encrypt) or 'rsa-sign'
 * @property {string} [passphrase]
 * @property {string} [expire] Expire-Date (default 0: never)
 * @property {string} [fakedTime] gpg's --faked-system-time, e.g. 20200101T000000!, to make a key in the past
 */

/** `Name <email>` of a KeySpec's key. */
export const userIdOf = name => `${name} <${name.toLowerCase().replace(/ /g, '-')}@example.com>`

/** A GnuPG home of its own; every key made in it stays until stop(). */
export async function startGnupg() {
  const home = await mkdtemp(path.join(os.tmpdir(), 'gnupg-'))
  const options = { maxBuffer: 1 << 24 }
  /** @param {string[]} args @returns {Promise<string>} */
  const gpg = async args =>
    (await run('gpg', ['--homedir', home, '--batch', ...args], { ...options, encoding: 'utf8' })).stdout
  /** @param {string[]} args @returns {Promise<Buffer>} */
  const gpgBytes = async args =>
    (await run('gpg', ['--homedir', home, '--batch', ...args], { ...options, encoding: 'buffer' })).stdout
  const loopback = passphrase =>
    passphrase === undefined ? [] : ['--pinentry-mode', 'loopback', '--passphrase', passphrase]

  return {
    home,
    /** @param {KeySpec} spec @returns {Promise<string>} the fingerprint, as gpg prints it */
    async generate(spec) {
      const email = userIdOf(spec.name).replace(/^.*</, '').replace(/>$/, '')
      const lines = [
        ...(spec.passphrase === undefined ? ['%no-protection'] : []),
        `Key-Type: ${spec.type ?? 'RSA'}`,
        ...(spec.passphrase === undefined ? [] : [`Passphrase: ${spec.passphrase}`]),
        ...(spec.curve ? [`Key-Curve: ${spec.curve}`] : [`Key-Length: ${spec.length ?? 3072}`]),
        `Key-Usage: ${spec.usage ?? 'sign'}`,
        ...(spec.subkey === 'cv25519' ? ['Subkey-Type: ECDH', 'Subkey-Curve: cv25519', 'Subkey-Usage: encrypt'] : []),
        ...(spec.subkey === 'rsa-sign' ? ['Subkey-Type: RSA', 'Subkey-Length: 2048', 'Subkey-Usage: sign'] : []),
        `Name-Real: ${spec.name}`,
        `Name-Email: ${email}`,
        `Expire-Date: ${spec.expire ?? '0'}`,
        '%commit'
      ]
      const file = path.join(home, `${email}.batch`)
      await writeFile(file, `${lines.join('\n')}\n`)
      const faked = spec.fakedTime ? ['--faked-system-time', spec.fakedTime] : []
      await gpg([...faked, ...loopback(spec.passphrase), '--gen-key', file])
      return this.fingerprint(`<${email}>`)
    },
    async fingerprint(who) {
      const listing = await gpg(['--with-colons', '--list-keys', who])
      return /^fpr:+([0-9A-F]{40}):/m.exec(listing)[1]
    },
    /** ASCII-armored secret keys, as the secret signing-key holds them. */
    /** @param {string | string[]} who @param {string} [passphrase] */
    exportSecret: (who, passphrase) =>
      gpg([...loopback(passphrase), '--armor', '--export-secret-keys', ...[who].flat()]),
    /** The binary form, which `gpg --export-secret-keys` writes without --armor. */
    exportSecretBinary: (who, passphrase) => gpgBytes([...loopback(passphrase), '--export-secret-keys', who]),
    exportSecretSubkeys: (who, passphrase) => gpg([...loopback(passphrase), '--armor', '--export-secret-subkeys', who]),
    exportPublic: who => gpg(['--armor', '--export', who]),
    /** A legacy keyring of the public key, as `helm verify --keyring` and `helm pull --verify` read it. */
    async publicKeyring(who, file) {
      await writeFile(file, await gpgBytes(['--export', who]))
      return file
    },
    /** Imports the revocation certificate gpg made with the key: the key is revoked from then on. */
    async revoke(fingerprint) {
      const certificate = await readFile(path.join(home, 'openpgp-revocs.d', `${fingerprint}.rev`), 'utf8')
      // gpg prefixes the armor line with a colon so that the file is not imported by accident.
      const file = path.join(home, `${fingerprint}.rev.asc`)
      await writeFile(file, certificate.replace(/^:-----BEGIN/m, '-----BEGIN'))
      await gpg(['--import', file])
    },
    /** Ends the home's gpg-agent and removes the home. */
    async stop() {
      await run('gpgconf', ['--homedir', home, '--kill', 'all']).catch(() => undefined)
      await rm(home, { recursive: true, force: true })
    }
  }
}
