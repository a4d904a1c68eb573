import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

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
