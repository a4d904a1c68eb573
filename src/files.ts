import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Creates a file that must not exist yet (O_CREAT | O_EXCL): a symlink planted at its name fails the write
 * instead of redirecting it, since O_EXCL never follows a link.
 */
export async function writeNewFile(file: string, data: string | Uint8Array, mode?: number): Promise<void> {
  await writeFile(file, data, { flag: 'wx', mode })
}

/**
 * Replaces a file through a new one beside it, under a name nobody can predict and created exclusively, then
 * renamed over the old: a failure midway leaves the old content rather than a torn file, and a link planted in
 * the directory (a chart from a pull request can hold any) redirects nothing. The rename replaces the name
 * itself, never what a link there points at.
 */
export async function replaceFile(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(12).toString('hex')}.tmp`)
  try {
    await writeNewFile(temporary, data)
    await rename(temporary, file)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}
