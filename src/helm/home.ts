import { constants } from 'node:fs'
import { copyFile, mkdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { writeNewFile } from '../files.js'

/**
 * helm's configuration for this run, all in the run's own helm home: registry credentials never land
 * in the user's helm config, and repositories the action adds do not linger there.
 *
 * Each helm call lives well under a second, yet with Go's default GOGC=100 spends about a third of its CPU
 * collecting garbage; GOGC=400 lets the short-lived heap grow instead (helm's live heap is tens of MB). A
 * GOGC the job sets wins.
 */
export function helmEnv(home: string): Record<string, string> {
  return {
    HELM_REGISTRY_CONFIG: path.join(home, 'registry-config.json'),
    HELM_REPOSITORY_CONFIG: path.join(home, 'repositories.yaml'),
    HELM_REPOSITORY_CACHE: path.join(home, 'repository-cache'),
    GOGC: process.env.GOGC || '400'
  }
}

function userRepositoryConfig(): string {
  if (process.env.HELM_REPOSITORY_CONFIG) return process.env.HELM_REPOSITORY_CONFIG
  const configHome = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config')
  return path.join(configHome, 'helm', 'repositories.yaml')
}

export interface RegistryLogin {
  host: string
  username: string
  password: string
}

/**
 * The registry config `helm registry login` would write (Docker's format, one `auths` entry for the host),
 * written by the action instead. Measured and chosen over the login for three reasons: helm (through oras-go's
 * DetectDefaultNativeStore) hands a login's credentials to `docker-credential-pass` or `-secretservice`
 * whenever they are installed and the config holds no entry yet, where deleting the file does not remove them;
 * the file is all a killed step leaves, and the post step deletes it without starting helm; and the login and
 * logout were two helm processes (about 60 ms of CPU each) on every run. The credentials are checked by the
 * action's own registry client before anything is built.
 */
export function registryConfig(login: RegistryLogin | undefined): string {
  if (!login) return '{"auths":{}}\n'
  const auth = Buffer.from(`${login.username}:${login.password}`).toString('base64')
  return `${JSON.stringify({ auths: { [login.host]: { auth } } })}\n`
}

/**
 * Creates the 0600 registry config, with the credentials when there are any, and starts from a copy of the
 * user's repositories so that repositories an earlier step added (with their credentials) still resolve
 * dependencies.
 */
export async function prepareHelmHome(home: string, login?: RegistryLogin): Promise<Record<string, string>> {
  const env = helmEnv(home)
  await mkdir(env.HELM_REPOSITORY_CACHE, { recursive: true, mode: 0o700 })
  await writeNewFile(env.HELM_REGISTRY_CONFIG, registryConfig(login), 0o600)
  await copyFile(userRepositoryConfig(), env.HELM_REPOSITORY_CONFIG, constants.COPYFILE_EXCL).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
    }
  )
  return env
}
