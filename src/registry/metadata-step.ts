import * as core from '@actions/core'
import path from 'node:path'
import type { Outcome } from '../build/build.js'
import type { ArtifactHubRepo } from '../chart-files/artifacthub-repo.js'
import { logGroup, type Log } from '../log-group.js'
import { errorMessage } from '../text.js'
import { ARTIFACTHUB_CONFIG, ARTIFACTHUB_LAYER, metadataRef, type MetadataSync } from './artifacthub-metadata.js'

/**
 * The chart repository's Artifact Hub metadata, brought up to date once the chart is in the registry (pushed or
 * kept); `sync` pushes it unless the tag holds it already, and gives undefined when the run's reader cannot push
 * (helm's). A failure is the chart's problem rather than a warning: Artifact Hub would go on reading the old owners
 * and repositoryID, which decide who may claim the repository, and nothing else would say so. The message leads
 * with what is published. A reader that cannot push only warns, with the command that does it.
 */
export async function publishMetadata(
  outcome: Outcome,
  metadata: ArtifactHubRepo,
  sync: (log: Log) => Promise<MetadataSync | undefined>
): Promise<Outcome> {
  const ref = metadataRef(outcome.location)
  try {
    await logGroup(`${outcome.chartName}: Artifact Hub metadata ${ref}`, async log => {
      const synced = await sync(log)
      if (!synced) {
        core.warning(
          `${metadata.file} was not pushed to ${ref}: the registry's credentials are helm's only (a Docker ` +
            'credential helper or an auth scheme the action does not speak), and helm pushes charts only. Give ' +
            `inputs username and password, or push it yourself: oras push ${ref} --config ` +
            `/dev/null:${ARTIFACTHUB_CONFIG} ${path.basename(metadata.file)}:${ARTIFACTHUB_LAYER}`
        )
      } else if (synced.pushed) {
        log(`Pushed ${metadata.file} to ${ref} (${synced.digest}), where Artifact Hub reads it.`)
      } else {
        log(`${ref} (${synced.digest}) already holds ${metadata.file} byte for byte: nothing pushed.`)
      }
    })
    return outcome
  } catch (error) {
    return {
      ...outcome,
      problem:
        `${outcome.location.ref} is published (${outcome.digest}); only its Artifact Hub metadata ` +
        `(${metadata.file} to ${ref}) failed, so Artifact Hub still reads what ${ref} held before. A re-run with input ` +
        `if-exists: skip keeps the published chart and pushes the metadata.\n` +
        errorMessage(error)
    }
  }
}
