// Turns the whole-run password scan on (see secret-scan.js); test workers inherit the variable.
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { TRANSCRIPTS } from './secret-scan.js'

export default async function globalSetup() {
  process.env[TRANSCRIPTS] = await mkdtemp(path.join(os.tmpdir(), 'transcripts-'))
}
