import os from 'node:os'
import { RECOMMENDED_HELM } from '../helm/capabilities.js'
import { HOST, PATH_COMPONENT } from '../registry/reference.js'
import { show } from '../text.js'

/**
 * Each input's own check: the value as the step got it (action.yml's default already applied by the runner),
 * to what the action works with, or an error that names the input, the value and what it takes.
 */

export const IF_EXISTS = ['fail', 'skip', 'overwrite'] as const
export type IfExists = (typeof IF_EXISTS)[number]
export type Latest = 'auto' | 'true' | 'false'

const TRUE = new Set(['true', 'True', 'TRUE'])
const FALSE = new Set(['false', 'False', 'FALSE'])

export function parseBoolean(name: string, value: string): boolean {
  if (TRUE.has(value)) return true
  if (FALSE.has(value)) return false
  throw new Error(`Input ${name} is ${show(value)}; it takes true or false.`)
}

export function parseIfExists(value: string): IfExists {
  const found = IF_EXISTS.find(choice => choice === value)
  if (!found) throw new Error(`Input if-exists is ${show(value)}; it takes fail, skip or overwrite.`)
  return found
}

const MAX_RETRIES = 10

export function parseRetries(value: string): number {
  if (!/^[0-9]{1,2}$/.test(value) || Number(value) > MAX_RETRIES) {
    throw new Error(`Input retries is ${show(value)}; it takes a whole number from 0 to ${MAX_RETRIES}.`)
  }
  return Number(value)
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** A Go-style duration as helm users write them (`30s`, `5m`, `1m30s`), from 1s to 6h (a job's own limit). */
export function parseDuration(name: string, value: string): number {
  const refuse = (why: string) =>
    new Error(`Input ${name} is ${show(value)}; ${why} It takes a duration such as 30s, 5m or 1m30s.`)
  if (!/^(?:[0-9]+(?:ms|s|m|h))+$/.test(value)) throw refuse('that is not a duration.')
  let total = 0
  for (const [, amount, unit] of value.matchAll(/([0-9]+)(ms|s|m|h)/g)) total += Number(amount) * UNIT_MS[unit]
  if (total < 1000 || total > 6 * UNIT_MS.h) throw refuse('it must lie between 1s and 6h.')
  return total
}

/** `3.18.1` or `v3.18.1`: an exact release, since the archive name and its checksum are per release. */
export function parseHelmVersion(value: string): string {
  if (value === '') return ''
  const match = /^v?((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?)$/.exec(value)
  if (!match) {
    throw new Error(
      `Input helm-version is ${show(value)}; it takes an exact Helm release such as 3.21.1 or ${RECOMMENDED_HELM} (no ranges, no "latest").`
    )
  }
  const [, version, major, minor] = match
  if (Number(major) < 3 || (Number(major) === 3 && Number(minor) < 8)) {
    throw new Error(
      `Input helm-version is ${show(value)}; Helm before 3.8 cannot push to OCI registries. Use 3.8.0 or later, e.g. ${RECOMMENDED_HELM}.`
    )
  }
  return version
}

export function parseMirror(value: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash) {
    throw new Error(
      `Input helm-mirror is ${show(value)}; it takes the http(s) URL Helm's release archives are under, e.g. https://get.helm.sh.`
    )
  }
  return value.replace(/\/+$/, '')
}

export function parseParallel(value: string): number {
  if (value === '') return os.availableParallelism()
  if (!/^[1-9][0-9]{0,3}$/.test(value)) {
    throw new Error(
      `Input parallel is ${show(value)}; it takes a whole number of charts from 1, or nothing for the CPU count.`
    )
  }
  return Number(value)
}

/** GitHub runs at most 256 jobs from one matrix, and refuses the whole workflow run past that. */
export const MAX_MATRIX_JOBS = 256

export function parseMaxJobs(value: string): number {
  if (!/^[1-9][0-9]{0,2}$/.test(value) || Number(value) > MAX_MATRIX_JOBS) {
    throw new Error(
      `Input max-jobs is ${show(value)}; it takes a whole number from 1 to ${MAX_MATRIX_JOBS}, the most jobs ` +
        'GitHub runs from one matrix.'
    )
  }
  return Number(value)
}

/**
 * Chart names separated by commas and/or line breaks (a `plan` matrix entry holds a batch as `common, api`),
 * in the order given, each once; none means every chart. Chart names hold neither, so nothing is lost: a name
 * the tag does not release is refused by the plan, which knows the released ones.
 */
export function parseOnly(value: string): string[] {
  const names = value.split(/[,\r\n]/).map(name => name.trim())
  return [...new Set(names.filter(name => name !== ''))]
}

export function parseLatest(value: string): Latest {
  if (value === 'auto' || value === 'true' || value === 'false') return value
  throw new Error(`Input latest is ${show(value)}; it takes auto, true or false.`)
}

/**
 * The image name without a tag, lowercased (Docker refuses capitals, and `${{ github.repository }}` keeps
 * the owner's). A tag or digest in it is refused: the action appends the tags itself.
 */
export function parseImage(input: string): string {
  const image = input.trim().toLowerCase()
  if (image === '') return ''
  const fix = 'Give the image name without a tag, e.g. ghcr.io/sofatutor/llm-proxy.'
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(image)) throw new Error(`Input image ${show(input)} has a scheme. ${fix}`)
  const [first, ...rest] = image.split('/')
  if (image.includes('@') || (rest.at(-1) ?? first).includes(':')) {
    throw new Error(`Input image ${show(input)} carries a tag or digest. ${fix}`)
  }
  // As Docker reads a reference: the first part is a registry host only if it looks like one.
  const hasHost = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost')
  if (hasHost && !HOST.test(first)) throw new Error(`Input image ${show(input)} has an invalid host. ${fix}`)
  const bad = (hasHost ? rest : [first, ...rest]).find(part => !PATH_COMPONENT.test(part))
  if (bad !== undefined) throw new Error(`Input image ${show(input)} has the invalid path part ${show(bad)}. ${fix}`)
  return image
}

const KEY = /^[A-Za-z0-9_-]+$/

/** `image.tag` → ['image', 'tag']; keys are plain words, since helm values paths are written that way. */
export function parseKeyPath(input: string, value: string): string[] {
  const segments = value.split('.')
  if (!segments.every(segment => KEY.test(segment))) {
    throw new Error(
      `Input ${input} ${show(value)} is not a dotted key path. Give the keys from the top of the values file ` +
        'down to the image tag, joined by dots, e.g. image.tag.'
    )
  }
  return segments
}

/** As helm reads `--kube-version` (a SemVer core, `v` optional, minor and patch may be left out). */
export function parseKubeVersion(value: string): string {
  if (value === '' || /^v?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){0,2}$/.test(value)) return value
  throw new Error(
    `Input kube-version is ${show(value)}; it takes a Kubernetes version such as 1.31 or 1.31.2, or nothing ` +
      "for helm's default."
  )
}

/** Artifact Hub shows the URL to users who check a signature, so it must be one they can fetch safely. */
export function parseKeyUrl(value: string): string {
  if (value === '') return ''
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (url?.protocol !== 'https:' || url.username || url.password) {
    throw new Error(
      `Input signing-key-url is ${show(value)}; it takes an https URL of the public key without credentials, ` +
        'e.g. https://keys.openpgp.org/vks/v1/by-fingerprint/<FINGERPRINT>.'
    )
  }
  return value
}
