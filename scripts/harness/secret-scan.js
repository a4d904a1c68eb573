// The whole-run password scan: every run of the action in a test run leaves a transcript (all it showed or
// left behind, and the argv of every helm it started from PATH) in the directory HELM_RELEASE_TRANSCRIPTS
// names; jest's global teardown then fails the run if any password given to any run shows up anywhere in them.
// A helm the run installs itself (input helm-version) runs from the tool cache, so its argv is not recorded.
import { randomUUID } from 'node:crypto'
import { constants } from 'node:fs'
import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
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

/** The first executable `helm` on a PATH, or undefined. */
async function helmOn(searchPath) {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, 'helm')
    try {
      await access(file, constants.X_OK)
      return file
    } catch {
      // None here: the next directory.
    }
  }
  return undefined
}

/**
 * With the scan on and a helm on the run's PATH (the one the test gives it, when it gives one): a directory to
 * put first on that PATH, holding a `helm` that appends its argv to `argvFile` and then execs that helm (a
 * test's own recording helm, or the real one). Undefined otherwise, so that a run meant to find no helm finds
 * none.
 */
export async function helmArgvRecorder(runnerDir, searchPath) {
  const next = process.env[TRANSCRIPTS] && (await helmOn(searchPath))
  if (!next) return undefined
  const dir = path.join(runnerDir, 'helm-argv')
  const argvFile = path.join(runnerDir, 'helm-argv.log')
  await mkdir(dir)
  await writeFile(path.join(dir, 'helm'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvFile}'\nexec '${next}' "$@"\n`, {
    mode: 0o755
  })
  await writeFile(argvFile, '')
  return { dir, argvFile }
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
