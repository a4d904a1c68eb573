import { isLoopbackHost } from '../registry/reference.js'
import { show } from '../text.js'

export interface HelmVersion {
  major: number
  minor: number
  patch: number
  /** As helm reports it, e.g. `v3.18.0`. */
  text: string
}

/** What the run asks of helm, to check against what the installed version can do. */
export interface HelmNeeds {
  push: boolean
  login: boolean
  plainHttp: boolean
  /** Every version the run publishes. */
  versions: string[]
}

/**
 * The helm-version the action suggests: the newest Helm release that keeps the registry credentials from
 * other hosts (see forwardsCredentials).
 */
export const RECOMMENDED_HELM = '4.2.4'

const FIX = `Set input helm-version (e.g. ${RECOMMENDED_HELM}) to have the action install a suitable helm.`

/** Reads `helm version --template {{.Version}}`: `v3.18.0`, also with a `+g1234abc` or `-rc.1` suffix. */
export function parseHelmVersionOutput(output: string): HelmVersion | undefined {
  const match = /^v?([0-9]+)\.([0-9]+)\.([0-9]+)\S*$/.exec(output.trim())
  if (!match) return undefined
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), text: output.trim() }
}

export const atLeast = (version: HelmVersion, major: number, minor: number, patch = 0): boolean =>
  version.major !== major
    ? version.major > major
    : version.minor !== minor
      ? version.minor > minor
      : version.patch >= patch

/**
 * Helm 3.18 moved to oras-go v2, whose transport retries HTTP 429 (honouring Retry-After) and 5xx five times
 * by itself; a refused or reset connection it does not retry.
 */
export function helmRetriesHttp(version: HelmVersion): boolean {
  return atLeast(version, 3, 18)
}

/**
 * Whether helm sends its registry credentials on to whatever host the registry names in a blob upload's
 * Location: oras-go v2 before v2.6.1 copies the Authorization header to that upload without comparing origins
 * (GHSA-jxpm-75mh-9fp7, fixed by oras-project/oras-go#1152 in v2.6.1, which also drops the header on a
 * redirect to another scheme, host or port: GHSA-vh4v-2xq2-g5cg). Helm moved to oras-go v2 in 3.18.0 and,
 * by its go.mod, ships v2.6.1 from 3.21.1 and 4.2.1 on (every 4.x before has v2.6.0); older Helm 3 pushed
 * through containerd, which drops the credentials when the Location changes host or scheme.
 */
export function forwardsCredentials(version: HelmVersion): boolean {
  if (version.major === 3) return atLeast(version, 3, 18) && !atLeast(version, 3, 21, 1)
  return version.major === 4 && !atLeast(version, 4, 2, 1)
}

/** What the run should know before the password goes anywhere; the run goes on regardless. */
export function credentialWarnings(version: HelmVersion, needs: HelmNeeds, registryHost: string): string[] {
  if (!needs.push || !needs.login) return []
  const warnings: string[] = []
  if (forwardsCredentials(version)) {
    warnings.push(
      `helm ${version.text} sends the registry credentials (with basic auth, the password itself) to any host ` +
        `the registry names for a blob upload, not only to ${registryHost} (oras-go GHSA-jxpm-75mh-9fp7): a ` +
        'hostile or hijacked registry can collect them. Helm 4.2.1 and 3.21.1 and later do not; set input ' +
        `helm-version: ${RECOMMENDED_HELM} to have the action install one.`
    )
  }
  if (needs.plainHttp && !isLoopbackHost(registryHost)) {
    warnings.push(
      `Input plain-http sends the password for ${registryHost} across the network in clear text: anyone on ` +
        'the way can read it and push in your name. Use HTTPS for a registry off this machine; plain-http is ' +
        'for one on 127.0.0.1 or localhost.'
    )
  }
  return warnings
}

/** Refuses, before anything changes, a run the installed helm cannot carry out, and says which helm can. */
export function checkHelmSupports(version: HelmVersion, needs: HelmNeeds): void {
  const helm = `helm ${version.text}`
  if (!atLeast(version, 3, 8)) {
    throw new Error(`${helm} cannot push to OCI registries; that needs Helm 3.8 or later. ${FIX}`)
  }
  if (!needs.push) return
  if (needs.plainHttp && !atLeast(version, 3, 13)) {
    throw new Error(`Input plain-http needs Helm 3.13 or later (helm push --plain-http); ${helm} lacks it. ${FIX}`)
  }
  const withBuild = needs.versions.find(wanted => wanted.includes('+'))
  if (version.major === 3 && version.minor === 18 && version.patch === 0 && withBuild !== undefined) {
    throw new Error(
      `${helm} cannot push version ${show(withBuild)}: it fails with "not found" on any version with build ` +
        `metadata (helm/helm#30881, fixed in 3.18.1). Use Helm 3.18.1 or later, e.g. set input helm-version: ${RECOMMENDED_HELM}.`
    )
  }
}
