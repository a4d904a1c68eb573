/**
 * The signing-key input, read and checked in-process with openpgp.js before anything is written: gpg would start
 * a gpg-agent that outlives the step, and a runner may have no gpg at all. No message here quotes the key.
 */
import type { PrivateKey } from 'openpgp'
import { atLeast, type HelmVersion } from '../helm/capabilities.js'

/** What helm needs of the key, and what the run reports. */
export interface SigningKey {
  /** The primary key's fingerprint, 40 hex digits in capitals, as gpg and Artifact Hub print it. */
  fingerprint: string
  /** The primary user ID: what `helm package --key` finds the key by. */
  userId: string
  /** The transferable secret key as given (still encrypted, if it was): what `gpg --export-secret-keys` writes. */
  secretKeyring: Uint8Array
  /** Its public half, for `helm verify`. */
  publicKeyring: Uint8Array
  /** The passphrase as helm reads it from a file (its first line); empty for a key without one. */
  passphrase: string
  /** Every key packet's algorithm, primary first, for the helm check (checkHelmCanSign). */
  algorithms: KeyAlgorithm[]
}

export interface KeyAlgorithm {
  /** openpgp.js's name: `rsaEncryptSign`, `ecdsa`, `eddsaLegacy`, `ecdh`… */
  algorithm: string
  /** For elliptic curves, openpgp.js's name: `nistP256`, `ed25519Legacy`, `curve25519Legacy`… */
  curve?: string
  /** The packet version: 4 from GnuPG 2.2 and most tools, 6 from RFC 9580 tools. */
  version: number
}

const EXPORT = 'gpg --armor --export-secret-keys <fingerprint>'
const ARMOR_LINE = /^-----BEGIN PGP ([A-Z ]+)-----\s*$/gm

/** The input's problem and its fix; never quotes the key. */
const refuse = (problem: string, fix: string) => new Error(`Input signing-key ${problem}. ${fix}`)

/**
 * helm reads its passphrase file up to the first line break (bufio.ReadLine), so a trailing line break is not
 * part of the passphrase, and a passphrase with one inside could never reach helm whole.
 */
export function helmPassphrase(passphrase: string): string {
  const [first, ...rest] = passphrase.split(/\r?\n/)
  if (rest.some(line => line !== '')) {
    throw new Error(
      'Input signing-passphrase holds a line break: helm reads its passphrase up to the first one, so it would ' +
        'never unlock the key. Change the passphrase to one without line breaks (gpg --change-passphrase).'
    )
  }
  return first
}

/**
 * Reads the armored private key and checks that helm can sign with it at `now`: exactly one key, with a user ID,
 * neither expired nor revoked, whose primary key (the one helm signs with) may sign, unlocked by the passphrase.
 * openpgp.js is loaded here only, so that unsigned runs do not pay for it.
 */
