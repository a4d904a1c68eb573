import { stringify } from 'yaml'
import type { Change } from './changelog-section.js'

/** The key a chart is signed with, for `artifacthub.io/signKey`. */
export interface SignKey {
  fingerprint: string
  /** Where users fetch the public key; empty when the run names no place. */
  url: string
}

export interface ArtifactHubFacts {
  /** The entries of the released version's changelog section. */
  changes: Change[]
  /** The Docker image of the release (input image) and the tag the chart deploys; undefined without an image. */
  image?: { name: string; tag: string }
  prerelease: boolean
  signKey?: SignKey
}

// Artifact Hub reads these annotations' values as YAML documents of their own, so each value is serialised
// by the yaml package: an entry's text can hold anything, `: ` and `#` included, and must stay one string.
const asYaml = (value: unknown) => stringify(value, { lineWidth: 0 })

/**
 * Artifact Hub's annotations (https://artifacthub.io/docs/topics/annotations/helm/) for what the run knows of
 * the release, in the order they are added; none for what it does not know (no changes, no image, a stable
 * version, no signing key), since a missing `artifacthub.io/prerelease` reads as false.
 */
export function artifactHubAnnotations(facts: ArtifactHubFacts): [string, string][] {
  const annotations: [string, string][] = []
  if (facts.changes.length) annotations.push(['artifacthub.io/changes', asYaml(facts.changes)])
  if (facts.image) {
    const { name, tag } = facts.image
    annotations.push(['artifacthub.io/images', asYaml([{ name: name.split('/').pop(), image: `${name}:${tag}` }])])
  }
  if (facts.prerelease) annotations.push(['artifacthub.io/prerelease', 'true'])
  if (facts.signKey) {
    const { fingerprint, url } = facts.signKey
    annotations.push(['artifacthub.io/signKey', asYaml(url ? { fingerprint, url } : { fingerprint })])
  }
  return annotations
}
