import { createHash } from 'node:crypto'
import type { Chart, Dependency } from '../charts/chart.js'
import { transcript, type Helm } from '../helm/helm.js'
import { logGroup } from '../log-group.js'

export interface Repository {
  name: string
  url: string
}

/**
 * The http(s) repositories the dependencies name, each under a name derived from its URL, so that
 * `helm dependency build` finds them without a `helm repo add` step of the user's. oci:// and file://
 * dependencies need no repository entry.
 */
export function repositoriesToAdd(dependencies: Dependency[]): Repository[] {
  const urls = new Set(dependencies.map(dep => dep.repository).filter(url => /^https?:\/\//i.test(url)))
  return [...urls].map(url => ({
    name: `helm-release-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`,
    url
  }))
}

/** Adds the http(s) repositories every chart's dependencies name, once, before any dependency build. */
export async function addRepositories(helm: Helm, charts: Chart[]): Promise<void> {
  const repositories = repositoriesToAdd(charts.flatMap(chart => chart.meta.dependencies))
  if (repositories.length === 0) return
  await logGroup('Chart repositories', async log => {
    for (const repository of repositories) log(transcript(await helm.repoAdd(repository.name, repository.url)))
  })
}
