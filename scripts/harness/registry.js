// A real OCI registry (CNCF distribution, Debian's docker-registry) on 127.0.0.1, with htpasswd auth (Basic) or
// a token server in front (Bearer, as ghcr.io), and storage in a temp dir; started and stopped by whoever uses it.
import bcrypt from 'bcryptjs'
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { startTokenServer } from './token-server.js'

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json'
]

/** A port the kernel just handed out on loopback; the registry binds it right after. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function waitUntilServing(url, child, log) {
  const deadline = Date.now() + 15000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}:\n${log()}`)
    try {
      await fetch(url)
      return
    } catch {
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  }
  throw new Error(`docker-registry did not answer on ${url} within 15 s:\n${log()}`)
}

/**
 * `auth`: 'htpasswd' (the default) has the registry itself take Basic credentials; 'token' puts a token server in
 * front (token-server.js), where the credentials get every action and anonymous requests get `pull` on the
 * repositories under `publicNamespaces` only. The helpers below work in either mode.
 * @param {{ username?: string, password?: string, auth?: 'htpasswd' | 'token', publicNamespaces?: string[] }} [options]
 */
export async function startRegistry({
  username = 'ci',
  password = 'registry-secret-7f3a',
  auth = 'htpasswd',
  publicNamespaces = []
} = {}) {
  if (auth !== 'htpasswd' && auth !== 'token') throw new Error(`startRegistry: unknown auth ${auth}`)
  const dir = await mkdtemp(path.join(os.tmpdir(), 'registry-'))
  const port = await freePort()
  const host = `127.0.0.1:${port}`
  const tokens = auth === 'token' ? await startTokenServer({ dir, username, password, publicNamespaces }) : undefined
  if (!tokens) await writeFile(path.join(dir, 'htpasswd'), `${username}:${bcrypt.hashSync(password, 5)}\n`)
  await writeFile(
    path.join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: warn }',
      `storage: { filesystem: { rootdirectory: ${path.join(dir, 'data')} }, delete: { enabled: true } }`,
      `http: { addr: "${host}" }`,
      tokens
        ? `auth: { token: { realm: "${tokens.realm}", service: ${tokens.service}, issuer: ${tokens.issuer}, ` +
          `rootcertbundle: ${tokens.certPath} } }`
        : `auth: { htpasswd: { realm: test, path: ${path.join(dir, 'htpasswd')} } }`,
      ''
    ].join('\n')
  )
  const child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', chunk => (output += chunk))
  child.stderr.on('data', chunk => (output += chunk))
  const exited = new Promise(resolve => child.once('exit', resolve))
  const stopTokens = () => tokens?.stop()
  await waitUntilServing(`http://${host}/v2/`, child, () => output).catch(async error => {
    await stopTokens()
    throw error
  })

  const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
  const send = (pathname, init, authorization) =>
    fetch(`http://${host}/v2/${pathname}`, {
      ...init,
      headers: { ...(authorization && { authorization }), ...init.headers }
    })
  // With a token server: the 401's challenge names realm, service and scope; the token for them answers it.
  const api = async (pathname, init = {}) => {
    if (!tokens) return send(pathname, init, basic)
    const challenged = await send(pathname, init, undefined)
    if (challenged.status !== 401) return challenged
    await challenged.body?.cancel()
    const challenge = challenged.headers.get('www-authenticate') ?? ''
    const params = Object.fromEntries(
      [...challenge.matchAll(/([a-z]+)="([^"]*)"/g)].map(([, name, value]) => [name, value])
    )
    const url = new URL(params.realm)
    for (const name of ['service', 'scope']) if (params[name]) url.searchParams.set(name, params[name])
    const answer = await fetch(url, { headers: { authorization: basic } })
    if (!answer.ok) throw new Error(`token for ${pathname}: HTTP ${answer.status}`)
    return send(pathname, init, `Bearer ${(await answer.json()).token}`)
  }

  return {
    host,
    username,
    password,
    /** 'htpasswd' or 'token'. */
    auth,
    /**
     * Token mode only: the token server's realm, its record of every token request (`requests`, which helpers
     * below add to as well: clear it before what a test counts) and answerWith('token' | 'access_token' | 'both').
     */
    tokens,
    /** The digest the registry itself gives for repository:tag, or undefined when there is none. */
    async manifestDigest(repository, tag) {
      const response = await api(`${repository}/manifests/${tag}`, {
        method: 'HEAD',
        headers: { accept: MANIFEST_TYPES.join(', ') }
      })
      return response.ok ? (response.headers.get('docker-content-digest') ?? undefined) : undefined
    },
    async manifest(repository, tag) {
      const response = await api(`${repository}/manifests/${tag}`, { headers: { accept: MANIFEST_TYPES.join(', ') } })
      return response.ok ? response.json() : undefined
    },
    /** The chart metadata (Chart.yaml as JSON) in the config blob of repository:tag. */
    async chartConfig(repository, tag) {
      const manifest = await this.manifest(repository, tag)
      if (!manifest) return undefined
      const response = await api(`${repository}/blobs/${manifest.config.digest}`)
      return { mediaType: manifest.config.mediaType, ...(await response.json()) }
    },
    /** The blob of repository:tag's layer of the given media type (a signed chart has two layers). */
    async layer(repository, tag, mediaType) {
      const manifest = await this.manifest(repository, tag)
      const layer = manifest?.layers.find(each => each.mediaType === mediaType)
      if (!layer) return undefined
      const response = await api(`${repository}/blobs/${layer.digest}`)
      return Buffer.from(await response.arrayBuffer())
    },
    /** The chart archive (.tgz) of repository:tag, as helm pushed it. */
    chartLayer(repository, tag) {
      return this.layer(repository, tag, 'application/vnd.cncf.helm.chart.content.v1.tar+gzip')
    },
    /** The repository metadata of repository:tag (tag artifacthub.io), as the action pushed it. */
    artifactHubLayer(repository, tag) {
      return this.layer(repository, tag, 'application/vnd.cncf.artifacthub.repository-metadata.layer.v1.yaml')
    },
    /** Every repository the registry holds. */
    async catalog() {
      const response = await api('_catalog')
      if (!response.ok) throw new Error(`catalog: HTTP ${response.status}`)
      return (await response.json()).repositories ?? []
    },
    async tags(repository) {
      const response = await api(`${repository}/tags/list`)
      if (response.status === 404) return []
      // The registry lists tags in no fixed order.
      return ((await response.json()).tags ?? []).sort()
    },
    /** The action's inputs for a push to namespace here, through `host` (a proxy in front) when given. */
    inputs(namespace, host = this.host) {
      return { registry: `oci://${host}/${namespace}`, username, password, 'plain-http': 'true' }
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await exited
      }
      await stopTokens()
      await rm(dir, { recursive: true, force: true })
    }
  }
}
