import * as core from '@actions/core'
import { closeSession, savedSession } from './helm/session.js'
import { savedGroups, stopGroups } from './helm/processes.js'
import { STATE } from './state.js'

/**
 * The safety net: the main step cleans up after itself, so this only runs when it could not (it was killed).
 * helm goes first: an orphaned push must not go on after its credentials are gone, nor publish unverified.
 */
export async function post(): Promise<void> {
  const groups = savedGroups(core.getState(STATE.helmGroups))
  if (groups.length) {
    await stopGroups(groups)
    core.warning(
      `The main step ended while helm still ran (process groups ${groups.join(', ')}); stopped it. A push under ` +
        'way may or may not have reached the registry: check it, and re-run with if-exists: skip to complete the release.'
    )
  }
  if (core.getState(STATE.helmHome)) await closeSession(savedSession())
}
