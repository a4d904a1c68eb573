import { installCommand, type Outcome } from '../build/build.js'
import type { Inputs } from '../inputs/inputs.js'
import type { RunContext } from '../inputs/run-context.js'
import { logGroup } from '../log-group.js'
import type { RunOutcome } from '../outputs/outputs.js'
import { createGitHubRelease } from './github-release.js'
import { changelogNotes, type ChartChangelog } from './release-body.js'

/**
 * The GitHub Release for the tag, pointing at every pushed chart, its notes led by the charts' changelog
 * sections; none for a dry run. Returns its URL.
 */
export async function githubRelease(
  inputs: Pick<Inputs, 'push' | 'githubToken' | 'timeoutMs'>,
  context: Pick<RunContext, 'repository' | 'sha'>,
  run: Omit<RunOutcome, 'releaseUrl'>,
  outcomes: Outcome[],
  changelogs: ChartChangelog[]
): Promise<string> {
  return logGroup('GitHub Release', async log => {
    if (!inputs.push || !run.tagged) {
      const why = inputs.push ? 'the ref is no tag' : 'push is false'
      log(`Not creating a release: ${why}, so there is no published chart to point it at.`)
      return ''
    }
    const charts = outcomes.map(outcome => ({
      install: installCommand(outcome),
      chartRef: outcome.location.ref,
      digest: outcome.digest,
      packagePath: outcome.packagePath,
      // The registry's own provenance, when it serves one: see the registry step.
      ...(outcome.provenance && { provPath: `${outcome.packagePath}.prov` })
    }))
    const spec = {
      tag: run.tagged.tag,
      sha: context.sha,
      prerelease: run.tagged.prerelease !== '',
      makeLatest: run.image.isLatest,
      charts,
      changelog: changelogNotes(
        changelogs,
        outcomes.map(outcome => outcome.chartName)
      )
    }
    return createGitHubRelease(context.repository, inputs.githubToken, spec, log, inputs.timeoutMs)
  })
}
