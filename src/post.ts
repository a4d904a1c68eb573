import { closeSession, savedSession } from './helm/session.js'

/** The safety net: the main step cleans up after itself, so this only runs when it could not (it was killed). */
export async function post(): Promise<void> {
  await closeSession(savedSession())
}
