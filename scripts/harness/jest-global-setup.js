// The run's temporary root (see test-root.js) and the whole-run password scan (see secret-scan.js); test
// workers inherit both through the environment.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { TRANSCRIPTS } from './secret-scan.js'
import { testRoot } from './test-root.js'

export default async function globalSetup() {
  const transcripts = path.join(await testRoot(), 'transcripts')
  await mkdir(transcripts)
  process.env[TRANSCRIPTS] = transcripts
}
