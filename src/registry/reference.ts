import { show } from '../text.js'

export interface Registry {
  /** host[:port], lowercase: what `helm registry login` takes. */
  host: string
  /** Path under the host, may be empty: `sofatutor` in ghcr.io/sofatutor. */
  namespace: string
  /** `oci://host/namespace`: what `helm push` takes; helm appends the chart name. */
  url: string
}

export interface ChartLocation {
  /** `oci://ghcr.io/sofatutor/llm-proxy`, for `helm install x <url> --version <version>`. */
  url: string
  /** `ghcr.io/sofatutor/llm-proxy:1.2.3`, the OCI reference as a registry names it. */
  ref: string
  /** `ghcr.io/sofatutor/llm-proxy`: the repository with its host, no tag (an attestation's subject). */
  name: string
  /** `sofatutor/llm-proxy`: the repository's name under the host, as the registry API takes it. */
  repository: string
  /** `1.2.3`, or `1.2.3_build.5` for `1.2.3+build.5`. */
  tag: string
}

// Host and path rules of OCI references, shared with chart names and image names.
export const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?$/
export const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/

/**
 * Normalises the registry input: `oci://` optional, trailing slashes dropped, lowercased (GHCR refuses
 * uppercase owners, and `${{ github.repository_owner }}` keeps the owner's capitals).
 */
export function parseRegistry(input: string, chartNames: string[]): Registry {
  const fix = 'Give it as oci://HOST/NAMESPACE, e.g. oci://ghcr.io/sofatutor.'
  const trimmed = input.trim()
  if (trimmed === '') throw new Error(`Input registry is empty. ${fix}`)
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) && !/^oci:\/\//i.test(trimmed)) {
    throw new Error(`Input registry ${show(input)} has a scheme other than oci://. ${fix}`)
  }
  const bare = trimmed
    .replace(/^oci:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase()
  const [host, ...segments] = bare.split('/')
  if (!HOST.test(host)) throw new Error(`Input registry ${show(input)} does not start with a valid host name. ${fix}`)
  const bad = segments.find(segment => !PATH_COMPONENT.test(segment))
  if (bad !== undefined) {
    throw new Error(`Input registry ${show(input)} has the invalid path part ${show(bad)}. ${fix}`)
  }
  const chartName = chartNames.find(name => name === segments.at(-1))
  if (chartName !== undefined) {
    const parent = ['oci:/', host, ...segments.slice(0, -1)].join('/')
    throw new Error(
      `Input registry ${show(input)} already ends in the chart name ${show(chartName)}, and helm appends the ` +
        `chart name itself: the chart would land at ${bare}/${chartName}. Set registry to ${parent} instead.`
    )
  }
  const namespace = segments.join('/')
  return { host, namespace, url: `oci://${bare}` }
}

/**
 * Whether a registry host (host[:port], as parseRegistry gives it) is this machine: what plain HTTP may reach
 * without the password crossing a network. A name other than localhost may resolve anywhere.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[(.*)\](?::[0-9]+)?$/, '$1').replace(/^([^:]*):[0-9]+$/, '$1')
  if (name === 'localhost' || name === '::1') return true
  const octets = name.split('.')
  return (
    octets.length === 4 &&
    octets[0] === '127' &&
    octets.every(octet => /^(0|[1-9][0-9]{0,2})$/.test(octet) && Number(octet) <= 255)
  )
}

/** OCI tags cannot hold '+', so helm publishes build metadata with '_' in its place. */
export function ociTag(version: string): string {
  return version.replaceAll('+', '_')
}

export function locateChart(registry: Registry, name: string, version: string): ChartLocation {
  const repository = [registry.namespace, name].filter(part => part !== '').join('/')
  const tag = ociTag(version)
  return {
    url: `oci://${registry.host}/${repository}`,
    ref: `${registry.host}/${repository}:${tag}`,
    name: `${registry.host}/${repository}`,
    repository,
    tag
  }
}
