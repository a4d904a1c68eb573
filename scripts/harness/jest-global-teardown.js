// Fails the test run when any run of the action showed a password anywhere (see secret-scan.js).
import { rm } from 'node:fs/promises'
import { findLeaks, readTranscripts, TRANSCRIPTS } from './secret-scan.js'

export default async function globalTeardown() {
  const dir = process.env[TRANSCRIPTS]
  if (!dir) return
  const transcripts = await readTranscripts(dir)
  await rm(dir, { recursive: true, force: true })
  const leaks = findLeaks(transcripts)
  if (leaks.length) throw new Error(`Passwords leaked in ${leaks.length} place(s):\n${leaks.join('\n')}`)
  console.log(
    `\nPassword scan: ${transcripts.length} runs of the action, no password in any log, output, summary or helm argv.`
  )
}
