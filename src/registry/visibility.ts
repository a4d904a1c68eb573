import type { Registry } from './reference.js'

/** Whose account holds the repository, from the event payload's `repository.owner.type`. */
export type OwnerType = 'Organization' | 'User' | ''

/**
 * The GHCR settings page of the chart's package, where its visibility is changed; undefined off ghcr.io. A
 * package is named by its path under the owner (`charts/llm-proxy`), and the page lives under `orgs/` or
 * `users/`: the event says which when the registry's owner is the repository's, else an organisation is assumed,
 * as platform teams publish from one.
 */
export function packageSettingsUrl(
  registry: Pick<Registry, 'host' | 'namespace'>,
  chartName: string,
  repositoryOwner: { login: string; type: OwnerType }
): string | undefined {
  if (registry.host !== 'ghcr.io') return undefined
  const [owner, ...path] = [...registry.namespace.split('/').filter(Boolean), chartName]
  if (!path.length) return undefined
  const isUser = repositoryOwner.type === 'User' && repositoryOwner.login.toLowerCase() === owner
  return `https://github.com/${isUser ? 'users' : 'orgs'}/${owner}/packages/container/${encodeURIComponent(path.join('/'))}/settings`
}

/** The notice for a chart that only a login can pull. */
export function privateNotice(ref: string, settingsUrl: string): string {
  return (
    `${ref} is private: pulling it needs a login. To let anyone pull it, change its visibility to public at ` +
    `${settingsUrl} (Danger Zone → Change visibility).`
  )
}
