// Signed charts: a key made by gpg as a user makes one, the bundle signing and pushing with it, and the registry's
// chart verified by helm as users pull it; bad keys refused before anything is written. Every test releases into a
// namespace of its own and makes every run it reads, so that each one, run alone, gives the same verdict.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { startGitHubApi } from '../../scripts/harness/github-api.js'
import { startGnupg, userIdOf } from '../../scripts/harness/gpg.js'
import { helm as runHelm } from '../../scripts/harness/push-chart.js'
import { startRegistry } from '../../scripts/harness/registry.js'
import { processesMentioning, runAction, visible } from '../../scripts/harness/runner.js'
import { HELM_VERSIONS } from '../../scripts/harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from '../../scripts/harness/workspace.js'

const PASSPHRASE = 'release signing passphrase 93fa'
const PROV_LAYER = 'application/vnd.cncf.helm.chart.provenance.v1.prov'
const CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip'
const TOKEN = 'ghs_signing-test-token'
const KEY_URL = 'https://keys.example.com/plain-releaser.asc'
/** The helm users pull with: any helm must be able to verify what the action published. */
const PULLING_HELM = HELM_VERSIONS[0]

type Layer = { mediaType: string; digest: string }
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

let gnupg: Awaited<ReturnType<typeof startGnupg>>
const keys: Record<string, { fingerprint: string; armored: string; keyring: string }> = {}

beforeAll(async () => {
  gnupg = await startGnupg()
  const make = async (
    name: string,
    spec: Parameters<typeof gnupg.generate>[0],
    armored?: (fpr: string) => Promise<string>
  ) => {
    const fingerprint = await gnupg.generate(spec)
    keys[name] = {
      fingerprint,
      armored: armored ? await armored(fingerprint) : await gnupg.exportSecret(fingerprint, spec.passphrase),
      keyring: await gnupg.publicKeyring(fingerprint, path.join(gnupg.home, `${fingerprint}.gpg`))
    }
  }
  await make('protected', { name: 'Chart Releaser', passphrase: PASSPHRASE })
  await make('plain', { name: 'Plain Releaser', length: 2048 })
  await make('ed25519', { name: 'Edwards Releaser', type: 'EDDSA', curve: 'ed25519' })
  await make('expired', { name: 'Expired Releaser', length: 2048, fakedTime: '20200101T000000!', expire: '1d' })
  await make('public', { name: 'Public Releaser', length: 2048 }, fingerprint => gnupg.exportPublic(fingerprint))
}, 60_000)

afterAll(async () => gnupg?.stop())

