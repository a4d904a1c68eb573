// After every e2e test, the steps of the action it started and did not see end are killed with what they started
// (runner.js): a test that timed out never reaches its own clean-up, but jest runs this hook all the same.
import { afterEach } from '@jest/globals'
import { stopStartedSteps } from './runner.js'

afterEach(async () => {
  const stopped = await stopStartedSteps()
  if (stopped) console.warn(`Killed ${stopped} step(s) of the action that the test left running.`)
})
