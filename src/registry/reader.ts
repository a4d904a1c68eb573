import { access, rm } from 'node:fs/promises'
import path from 'node:path'
import type { ArtifactHubRepo } from '../chart-files/artifacthub-repo.js'
import { HELM_MAX_FILE_BYTES } from '../chart-files/read-text.js'
import { parseJson } from '../bounds.js'
import { replaceFile } from '../files.js'
import type { Helm } from '../helm/helm.js'
import { errorMessage, show } from '../text.js'
import { syncMetadata, type MetadataSync } from './artifacthub-metadata.js'
import { RegistryClient, RegistryHttpError, UnsupportedAuthError } from './client.js'
import type { ReadAccess } from './credentials.js'
import { classifyFailure } from './faults.js'
import type { ChartLocation } from './reference.js'

/** Helm's media types for a chart in an OCI registry (helm.sh/docs/topics/registries). */
export const CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip'
export const CHART_CONFIG = 'application/vnd.cncf.helm.config.v1+json'
/** The layer `helm push` adds for the `.prov` beside the package. */
export const PROV_LAYER = 'application/vnd.cncf.helm.chart.provenance.v1.prov'

/** A chart version the registry holds. */
export interface PublishedChart {
  /** The manifest's digest: what `helm pull` and the `digest` output name. */
  digest: string
  /** The chart layer's digest, the sha256 of the `.tgz`; undefined when read through helm, which does not say. */
  chartLayer?: string
}

/** What the registry serves at a tag: the manifest's digest and the chart's name and version from its config. */
export interface ServedChart {
  digest: string
  name: string
  version: string
}

/** The registry's answers to the questions the release asks; `via` names how, for the log. */
export interface RegistryReader {
  readonly via: string
  /** Fails (unauthorized, denied…) when the inputs' credentials do not work. */
  checkCredentials(location: ChartLocation): Promise<void>
  /** What the tag holds; undefined on a clean "not found", never on an error. */
  lookUp(location: ChartLocation, version: string): Promise<PublishedChart | undefined>
  /** What the tag serves now, for the verification after a push. */
  inspect(location: ChartLocation, version: string): Promise<ServedChart>
  /**
   * Writes the chart archive of the manifest `digest` to `file`, checked against its digest; with `withProv`, its
   * provenance to `file.prov` too (removing one that is there when the manifest has none). True when the manifest
   * has a provenance layer and it was written.
   */
  download(location: ChartLocation, version: string, digest: string, file: string, withProv?: boolean): Promise<boolean>
  /** Whether anyone can pull the chart without credentials; undefined when the action cannot tell. */
  isPublic(location: ChartLocation, digest: string): Promise<boolean | undefined>
  /**
   * The one thing written besides helm's push: the chart repository's Artifact Hub metadata, brought up to date;
   * undefined when this reader cannot push it.
   */
  syncMetadata(location: ChartLocation, metadata: ArtifactHubRepo): Promise<MetadataSync | undefined>
}

/** The action's own registry client: status codes, no helm process, and the chart layer's digest. */
export function clientReader(client: RegistryClient): RegistryReader {
  const anonymous = client.anonymous()
  const manifestOf = async (location: ChartLocation, reference: string) => {
    const manifest = await client.manifest(location.repository, reference)
    if (!manifest) {
      throw new RegistryHttpError('not-found', `${location.name}@${reference}: not found`, 404)
    }
    return manifest
  }
  const chartLayerOf = (location: ChartLocation, layers: { mediaType: string; digest: string }[]) => {
    const layer = layers.find(candidate => candidate.mediaType === CHART_LAYER)
    if (!layer) throw new Error(`${location.ref} is not a Helm chart: its manifest has no ${CHART_LAYER} layer.`)
    return layer.digest
  }
  return {
    via: 'the registry API',
    checkCredentials: location => client.checkCredentials(location.repository, ['pull', 'push']),
    async lookUp(location) {
      const manifest = await client.manifest(location.repository, location.tag)
      if (!manifest) return undefined
      const layer = manifest.layers.find(candidate => candidate.mediaType === CHART_LAYER)
      return { digest: manifest.digest, chartLayer: layer?.digest }
    },
    async inspect(location) {
      const manifest = await manifestOf(location, location.tag)
      if (manifest.config.mediaType !== CHART_CONFIG) {
        throw new Error(`${location.ref} is not a Helm chart: its config is ${show(manifest.config.mediaType)}.`)
      }
      const text = (await client.blob(location.repository, manifest.config.digest, HELM_MAX_FILE_BYTES)).toString()
      let config: unknown
      try {
        config = parseJson(text, 'its config')
      } catch (error) {
        // JSON.parse's own message quotes the text, which the registry wrote; parseJson's on depth does not.
        const why = error instanceof SyntaxError ? 'its config is not JSON' : errorMessage(error).replace(/\.$/, '')
        throw new Error(`${location.ref} is not a Helm chart: ${why}.`)
      }
      const field = (key: string) => {
        const value = config && typeof config === 'object' ? (config as Record<string, unknown>)[key] : undefined
        return typeof value === 'string' ? value : ''
      }
      return { digest: manifest.digest, name: field('name'), version: field('version') }
    },
    async download(location, _version, digest, file, withProv = false) {
      const manifest = await manifestOf(location, digest)
      await replaceFile(file, await client.blob(location.repository, chartLayerOf(location, manifest.layers)))
      if (!withProv) return false
      const provs = manifest.layers.filter(layer => layer.mediaType === PROV_LAYER)
      if (provs.length > 1) {
        throw new Error(`${location.ref}@${digest} has ${provs.length} ${PROV_LAYER} layers; a chart has one at most.`)
      }
      if (!provs.length) {
        // Whatever .prov lay there belongs to another chart.
        await rm(`${file}.prov`, { force: true })
        return false
      }
      // A provenance file is a few kilobytes: a chart's Chart.yaml and its digest, signed.
      await replaceFile(`${file}.prov`, await client.blob(location.repository, provs[0].digest, HELM_MAX_FILE_BYTES))
      return true
    },
    async isPublic(location, digest) {
      try {
        return (await anonymous.manifest(location.repository, digest)) !== undefined
      } catch (error) {
        if (error instanceof RegistryHttpError && (error.kind === 'unauthorized' || error.kind === 'denied'))
          return false
        throw error
      }
    },
    syncMetadata: (location, metadata) =>
      syncMetadata(client, location.repository, metadata.bytes, path.basename(metadata.file))
  }
}