describe.each(HELM_VERSIONS)('Helm %s', helm => {
  let registry: Awaited<ReturnType<typeof startRegistry>>
  beforeAll(async () => {
    registry = await startRegistry()
  })
  afterAll(async () => registry?.stop())

  const release = async (namespace: string, extra: Record<string, string>, env: Record<string, string> = {}) => {
    const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
    try {
      const chartYaml = path.join(workspace.dir, 'chart', 'Chart.yaml')
      const before = await readFile(chartYaml, 'utf8')
      const result = await runAction({
        workspace: workspace.dir,
        helm,
        github: { repository: 'sofatutor/llm-proxy' },
        inputs: { chart: 'chart', ...registry.inputs(namespace), ...extra },
        env
      })
      return { ...result, chartYamlChanged: (await readFile(chartYaml, 'utf8')) !== before }
    } finally {
      await workspace.remove()
    }
  }

  const layers = async (repository: string) =>
    ((await registry.manifest(repository, '1.2.3')) as { layers: Layer[] }).layers

  /** `helm pull --verify` as a user runs it, with the public key gpg exported. */
  const pullVerified = async (repository: string, keyring: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pull-verify-'))
    try {
      const env = { PATH: process.env.PATH!, HOME: dir, HELM_REGISTRY_CONFIG: path.join(dir, 'registry.json') }
      const login = ['registry', 'login', registry.host, '--username', registry.username, '--password-stdin']
      await runHelm(PULLING_HELM, [...login, '--plain-http'], env, registry.password)
      // Helm 4.1.4 writes the verified chart into the destination without making it first.
      await mkdir(path.join(dir, 'pulled'))
      const url = `oci://${registry.host}/${repository.replace(/\/llm-proxy$/, '')}/llm-proxy`
      const args = ['pull', url, '--version', '1.2.3', '--verify', '--keyring', keyring, '--plain-http']
      return await runHelm(PULLING_HELM, [...args, '--destination', path.join(dir, 'pulled')], env)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  describe('a passphrase-protected key, with a GitHub Release', () => {
    // A GitHub of its own for every test: none reads a release another one made.
    let api: Awaited<ReturnType<typeof startGitHubApi>>
    beforeEach(async () => {
      api = await startGitHubApi({ token: TOKEN })
    })
    afterEach(async () => api?.stop())

    const signed = (namespace: string, extra: Record<string, string> = {}) =>
      release(
        namespace,
        {
          'signing-key': keys.protected.armored,
          'signing-passphrase': PASSPHRASE,
          'create-release': 'true',
          'github-token': TOKEN,
          ...extra
        },
        { GITHUB_API_URL: api.apiUrl }
      )

    // One sequence: a re-run is only a re-run of the release this test's first run made.
    test('signs and pushes the provenance layer, which helm pull --verify accepts, and attaches the .prov; a re-run keeps the signed chart and attaches the registry’s .prov (if-exists: skip)', async () => {
      const result = await signed('signed')
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)

      const published = await layers('signed/llm-proxy')
      expect(published.map(layer => layer.mediaType).sort()).toEqual([CHART_LAYER, PROV_LAYER])
      const prov = (await registry.layer('signed/llm-proxy', '1.2.3', PROV_LAYER))!
      expect(prov.toString()).toContain('-----BEGIN PGP SIGNATURE-----')

      const pulled = await pullVerified('signed/llm-proxy', keys.protected.keyring)
      expect(pulled).toContain(`Signed by: ${userIdOf('Chart Releaser')}`)
      expect(pulled).toContain(`Using Key With Fingerprint: ${keys.protected.fingerprint}`)

      expect(result.outputs).toMatchObject({ signed: 'true', 'signing-fingerprint': keys.protected.fingerprint })
      expect(JSON.parse(result.outputs.charts)).toEqual([expect.objectContaining({ signed: true })])
      // The signer, reported in the log from helm verify on the registry's chart and provenance.
      expect(visible(result.stdout)).toContain(
        `is signed by ${userIdOf('Chart Releaser')} (key ${keys.protected.fingerprint})`
      )
      expect(result.summary).toContain(`Signed with OpenPGP key <code>${keys.protected.fingerprint}</code>: 1 of 1`)
      // package-path and its .prov are what the registry holds.
      expect(await readFile(`${result.outputs['package-path']}.prov`)).toEqual(prov)

      // The GitHub Release carries the chart and its .prov, each as the registry serves it.
      const chart = (await registry.chartLayer('signed/llm-proxy', '1.2.3'))!
      expect(api.releases[0].assets).toEqual([
        expect.objectContaining({ name: 'llm-proxy-1.2.3.tgz', size: chart.length, digest: `sha256:${sha256(chart)}` }),
        expect.objectContaining({
          name: 'llm-proxy-1.2.3.tgz.prov',
          size: prov.length,
          digest: `sha256:${sha256(prov)}`
        })
      ])
      const uploads = api.requests.filter(request => request.method === 'POST' && request.path.startsWith('uploads:'))
      expect(uploads.map(request => [request.query?.name, request.contentType])).toEqual([
        ['llm-proxy-1.2.3.tgz.part', 'application/gzip'],
        ['llm-proxy-1.2.3.tgz.prov.part', 'application/pgp-signature']
      ])

      // The keyring went with the helm home; the action started no gpg, nor anything else that stays.
      expect(result.helmHomesLeft).toEqual([])
      expect(await processesMentioning(result.runnerTemp)).toEqual([])
      expect(visible(result.everything)).not.toContain(PASSPHRASE)
      const helmCalls = visible(result.everything)
      expect(helmCalls).toMatch(
        /--sign --key=Chart Releaser <chart-releaser@example\.com> --keyring \S+\/gnupg\/secring\.gpg --passphrase-file \S+\/gnupg\/passphrase/
      )

      const rerun = await signed('signed', { 'if-exists': 'skip' })
      expect(rerun.code).toBe(0)
      expect(await layers('signed/llm-proxy')).toEqual(published)
      expect(rerun.outputs).toMatchObject({ signed: 'true', pushed: 'false' })
      // Helm 4 packages the same bytes again, which the registry holds signed with the key; Helm 3's package differs
      // by its file times, so the chart is kept as other content and its signature checked.
      expect(visible(rerun.stdout)).toContain(
        helm.startsWith('4.') ? 'the content is identical, so nothing is pushed' : 'not pushed again (if-exists: skip)'
      )
      expect(await readFile(`${rerun.outputs['package-path']}.prov`)).toEqual(prov)
      expect(api.releases[0].assets).toEqual([
        expect.objectContaining({ name: 'llm-proxy-1.2.3.tgz' }),
        expect.objectContaining({ name: 'llm-proxy-1.2.3.tgz.prov', digest: `sha256:${sha256(prov)}` })
      ])
      expect(rerun.helmHomesLeft).toEqual([])
    })
  })

  test('a key without passphrase signs too, named with signing-key-url in the manifest; a kept unsigned chart is reported unsigned', async () => {
    const unsigned = await release('kept', {})
    expect(unsigned.code).toBe(0)
    const result = await release('kept', { 'signing-key': keys.plain.armored, 'if-exists': 'skip' })
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ signed: 'false', 'signing-fingerprint': keys.plain.fingerprint })
    expect(result.stdout).toMatch(/::warning::.*is kept unsigned by this run's key: .*carries no provenance/)
    expect(existsSync(`${result.outputs['package-path']}.prov`)).toBe(false)

    const fresh = await release('plain', { 'signing-key': keys.plain.armored, 'signing-key-url': KEY_URL })
    expect(fresh.code).toBe(0)
    expect(fresh.outputs.signed).toBe('true')
    // helm carries Chart.yaml's annotations into the manifest, where Artifact Hub reads the key.
    const { annotations } = (await registry.manifest('plain/llm-proxy', '1.2.3')) as {
      annotations: Record<string, string>
    }
    expect(parse(annotations['artifacthub.io/signKey'])).toEqual({ fingerprint: keys.plain.fingerprint, url: KEY_URL })
    expect(await pullVerified('plain/llm-proxy', keys.plain.keyring)).toContain(
      `Signed by: ${userIdOf('Plain Releaser')}`
    )
  })

  const refusals: [string, () => string, string, RegExp][] = [
    ['not armored', () => '/home/runner/signing-key.asc', '', /signing-key is not an ASCII-armored OpenPGP key/],
    ['a public key', () => keys.public.armored, '', /signing-key holds a public key only/],
    [
      'an expired key',
      () => keys.expired.armored,
      '',
      /signing-key holds key [0-9A-F]{40}, which expired on 2020-01-02/
    ],
    [
      'a wrong passphrase',
      () => keys.protected.armored,
      'not the passphrase',
      /signing-passphrase does not unlock signing-key/
    ],
    [
      'a passphrase missing',
      () => keys.protected.armored,
      '',
      /is protected by a passphrase, and input signing-passphrase is empty/
    ]
  ]
  if (helm.startsWith('3.'))
    refusals.push([
      'an Ed25519 key',
      () => keys.ed25519.armored,
      '',
      /helm v3\.18\.0 cannot sign with key .*Use Helm 3\.21\.4 or 4/
    ])

  test.each(refusals)(
    'refuses %s, naming the problem, with nothing written',
    async (_what, key, passphrase, message) => {
      const namespace = `refused-${Math.random().toString(36).slice(2, 8)}`
      const armored = key()
      const result = await release(namespace, { 'signing-key': armored, 'signing-passphrase': passphrase })
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(new RegExp(`::error::.*${message.source}`))
      expect(result.chartYamlChanged).toBe(false)
      expect((await registry.catalog()).filter((name: string) => name.startsWith(namespace))).toEqual([])
      expect(result.helmHomesLeft).toEqual([])
      const material = armored.split('\n').filter(line => line.length > 20 && !line.startsWith('-----'))
      for (const line of material) expect(visible(result.everything)).not.toContain(line)
    }
  )

  if (helm.startsWith('4.')) {
    test('signs with an Ed25519 key', async () => {
      const result = await release('edwards', { 'signing-key': keys.ed25519.armored })
      expect(result.code).toBe(0)
      expect(result.outputs.signed).toBe('true')
      expect(await pullVerified('edwards/llm-proxy', keys.ed25519.keyring)).toContain(
        `Using Key With Fingerprint: ${keys.ed25519.fingerprint}`
      )
    })
  }
})
