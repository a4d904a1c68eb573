import { existsSync } from 'node:fs'
import path from 'node:path'
import { linkTarget, outsideError } from '../charts/containment.js'
import { isWithin } from '../inputs/paths.js'
import type { ChangelogSection } from './changelog-section.js'
import { readChartText } from './read-text.js'

export const CHANGELOG = 'CHANGELOG.md'

/**
 * The changelog of a chart: `CHANGELOG.md` in the chart's directory, else at the root of the workspace. The
 * first one found is the chart's, also when it has no section for the version: a chart that keeps its own
 * changelog (as a monorepo's charts often do) is not described by the repository's. The root file is
 * refused when it is a symlink out of the workspace, as a chart's files are.
 */
export async function readChangelog(
  chartDir: string,
  workspace: string,
  version: string
): Promise<{ file?: string; section?: ChangelogSection }> {
  const file = [chartDir, workspace].map(dir => path.join(dir, CHANGELOG)).find(candidate => existsSync(candidate))
  if (!file) return {}
  const target = await linkTarget(file)
  if (!isWithin(await linkTarget(workspace), target)) throw outsideError(file, target, workspace)
  const text = await readChartText(file)
  // The Markdown parser (markdown-it) is loaded only for a repository that has a changelog: most runs have none.
  const { parseChangelogSection } = await import('./changelog-section.js')
  return { file, section: parseChangelogSection(text, file, version) }
}
