// Stops any registry a test left running, removes the run's temporary root, and fails the test run when any run
// of the action showed a password anywhere (see secret-scan.js).
import { rm } from 'node:fs/promises'
import { stopLeftRegistries } from './registry.js'
import { findLeaks, readTranscripts, TRANSCRIPTS } from './secret-scan.js'
import { TEST_ROOT } from './test-root.js'

export default async function globalTeardown() {
  let transcripts
  try {
    const left = await stopLeftRegistries(process.env[TEST_ROOT])
    if (left) console.log(`\nStopped ${left} registry process(es) that tests left running.`)
    transcripts = await readTranscripts(process.env[TRANSCRIPTS])
  } finally {
    await rm(process.env[TEST_ROOT], { recursive: true, force: true, maxRetries: 3 })
  }
  const leaks = findLeaks(transcripts)
  if (leaks.length) throw new Error(`Passwords leaked in ${leaks.length} place(s):\n${leaks.join('\n')}`)
  console.log(
    `\nPassword scan: ${transcripts.length} runs of the action, no password in any log, output, summary or helm argv.`
  )
}