/**
 * helm's way: `helm show chart` and `helm pull`, for a registry whose auth the client does not speak or whose
 * credentials only a Docker credential helper knows. It cannot tell the chart layer's digest (so identical
 * content is not recognised) nor whether the chart is public, and pushes no Artifact Hub metadata.
 */
export function helmReader(
  helm: Helm,
  registry: { host: string; plainHttp: boolean },
  login?: { username: string; password: string }
): RegistryReader {
  const { plainHttp } = registry
  return {
    via: 'helm',
    async checkCredentials() {
      if (login) await helm.registryLogin(registry.host, login.username, login.password, plainHttp)
    },
    async lookUp(location, version) {
      try {
        const { digest } = await helm.showChart(location.url, version, plainHttp)
        return { digest }
      } catch (error) {
        if (classifyFailure(errorMessage(error), location.ref) === 'not-found') return undefined
        throw error
      }
    },
    inspect: (location, version) => helm.showChart(location.url, version, plainHttp),
    async download(location, version, digest, file, withProv = false) {
      await Promise.all([rm(file, { force: true }), rm(`${file}.prov`, { force: true })])
      const pulled = await helm.pull(location.url, version, path.dirname(file), plainHttp, withProv)
      if (pulled.digest !== digest) {
        throw new Error(
          `${location.ref} changed while this run kept it: it was ${digest} and is now ${pulled.digest}. ` +
            'Something else pushes to it; check the registry before re-running.'
        )
      }
      // helm only warns when there is none.
      return (
        withProv &&
        access(`${file}.prov`).then(
          () => true,
          () => false
        )
      )
    },
    isPublic: async () => undefined,
    // helm pushes charts only, and the credentials it reads from a helper are never the action's to send.
    syncMetadata: async () => undefined
  }
}

/**
 * The client for every question, switching to helm for the rest of the run when the registry asks for an auth
 * scheme the client does not know; `onSwitch` logs why, once.
 */
export function readerFor(
  access: ReadAccess,
  client: () => RegistryClient,
  helm: () => RegistryReader,
  onSwitch: (reason: string) => void
): RegistryReader {
  if (access.kind === 'credential-helper') {
    onSwitch(`The registry's credentials come from ${access.helper}, which only helm runs: helm reads the registry.`)
    return helm()
  }
  let current = clientReader(client())
  const fallBack = (error: UnsupportedAuthError) => {
    if (current.via !== 'helm') {
      onSwitch(
        `The registry asks for ${show(error.scheme)} authentication, which only helm speaks: helm reads the registry.`
      )
      current = helm()
    }
    return current
  }
  const each =
    <A extends unknown[], R>(pick: (reader: RegistryReader) => (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await pick(current)(...args)
      } catch (error) {
        if (!(error instanceof UnsupportedAuthError)) throw error
        return pick(fallBack(error))(...args)
      }
    }
  return {
    get via() {
      return current.via
    },
    checkCredentials: each(reader => reader.checkCredentials),
    lookUp: each(reader => reader.lookUp),
    inspect: each(reader => reader.inspect),
    download: each(reader => reader.download),
    isPublic: each(reader => reader.isPublic),
    syncMetadata: each(reader => reader.syncMetadata)
  }
}
