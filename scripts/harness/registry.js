// A real OCI registry (CNCF distribution, Debian's docker-registry) on 127.0.0.1, with htpasswd auth (Basic) or
// a token server in front (Bearer, as ghcr.io), and storage in a temp dir; started and stopped by whoever uses it.
// It listens on a port the kernel picks and cannot outlive the process that started it (see spawnRegistry).
import bcrypt from 'bcryptjs'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { TEST_ROOT } from './test-root.js'
import { startTokenServer } from './token-server.js'

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json'
]

/**
 * A loopback port that refuses connections for as long as the test holds it: the local end of a connection of
 * the test's own. Nothing listens there, and no server can bind it meanwhile (the kernel hands it to no port-0
 * listener and refuses an explicit bind), unlike a port that was free a moment ago. release() lets it go.
 */
export async function holdClosedPort() {
  const server = net.createServer()
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const accepted = once(server, 'connection')
  const client = net.connect(server.address().port, '127.0.0.1')
  await once(client, 'connect')
  const [peer] = await accepted
  // Stops listening at once; its callback would wait for the held connection to end.
  server.close()
  return {
    host: `127.0.0.1:${client.localPort}`,
    release() {
      client.destroy()
      peer.destroy()
    }
  }
}

/** Where a test run records the registries it started, for the global teardown to stop any a test left. */
const registryRecords = root => path.join(root, 'registries')

/**
 * The registry, killed by the kernel when the thread that started it ends (setpriv's parent-death signal): a
 * jest worker that dies or times out takes its registries with it. In a test run, its pid and config are also
 * recorded for the global teardown (stopLeftRegistries).
 */
async function spawnRegistry(config) {
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'docker-registry', 'serve', config], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const root = process.env[TEST_ROOT]
  let record
  if (root && child.pid !== undefined) {
    await mkdir(registryRecords(root), { recursive: true })
    record = path.join(registryRecords(root), String(child.pid))
    await writeFile(record, config)
  }
  return { child, forget: () => record && rm(record, { force: true }) }
}

/** Whether pid still runs the registry of `config` (a pid is reused once its process is gone). */
async function runsRegistry(pid, config) {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
  return cmdline.split('\0').includes(config)
}

/**
 * Kills every registry of the test run under `root` that still runs: one whose test never stopped it, in a jest
 * process that outlived the test (--runInBand). Returns how many there were.
 */
export async function stopLeftRegistries(root) {
  const left = []
  for (const pid of await readdir(registryRecords(root)).catch(() => [])) {
    const config = await readFile(path.join(registryRecords(root), pid), 'utf8')
    if (await runsRegistry(pid, config)) left.push({ pid, config })
  }
  for (const { pid } of left) {
    try {
      process.kill(Number(pid), 'SIGKILL')
    } catch (error) {
      if (error.code !== 'ESRCH') throw error
    }
  }
  const deadline = Date.now() + 5000
  while ((await Promise.all(left.map(({ pid, config }) => runsRegistry(pid, config)))).some(Boolean)) {
    if (Date.now() > deadline) throw new Error(`docker-registry still runs after SIGKILL: ${left.map(r => r.pid)}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  return left.length
}

/**
 * The port the process listens on, from the kernel's socket table: its sockets (the socket:[inode] links in
 * /proc/<pid>/fd) found in state LISTEN (0A) in /proc/net/tcp. Unlike the registry's "listening on" log line,
 * this depends on neither the registry's wording nor its log level.
 */
async function listeningPort(pid) {
  const inodes = new Set()
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [])) {
    const inode = /^socket:\[([0-9]+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))?.[1]
    if (inode) inodes.add(inode)
  }
  for (const line of (await readFile('/proc/net/tcp', 'utf8')).split('\n').slice(1)) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
    const [, local, , state, , , , , , inode] = line.trim().split(/\s+/)
    if (state === '0A' && inodes.has(inode)) return parseInt(local.split(':')[1], 16)
  }
  return undefined
}

/** The host:port the registry serves on, once it answers there. */
async function waitUntilServing(child, log) {
  const deadline = Date.now() + 15000
  let port
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}:\n${log()}`)
    port ??= await listeningPort(child.pid)
    try {
      if (port !== undefined) {
        await fetch(`http://127.0.0.1:${port}/v2/`)
        return `127.0.0.1:${port}`
      }
    } catch {
      // Listening, not answering yet.
    }
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`docker-registry did not answer within 15 s (port ${port ?? 'unknown'}):\n${log()}`)
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
  const tokens = auth === 'token' ? await startTokenServer({ dir, username, password, publicNamespaces }) : undefined
  if (!tokens) await writeFile(path.join(dir, 'htpasswd'), `${username}:${bcrypt.hashSync(password, 5)}\n`)
  await writeFile(
    path.join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: warn }',
      `storage: { filesystem: { rootdirectory: ${path.join(dir, 'data')} }, delete: { enabled: true } }`,
      // Port 0: the kernel picks a free one as the registry binds it; waitUntilServing reads which.
      'http: { addr: "127.0.0.1:0" }',
      tokens
        ? `auth: { token: { realm: "${tokens.realm}", service: ${tokens.service}, issuer: ${tokens.issuer}, ` +
          `rootcertbundle: ${tokens.certPath} } }`
        : `auth: { htpasswd: { realm: test, path: ${path.join(dir, 'htpasswd')} } }`,
      ''
    ].join('\n')
  )
  const { child, forget } = await spawnRegistry(path.join(dir, 'config.yml'))
  let output = ''
  child.stdout.on('data', chunk => (output += chunk))
  child.stderr.on('data', chunk => (output += chunk))
  const exited = new Promise(resolve => child.once('exit', resolve))
  const stopChild = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await exited
    }
    await forget()
  }
  const stopTokens = () => tokens?.stop()
  const host = await waitUntilServing(child, () => output).catch(async error => {
    await stopChild()
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
      await stopChild()
      await stopTokens()
      await rm(dir, { recursive: true, force: true })
    }
  }
}
