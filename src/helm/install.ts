import * as core from '@actions/core'
import { which } from '@actions/io'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Inputs } from '../inputs/inputs.js'
import { logGroup, type Log } from '../log-group.js'
import { parseHelmVersionOutput, RECOMMENDED_HELM, type HelmVersion } from './capabilities.js'
import { Helm } from './helm.js'

export interface HelmArchive {
  /** `helm-v3.18.1-linux-amd64.tar.gz`, as get.helm.sh names it. */
  name: string
  url: string
  checksumUrl: string
  /** Where the binary lies inside the unpacked archive: `linux-amd64/helm`. */
  binary: string
  zip: boolean
}

const PLATFORMS: Record<string, string> = { linux: 'linux', darwin: 'darwin', win32: 'windows' }
const ARCHES: Record<string, string> = { x64: 'amd64', arm64: 'arm64' }

export function helmArchive(version: string, mirror: string, platform: string, arch: string): HelmArchive {
  const os = PLATFORMS[platform]
  const cpu = ARCHES[arch]
  if (!os || !cpu) {
    throw new Error(
      `The action installs helm on linux, darwin and windows with x64 or arm64, not ${platform}/${arch}. ` +
        'Install helm in an earlier step and leave input helm-version empty.'
    )
  }
  const zip = os === 'windows'
  const name = `helm-v${version}-${os}-${cpu}.${zip ? 'zip' : 'tar.gz'}`
  return {
    name,
    url: `${mirror}/${name}`,
    checksumUrl: `${mirror}/${name}.sha256sum`,
    binary: path.posix.join(`${os}-${cpu}`, zip ? 'helm.exe' : 'helm'),
    zip
  }
}

/** A `.sha256sum` file: `<hex>  <file name>`, as sha256sum writes it (the name may be missing). */
export function parseChecksumFile(text: string, name: string): string {
  const match = /^([0-9a-fA-F]{64})(?:[ \t]+\*?(\S+))?[ \t]*$/m.exec(text)
  if (!match || (match[2] !== undefined && match[2] !== name)) {
    throw new Error(
      `The checksum file of ${name} does not hold a SHA-256 for it: ${JSON.stringify(text.slice(0, 200))}`
    )
  }
  return match[1].toLowerCase()
}

// Loaded only when a helm is to be installed: most runs use the helm on PATH and would pay its start-up for nothing.
const loadToolCache = () => import(/* webpackMode: "eager" */ '@actions/tool-cache')

async function download(url: string, what: string): Promise<string> {
  try {
    return await (await loadToolCache()).downloadTool(url)
  } catch (error) {
    throw new Error(
      `Could not download ${what} from ${url}: ${(error as Error).message}. Check inputs helm-version and helm-mirror.`
    )
  }
}

/** Downloads, checks and caches a helm release; returns the binary. A cached copy is used as it is. */
async function installHelm(version: string, mirror: string, log: Log): Promise<string> {
  const archive = helmArchive(version, mirror, process.platform, process.arch)
  const toolCache = await loadToolCache()
  const cached = toolCache.find('helm', version)
  if (cached) {
    log(`Helm ${version} from the tool cache: ${cached}`)
    return path.join(cached, path.basename(archive.binary))
  }
  const [file, checksumFile] = await Promise.all([
    download(archive.url, `Helm ${version}`),
    download(archive.checksumUrl, `the checksum of Helm ${version}`)
  ])
  const expected = parseChecksumFile(await readFile(checksumFile, 'utf8'), archive.name)
  const actual = createHash('sha256')
    .update(await readFile(file))
    .digest('hex')
  if (actual !== expected) {
    throw new Error(
      `${archive.url} has SHA-256 ${actual}, but ${archive.checksumUrl} says ${expected}. Helm was not ` +
        'installed; check input helm-mirror (a proxy or mirror may have served a different file).'
    )
  }
  log(`${archive.url}: SHA-256 ${actual} matches ${archive.checksumUrl}`)
  const unpacked = archive.zip ? await toolCache.extractZip(file) : await toolCache.extractTar(file)
  const dir = await toolCache.cacheDir(path.join(unpacked, path.dirname(archive.binary)), 'helm', version)
  return path.join(dir, path.basename(archive.binary))
}

export interface FoundHelm {
  bin: string
  version: HelmVersion
}

/**
 * The helm this run uses, the requested release (installed, cached and put on PATH for later steps too) or
 * else the one on PATH, and its version. It needs nothing of the release, so the action starts it first and
 * checks it against what the release needs (checkHelmSupports) before anything changes.
 */
export async function findHelm(inputs: Pick<Inputs, 'helmVersion' | 'helmMirror' | 'timeoutMs'>): Promise<FoundHelm> {
  let bin: string
  if (inputs.helmVersion) {
    bin = await logGroup(`Install Helm ${inputs.helmVersion}`, log =>
      installHelm(inputs.helmVersion, inputs.helmMirror, log)
    )
    core.addPath(path.dirname(bin))
    // The archive matched the release's checksum, so the binary is that release: no `helm version` to ask.
    const installed = parseHelmVersionOutput(`v${inputs.helmVersion.replace(/^v/, '')}`)
    if (installed) return { bin, version: installed }
  } else {
    const found = await which('helm', false)
    if (!found) {
      throw new Error(
        `helm was not found on PATH. Set input helm-version (e.g. ${RECOMMENDED_HELM}) to have the action install it, ` +
          'or install helm in an earlier step.'
      )
    }
    bin = found
  }
  return { bin, version: await new Helm(bin, {}, inputs.timeoutMs).version() }
}
