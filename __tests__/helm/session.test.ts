import { describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { closeOpenSession, closeSession, openSession } from '../../src/helm/session.js'

describe('closeSession', () => {
  test('one clean-up per session: a second call (a cancelled step) waits for the one under way', async () => {
    const runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'session-'))
    try {
      const session = await openSession(runnerTemp)
      const first = closeSession(session)
      expect(closeSession(session)).toBe(first)
      await closeOpenSession()
      await first
      expect(existsSync(session.home)).toBe(false)
    } finally {
      await rm(runnerTemp, { recursive: true, force: true })
    }
  })
})
