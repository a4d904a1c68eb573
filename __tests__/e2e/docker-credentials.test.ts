// A job that logged in with `docker login` (or docker/login-action) an earlier step and gives the action no
// password: the credentials are in Docker's config, where helm finds them too. Stored there in the clear, the
// action reads the registry with them itself; kept by a Docker credential helper, which only helm runs, helm reads
// the registry. The registry is private (token auth, as ghcr.io, and the chart's namespace not public), so a run
// that did not find the credentials cannot even look the chart up.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { recordingPrograms } from '../../scripts/harness/recording-programs.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { runAction, visible } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

const errors = (stdout: string) => stdout.split('\n').filter(line => line.startsWith('::error'))

/** helm's subcommand, and the next word for the ones that have two (`show chart`). */
const subcommand = (args: string[]) => args.slice(0, ['show', 'dependency', 'registry'].includes(args[0]) ? 2 : 1)

/**
 * A Docker credential helper (docker/docker-credential-helpers' protocol, as oras-go's nativeStore runs it): the
 * verb as its argument, the server's address on stdin without a newline, and for `get` the JSON
 * {ServerURL, Username, Secret} on stdout; for a server it does not know, "credentials not found in native keychain"
 * and a failure, which oras-go takes for "no credentials". Each call is noted in `log`.
 */
function credentialHelper(host: string, username: string, password: string, log: string): string {
  const answer = JSON.stringify({ ServerURL: host, Username: username, Secret: password })
  return [
    '#!/bin/sh',
    'read -r server',
    `printf '%s %s\\n' "$1" "$server" >> '${log}'`,
    `if [ "$1" = get ] && [ "$server" = '${host}' ]; then`,
    `  printf '%s\\n' '${answer}'`,
    '  exit 0',
    'fi',
    'echo "credentials not found in native keychain"',
    'exit 1',
    ''
  ].join('\n')
}

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  let dir: string
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', publicNamespaces: ['open'] })
    dir = await mkdtemp(path.join(os.tmpdir(), 'docker-credentials-'))
  })
  afterAll(async () => {
    await registry?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  /** A DOCKER_CONFIG directory holding `config` as its config.json. */
  const dockerConfig = async (name: string, config: unknown) => {
    const configDir = path.join(dir, `${helm}-${name}`)
    await mkdir(configDir)
    await writeFile(path.join(configDir, 'config.json'), JSON.stringify(config))
    return configDir
  }

  /** A release to namespace `ns` without a password, `bin` on PATH after the recording helm; and its helm calls. */
  const release = async (ns: string, DOCKER_CONFIG: string, bin?: string) => {
    const recording = await recordingPrograms(helm)
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      const inputs = { chart: 'chart', ...registry.inputs(ns), password: '' }
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        inputs,
        env: { DOCKER_CONFIG, PATH: [recording.PATH, bin].filter(Boolean).join(path.delimiter) }
      })
      const helmCalls = (await recording.calls()).filter(call => call.program === 'helm')
      return { result, helmCalls }
    } finally {
      await workspace.remove()
    }
  }

  test('auths in Docker’s config: the action reads the registry with them, helm only builds and pushes', async () => {
    const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64')
    const DOCKER_CONFIG = await dockerConfig('auths', { auths: { [registry.host]: { auth } } })
    const { result, helmCalls } = await release('docker-auths', DOCKER_CONFIG)
    // The error lines first, so that a failed run says why.
    expect(errors(result.stdout)).toEqual([])
    expect(result.code).toBe(0)

    const ref = `${registry.host}/docker-auths/llm-proxy:1.2.3`
    const digest = await registry.manifestDigest('docker-auths/llm-proxy', '1.2.3')
    expect(result.outputs).toMatchObject({ pushed: 'true', digest, public: 'false' })
    expect(result.stdout).toContain(`${ref} does not exist yet.`)
    expect(result.stdout).toContain(`${ref} resolves to ${digest}: llm-proxy 1.2.3, as pushed.`)
    expect(result.stdout).not.toContain('helm reads the registry')
    // The look-up and the verification went over HTTP: no `helm show` and no `helm pull`.
    expect(helmCalls.map(call => subcommand(call.args).join(' ')).sort()).toEqual([
      'lint',
      'package',
      'push',
      'version'
    ])
    // helm's push found the same credentials where the action did.
    const push = helmCalls.find(call => call.args[0] === 'push')
    expect(push?.env.DOCKER_CONFIG).toBe(DOCKER_CONFIG)
    // No input named the password, so the step itself has the runner mask it.
    expect(result.commands[0].masks).toContain(registry.password)
    expect(visible(result.everything)).not.toContain(registry.password)
  })

  test('a credential helper in Docker’s config: helm reads the registry, running the helper', async () => {
    const bin = path.join(dir, `${helm}-bin`)
    const helperLog = path.join(dir, `${helm}-helper.log`)
    await mkdir(bin)
    const helper = path.join(bin, 'docker-credential-test')
    await writeFile(helper, credentialHelper(registry.host, registry.username, registry.password, helperLog))
    await chmod(helper, 0o755)
    await writeFile(helperLog, '')
    const DOCKER_CONFIG = await dockerConfig('helper', { auths: {}, credHelpers: { [registry.host]: 'test' } })
    const { result, helmCalls } = await release('docker-helper', DOCKER_CONFIG, bin)
    // The error lines first, so that a failed run says why.
    expect(errors(result.stdout)).toEqual([])
    expect(result.code).toBe(0)

    const ref = `${registry.host}/docker-helper/llm-proxy:1.2.3`
    const digest = await registry.manifestDigest('docker-helper/llm-proxy', '1.2.3')
    expect(result.stdout).toContain(
      "The registry's credentials come from docker-credential-test, which only helm runs: helm reads the registry."
    )
    // helm cannot tell whether the chart is public, so the output says nothing rather than a guess.
    expect(result.outputs).toMatchObject({ pushed: 'true', digest, public: '' })
    expect(result.stdout).toContain(`${ref} does not exist yet.`)
    expect(result.stdout).toContain(`${ref} resolves to ${digest}: llm-proxy 1.2.3, as pushed.`)
    // helm did the look-up, the look-up again right before the push, and the verification; nothing was pulled.
    const show = [
      'show',
      'chart',
      `oci://${registry.host}/docker-helper/llm-proxy`,
      '--version',
      '1.2.3',
      '--plain-http'
    ]
    expect(helmCalls.map(call => subcommand(call.args).join(' ')).sort()).toEqual([
      'lint',
      'package',
      'push',
      'show chart',
      'show chart',
      'show chart',
      'version'
    ])
    for (const call of helmCalls.filter(call => call.args[0] === 'show')) expect(call.args).toEqual(show)
    // The helper was asked, for this registry, and only to read.
    const asked = (await readFile(helperLog, 'utf8')).split('\n').filter(Boolean)
    expect(asked.length).toBeGreaterThan(0)
    expect(new Set(asked)).toEqual(new Set([`get ${registry.host}`]))
    expect(visible(result.everything)).not.toContain(registry.password)
  })
})
