import { getExecOutput } from '@actions/exec'
import { which } from '@actions/io'
import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseDigest } from './registry.js'

export interface HelmResult {
  /** The command as it was run, for the log; never holds a secret, since secrets go through stdin. */
  command: string
  stdout: string
  stderr: string
}

export interface RunOptions {
  /** Written to helm's stdin: how passwords reach helm without touching argv. */
  stdin?: string
}

const TWO_WORD_COMMANDS = new Set(['dependency', 'registry', 'repo'])

export class HelmError extends Error {
  readonly subcommand: string
  readonly exitCode: number
  readonly stderr: string

  constructor(subcommand: string, exitCode: number, stdout: string, stderr: string) {
    const detail = [stderr.trim(), stdout.trim()].filter(Boolean).join('\n') || '(no output)'
    super(`helm ${subcommand} failed (exit code ${exitCode}):\n${detail}`)
    this.name = 'HelmError'
    this.subcommand = subcommand
    this.exitCode = exitCode
    this.stderr = stderr
  }
}

/** The one way the action runs helm: argv arrays, output captured, failures as HelmError. */
export class Helm {
  readonly bin: string
  readonly env: Record<string, string>

  /** `overrides` are laid over the step's own environment (HELM_* paths of this run). */
  constructor(bin: string, overrides: Record<string, string>) {
    this.bin = bin
    const inherited = Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined)
    this.env = { ...Object.fromEntries(inherited), ...overrides }
  }

  static async find(overrides: Record<string, string>): Promise<Helm> {
    const bin = await which('helm', false)
    if (!bin) {
      throw new Error('helm was not found on PATH. Install it in an earlier step, e.g. with azure/setup-helm.')
    }
    return new Helm(bin, overrides)
  }

  async run(args: string[], options: RunOptions = {}): Promise<HelmResult> {
    const output = await getExecOutput(this.bin, args, {
      ignoreReturnCode: true,
      silent: true,
      env: this.env,
      input: options.stdin === undefined ? undefined : Buffer.from(options.stdin)
    })
    if (output.exitCode !== 0) {
      const words = TWO_WORD_COMMANDS.has(args[0]) ? args.slice(0, 2) : args.slice(0, 1)
      throw new HelmError(words.join(' '), output.exitCode, output.stdout, output.stderr)
    }
    return { command: ['helm', ...args].join(' '), stdout: output.stdout, stderr: output.stderr }
  }

  lint(chartDir: string, strict: boolean): Promise<HelmResult> {
    return this.run(['lint', chartDir, ...(strict ? ['--strict'] : [])])
  }

  repoAdd(name: string, url: string): Promise<HelmResult> {
    return this.run(['repo', 'add', name, url, '--force-update'])
  }

  dependencyBuild(chartDir: string): Promise<HelmResult> {
    return this.run(['dependency', 'build', chartDir])
  }

  /** Resolves the dependencies anew and rewrites Chart.lock: for a lock the action cannot move itself. */
  dependencyUpdate(chartDir: string): Promise<HelmResult> {
    return this.run(['dependency', 'update', chartDir])
  }

  packageChart(chartDir: string, destination: string): Promise<HelmResult> {
    return this.run(['package', chartDir, '--destination', destination])
  }

  registryLogin(host: string, username: string, password: string, plainHttp: boolean): Promise<HelmResult> {
    const args = ['registry', 'login', host, '--username', username, '--password-stdin']
    return this.run(plainHttp ? [...args, '--plain-http'] : args, { stdin: password })
  }

  registryLogout(host: string): Promise<HelmResult> {
    return this.run(['registry', 'logout', host])
  }

  async push(packagePath: string, registryUrl: string, plainHttp: boolean): Promise<HelmResult & { digest: string }> {
    const result = await this.run(['push', packagePath, registryUrl, ...(plainHttp ? ['--plain-http'] : [])])
    const digest = parseDigest(result.stdout, result.stderr)
    if (!digest) {
      throw new Error(
        `helm push reported no "Digest:" line, so the pushed digest is unknown. helm said:\n${result.stderr}${result.stdout}`
      )
    }
    return { ...result, digest }
  }
}

/** What a phase prints of a helm call: the command, then helm's own output. */
export function transcript(result: HelmResult): string {
  return [`$ ${result.command}`, result.stdout.trimEnd(), result.stderr.trimEnd()].filter(Boolean).join('\n')
}

/**
 * helm's configuration for this run, all in the run's own helm home: registry credentials never land
 * in the user's helm config, and repositories the action adds do not linger there.
 */
export function helmEnv(home: string): Record<string, string> {
  return {
    HELM_REGISTRY_CONFIG: path.join(home, 'registry-config.json'),
    HELM_REPOSITORY_CONFIG: path.join(home, 'repositories.yaml'),
    HELM_REPOSITORY_CACHE: path.join(home, 'repository-cache')
  }
}

function userRepositoryConfig(): string {
  if (process.env.HELM_REPOSITORY_CONFIG) return process.env.HELM_REPOSITORY_CONFIG
  const configHome = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config')
  return path.join(configHome, 'helm', 'repositories.yaml')
}

/**
 * Creates the 0600 registry config before any login, and starts from a copy of the user's repositories so
 * that repositories an earlier step added (with their credentials) still resolve dependencies.
 */
export async function prepareHelmHome(home: string): Promise<Record<string, string>> {
  const env = helmEnv(home)
  await mkdir(env.HELM_REPOSITORY_CACHE, { recursive: true, mode: 0o700 })
  await writeFile(env.HELM_REGISTRY_CONFIG, '{"auths":{}}\n', { mode: 0o600 })
  await copyFile(userRepositoryConfig(), env.HELM_REPOSITORY_CONFIG).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
  return env
}
