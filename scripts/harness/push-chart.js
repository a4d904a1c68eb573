// A chart packaged and pushed by the real helm, for tests that read the registry the way the action does.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { HELM_VERSIONS, helmDir } from './tools.js'
import { EXAMPLE_CHART } from './workspace.js'

/** helm, asynchronously: a token server started by the test answers in the test's own process. */
export function helm(version, args, env, stdin = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(helmDir(version), 'helm'), args, { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', chunk => (output += chunk))
    child.stderr.on('data', chunk => (output += chunk))
    child.once('error', reject)
    child.once('close', code => (code === 0 ? resolve(output) : reject(new Error(`helm ${args[0]}: ${output}`))))
    child.stdin.end(stdin)
  })
}

/**
 * Packages the example chart at `chartVersion` and pushes it to each namespace of `registry` with
 * `helm registry login` and `helm push`, in a helm home of its own; returns the `.tgz`, byte for byte.
 * @param {{ host: string, username: string, password: string }} registry
 * @param {string[]} namespaces
 * @param {{ helmVersion?: string, chartVersion?: string, sign?: { key: string, keyring: string } }} [options]
 *   `sign`: packaged with `helm package --sign` (a key without passphrase), so that helm pushes the `.prov` too
 */
export async function pushExampleChart(
  registry,
  namespaces,
  { helmVersion = HELM_VERSIONS[0], chartVersion = '1.2.3', sign } = {}
) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'push-chart-'))
  try {
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      HELM_REGISTRY_CONFIG: path.join(dir, 'registry.json'),
      HELM_CACHE_HOME: path.join(dir, 'cache'),
      HELM_CONFIG_HOME: path.join(dir, 'config'),
      HELM_DATA_HOME: path.join(dir, 'data')
    }
    const packaged = await helm(
      helmVersion,
      [
        'package',
        EXAMPLE_CHART,
        '--version',
        chartVersion,
        '--destination',
        dir,
        ...(sign ? ['--sign', `--key=${sign.key}`, '--keyring', sign.keyring] : [])
      ],
      env
    )
    const archive = packaged.match(/saved it to: (.*\.tgz)/)?.[1]?.trim()
    if (!archive) throw new Error(`helm package said no path:\n${packaged}`)
    const login = ['registry', 'login', registry.host, '--username', registry.username, '--password-stdin']
    await helm(helmVersion, [...login, '--plain-http'], env, registry.password)
    for (const namespace of namespaces) {
      await helm(helmVersion, ['push', archive, `oci://${registry.host}/${namespace}`, '--plain-http'], env)
    }
    return await readFile(archive)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
