// Stand-ins for helm and git, to put first on PATH: each notes its arguments and the environment it was started
// with (/proc/$$/environ, as the kernel has it) in files of its own, then execs the real program.
import { execFile } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { helmDir, node24 } from './tools.js'

const nulSeparated = text => text.split('\0').filter(Boolean)

/** @param {string} helm the helm version the stand-in runs */
export async function recordingPrograms(helm) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'recording-'))
  const bin = path.join(dir, 'bin')
  const seen = path.join(dir, 'calls')
  await mkdir(bin)
  await mkdir(seen)
  const git = (await promisify(execFile)('sh', ['-c', 'command -v git'])).stdout.trim()
  const real = { helm: path.join(helmDir(helm), 'helm'), git }
  for (const [name, program] of Object.entries(real)) {
    const script = [
      '#!/bin/sh',
      `call="$(mktemp '${seen}/${name}.XXXXXX')"`,
      'cat /proc/$$/environ > "$call.env"',
      `printf '%s\\0' "$@" > "$call.args"`,
      `exec '${program}' "$@"`,
      ''
    ].join('\n')
    await writeFile(path.join(bin, name), script)
    await chmod(path.join(bin, name), 0o755)
  }
  return {
    PATH: [bin, path.dirname(node24()), '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter),
    /** Each call's program, arguments and environment, in no particular order. */
    async calls() {
      const files = (await readdir(seen)).filter(file => !file.includes('.', file.indexOf('.') + 1))
      return Promise.all(
        files.map(async file => {
          const call = path.join(seen, file)
          const pairs = nulSeparated(await readFile(`${call}.env`, 'utf8')).map(pair => [
            pair.slice(0, pair.indexOf('=')),
            pair.slice(pair.indexOf('=') + 1)
          ])
          return {
            program: file.split('.')[0],
            args: nulSeparated(await readFile(`${call}.args`, 'utf8')),
            env: Object.fromEntries(pairs)
          }
        })
      )
    }
  }
}
