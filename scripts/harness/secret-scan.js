// The whole-run password scan: every run of the action in a test run leaves a transcript (all it showed or
// left behind, and the argv of every helm it started) in the directory HELM_RELEASE_TRANSCRIPTS names; jest's
// global teardown then fails the run if any password given to any run shows up anywhere in them.
import { randomUUID } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

export const TRANSCRIPTS = 'HELM_RELEASE_TRANSCRIPTS'

/**
 * What a person reading the log would see: the runner hides ::add-mask:: commands, the one place a secret
 * may appear.
 */
export function visible(text) {
  return text
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
}

/**
 * @param {{ name: string, secrets: string[], texts: Record<string, string> }[]} transcripts
 * @returns {string[]} one line per leak: which transcript, which part, which secret (masked)
 */
export function findLeaks(transcripts) {
  const secrets = [...new Set(transcripts.flatMap(transcript => transcript.secrets))].filter(Boolean)
  const leaks = []
  for (const transcript of transcripts) {
    for (const [part, text] of Object.entries(transcript.texts)) {
      const shown = visible(text ?? '')
      for (const secret of secrets) {
        if (shown.includes(secret)) leaks.push(`${transcript.name}: ${part} holds the password ${secret.slice(0, 3)}…`)
      }
    }
  }
  return leaks
}

/** Called by the runner after each run of the action when the scan is on. */
export async function saveTranscript(name, secrets, texts) {
  const dir = process.env[TRANSCRIPTS]
  if (!dir) return
  await writeFile(path.join(dir, `${randomUUID()}.json`), JSON.stringify({ name, secrets, texts }))
}

export async function readTranscripts(dir) {
  const files = (await readdir(dir)).filter(file => file.endsWith('.json'))
  return Promise.all(files.map(async file => JSON.parse(await readFile(path.join(dir, file), 'utf8'))))
}
