import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Credentials } from './client.js'

/**
 * How the action reads the registry: with the inputs' credentials, with those an earlier `docker login` left
 * in Docker's config (helm falls back to them too), anonymously, or, when Docker keeps them in a credential
 * helper the action does not run, through helm, which runs it.
 */
export type ReadAccess =
  | { kind: 'inputs'; credentials: Credentials }
  | { kind: 'docker-config'; credentials: Credentials }
  | { kind: 'anonymous' }
  | { kind: 'credential-helper'; helper: string }

interface DockerAuth {
  auth?: unknown
  username?: unknown
  password?: unknown
  identitytoken?: unknown
}

interface DockerConfig {
  auths?: Record<string, DockerAuth>
  credsStore?: unknown
  credHelpers?: Record<string, unknown>
}

/** What Docker's config (its text, undefined when there is none) holds for `host`, as helm would find it. */
export function dockerAccess(configText: string | undefined, host: string): ReadAccess {
  if (configText === undefined) return { kind: 'anonymous' }
  let config: DockerConfig
  try {
    config = JSON.parse(configText) as DockerConfig
  } catch {
    // helm fails on a config it cannot parse as well; let it say so in its own words.
    return { kind: 'credential-helper', helper: 'an unreadable Docker config' }
  }
  const helper = config.credHelpers?.[host]
  if (typeof helper === 'string' && helper) return { kind: 'credential-helper', helper: `docker-credential-${helper}` }
  const entry = config.auths?.[host]
  if (entry) {
    // An identity token is an OAuth refresh token (Azure), exchanged by a flow the action does not speak.
    if (typeof entry.identitytoken === 'string' && entry.identitytoken)
      return { kind: 'credential-helper', helper: 'an identity token' }
    if (typeof entry.auth === 'string' && entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      if (colon > 0)
        return {
          kind: 'docker-config',
          credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
        }
    }
    if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.password)
      return { kind: 'docker-config', credentials: { username: entry.username, password: entry.password } }
  }
  if (typeof config.credsStore === 'string' && config.credsStore)
    return { kind: 'credential-helper', helper: `docker-credential-${config.credsStore}` }
  return { kind: 'anonymous' }
}

/** Docker's config file, where helm's fallback store reads it: `$DOCKER_CONFIG/config.json` or `~/.docker`. */
export function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  return path.join(env.DOCKER_CONFIG || path.join(os.homedir(), '.docker'), 'config.json')
}

/** The inputs' credentials when there is a password, else what Docker's config holds for the host. */
export async function readAccess(username: string, password: string, host: string): Promise<ReadAccess> {
  if (password) return { kind: 'inputs', credentials: { username, password } }
  const text = await readFile(dockerConfigPath(process.env), 'utf8').catch(() => undefined)
  return dockerAccess(text, host)
}