export async function readSigningKey(armored: string, passphrase: string, now: Date): Promise<SigningKey> {
  const openpgp = await import('openpgp')
  const blocks = [...armored.matchAll(ARMOR_LINE)].map(match => match[1])
  if (!blocks.length) {
    throw refuse(
      'is not an ASCII-armored OpenPGP key (no "-----BEGIN PGP PRIVATE KEY BLOCK-----" line); it takes the key ' +
        'itself, not a path to it nor a binary export',
      `Export the key with ${EXPORT} and store the whole output as a secret.`
    )
  }
  if (blocks.length > 1) {
    throw refuse(
      `holds ${blocks.length} armored blocks; helm signs with one key`,
      `Export only the signing key with ${EXPORT}.`
    )
  }
  if (blocks[0] === 'PUBLIC KEY BLOCK') {
    throw refuse(
      'holds a public key only, and helm signs with the private key',
      `Export the private key with ${EXPORT} (the public key goes to users, e.g. at signing-key-url).`
    )
  }
  if (blocks[0] !== 'PRIVATE KEY BLOCK') {
    throw refuse(`is a PGP ${blocks[0].toLowerCase()}, not a private key`, `Export the key with ${EXPORT}.`)
  }
  let data: Uint8Array
  let keys: PrivateKey[]
  try {
    // openpgp.js's own messages are not passed on: the key's text is no business of the log.
    data = (await openpgp.unarmor(armored)).data as Uint8Array
    keys = await openpgp.readPrivateKeys({ binaryKeys: data })
  } catch {
    throw refuse(
      'is armored but does not read as an OpenPGP private key (a line lost or changed when it was copied?)',
      `Export it again with ${EXPORT} and store the whole output, line breaks included.`
    )
  }
  if (keys.length > 1) {
    throw refuse(
      `holds ${keys.length} keys (${keys.map(fingerprintOf).join(', ')}); helm signs with one`,
      `Export only the signing key with ${EXPORT}.`
    )
  }
  const [key] = keys
  const fingerprint = fingerprintOf(key)
  const named = `holds key ${fingerprint}, which`
  if (!(key.keyPacket instanceof openpgp.SecretKeyPacket) || key.keyPacket.isDummy()) {
    throw refuse(
      `${named} lacks its primary secret key (exported with --export-secret-subkeys?), and helm signs with the primary key`,
      `Export the whole key with ${EXPORT}.`
    )
  }
  if (await key.isRevoked(undefined, undefined, now)) {
    throw refuse(`${named} is revoked`, 'Sign with a key that is not revoked, and publish its public half.')
  }
  const expires = await key.getExpirationTime()
  if (expires instanceof Date && expires <= now) {
    throw refuse(
      `${named} expired on ${expires.toISOString()}`,
      'Extend its expiry (gpg --quick-set-expire <fingerprint> 2y), export it again and update the secret.'
    )
  }
  const primaryUser = await key.getPrimaryUser(now).catch(() => undefined)
  const userId = primaryUser?.user.userID?.userID ?? ''
  if (!primaryUser || !userId) {
    throw refuse(
      `${named} has no valid user ID, which helm finds the key by`,
      'Add one (gpg --quick-add-uid <fingerprint> "Name <email>"), export the key again and update the secret.'
    )
  }
  // Verification looks the signer up by its usage flags; a primary key without the signing flag signs charts
  // that nobody can verify. Helm signs with the primary key, never with a signing subkey.
  const flags = primaryUser.selfCertification.keyFlags?.[0]
  if (flags !== undefined && !(flags & openpgp.enums.keyFlags.signData)) {
    throw refuse(
      `${named} has a primary key that may only certify, not sign; helm signs with the primary key, not with a signing subkey`,
      'Use a key whose primary key can sign (gpg --quick-gen-key "Name <email>" rsa3072 sign 2y).'
    )
  }
  if (!key.isDecrypted()) await unlock(openpgp, key, named, passphrase)
  return {
    fingerprint,
    userId,
    secretKeyring: data,
    publicKeyring: key.toPublic().write(),
    passphrase: key.isDecrypted() ? '' : helmPassphrase(passphrase),
    algorithms: [key, ...key.subkeys].map(part => ({
      ...part.getAlgorithmInfo(),
      version: part.keyPacket.version
    }))
  }
}

/** Checks the passphrase by unlocking a copy of the key in memory. */
async function unlock(openpgp: typeof import('openpgp'), key: PrivateKey, named: string, passphrase: string) {
  if (!passphrase) {
    throw refuse(
      `${named} is protected by a passphrase, and input signing-passphrase is empty`,
      'Pass the passphrase as signing-passphrase, from a secret.'
    )
  }
  try {
    await openpgp.decryptKey({ privateKey: key, passphrase: helmPassphrase(passphrase) })
  } catch (error) {
    if (error instanceof Error && error.message.includes('line break')) throw error
    throw new Error(
      `Input signing-passphrase does not unlock signing-key (key ${fingerprintOf(key)}). Check that the secret ` +
        'holds the passphrase of this key.'
    )
  }
}

const fingerprintOf = (key: PrivateKey) => key.getFingerprint().toUpperCase()

/** What golang.org/x/crypto/openpgp, helm's library before 3.21.4, reads: v4 keys, RSA, DSA, ElGamal, NIST curves. */
const LEGACY_ALGORITHMS = new Set(['rsaEncryptSign', 'rsaEncrypt', 'rsaSign', 'dsa', 'elgamal', 'ecdsa', 'ecdh'])
const NIST_CURVES = new Set(['nistP256', 'nistP384', 'nistP521'])

/**
 * Refuses a key the chosen helm cannot read. Helm 3 before 3.21.4 reads keyrings with golang.org/x/crypto/openpgp,
 * which fails on the whole key when any part of it is Ed25519, Curve25519 or another non-NIST curve (gpg's default
 * since 2.3), or a v6 key; Helm 3.21.4 and 4 use ProtonMail's go-crypto, which reads them all.
 */
export function checkHelmCanSign(key: Pick<SigningKey, 'fingerprint' | 'algorithms'>, helm: HelmVersion): void {
  if (helm.major !== 3 || atLeast(helm, 3, 21, 4)) return
  const unreadable = key.algorithms.find(
    part =>
      part.version !== 4 ||
      !LEGACY_ALGORITHMS.has(part.algorithm) ||
      (part.curve !== undefined && !NIST_CURVES.has(part.curve))
  )
  if (!unreadable) return
  const what = unreadable.curve ? `${unreadable.algorithm} on ${unreadable.curve}` : unreadable.algorithm
  throw new Error(
    `helm ${helm.text} cannot sign with key ${key.fingerprint}: it reads keys with golang.org/x/crypto/openpgp, ` +
      `which does not know ${what}${unreadable.version !== 4 ? ` (a v${unreadable.version} key)` : ''}. Use Helm ` +
      '3.21.4 or 4 (input helm-version), or an RSA key (gpg --quick-gen-key "Name <email>" rsa3072 sign 2y).'
  )
}
