import { mkdtemp, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import type { Outcome } from '../build/build.js'
import { replaceFile } from '../files.js'
import { transcript, type Helm } from '../helm/helm.js'
import type { Log } from '../log-group.js'
import { errorMessage } from '../text.js'
import { PROV_LAYER } from './reader.js'

/** What a signed chart is checked with after the push. */
export interface SignatureCheck {
  /** The signing key's public half, as a legacy keyring for `helm verify`. */
  pubring: string
  fingerprint: string
  /** Where the published chart and its provenance are downloaded to be verified: a directory the session removes. */
  scratch: string
}

/**
 * Downloads the published chart and its provenance (`download` writes the chart to the file it is given and the
 * `.prov` beside it, and tells whether the manifest has one) and checks the signature against the key with
 * `helm verify`, which every helm can run, where Helm 3.18.0 cannot pull a chart that has a provenance layer.
 * The verified `.prov` is copied beside the package, so that package-path and its `.prov` are what the registry
 * holds. Fails when the manifest carries no provenance, or it does not verify with the key.
 */
export async function verifySignature(
  helm: Helm,
  published: Pick<Outcome, 'location' | 'packagePath' | 'digest'>,
  signature: SignatureCheck,
  log: Log,
  download: (file: string, withProv: true) => Promise<boolean>
): Promise<void> {
  const { location, packagePath, digest } = published
  const dir = await mkdtemp(path.join(signature.scratch, 'verify-'))
  try {
    const file = path.join(dir, path.basename(packagePath))
    if (!(await download(file, true)))
      throw new Error(`${location.ref}@${digest} carries no provenance (no ${PROV_LAYER} layer).`)
    const verified = await helm.verify(file, signature.pubring).catch((error: unknown) => {
      throw new Error(
        `${location.ref}@${digest}: the signature does not verify with key ${signature.fingerprint}. ${errorMessage(error)}`
      )
    })
    log(transcript(verified))
    if (verified.fingerprint.toUpperCase() !== signature.fingerprint) {
      throw new Error(
        `${location.ref}@${digest} is signed by key ${verified.fingerprint}, not by ${signature.fingerprint}.`
      )
    }
    await replaceFile(`${packagePath}.prov`, await readFile(`${file}.prov`))
    log(`${location.ref}@${digest} is signed by ${verified.signedBy} (key ${verified.fingerprint}).`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
