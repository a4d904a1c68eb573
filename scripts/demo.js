// make demo: releases examples/charts/llm-proxy from tag v1.2.3 through the committed bundle, run as the
// Actions runner runs it, to a registry on 127.0.0.1 that it starts here and stops after: signed with a key gpg
// makes here, validated with a ci values file, with a changelog and Artifact Hub's repository metadata.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { commitAndTag, initRepository } from './harness/git.js'
import { startGnupg } from './harness/gpg.js'
import { helm as runHelm } from './harness/push-chart.js'
import { startRegistry } from './harness/registry.js'
import { runAction } from './harness/runner.js'
import { HELM_VERSIONS } from './harness/tools.js'
import { EXAMPLE_CHART, makeWorkspace } from './harness/workspace.js'

const helm = HELM_VERSIONS[0]
// The runner's folder and the workspace go into os.tmpdir(): under a folder of the demo's own, they go with it.
const scratch = await mkdtemp(path.join(os.tmpdir(), 'demo-'))
process.env.TMPDIR = scratch
const registry = await startRegistry()
const workspace = await makeWorkspace({ 'deploy/charts/llm-proxy': EXAMPLE_CHART })
const gnupg = await startGnupg()
const chartDir = path.join(workspace.dir, 'deploy/charts/llm-proxy')
const CHANGELOG = `# Changelog

## [Unreleased]

## [1.2.3] - 2026-11-26

### Added

- Rate limits per API key ([#42](https://github.com/sofatutor/llm-proxy/pull/42)).

### Fixed

- Streaming responses no longer stall behind a slow upstream.

## [1.1.0] - 2026-10-01

### Added

- The first release.
`
try {
  const passphrase = 'demo passphrase'
  const fingerprint = await gnupg.generate({ name: 'Chart Signer', passphrase })
  await writeFile(path.join(workspace.dir, 'CHANGELOG.md'), CHANGELOG)
  await mkdir(path.join(chartDir, 'ci'))
  await writeFile(path.join(chartDir, 'ci/small-values.yaml'), 'replicaCount: 1\n')
  await writeFile(
    path.join(chartDir, 'artifacthub-repo.yml'),
    'repositoryID: 5f1a7b3c-2d4e-4f60-8a9b-0c1d2e3f4a5b\nowners:\n  - name: sofatutor\n    email: platform@example.com\n'
  )
  // A repository with an older release, so that `latest` is decided from real tags.
  await initRepository(workspace.dir)
  await commitAndTag(workspace.dir, 'v1.1.0')
  const sha = await commitAndTag(workspace.dir, 'v1.2.3')
  console.log(`Registry: CNCF distribution on ${registry.host}; helm ${helm}; tag v1.2.3\n`)
  console.log('── the step, as in a workflow ──')
  const inputs = {
    chart: 'deploy/charts/llm-proxy',
    registry: `oci://${registry.host}/sofatutor`,
    username: registry.username,
    password: registry.password,
    'plain-http': 'true',
    image: 'ghcr.io/sofatutor/llm-proxy',
    'image-tag-path': 'image.tag',
    'kube-version': '1.31',
    'signing-key': await gnupg.exportSecret(fingerprint, passphrase),
    'signing-passphrase': passphrase
  }
  const secrets = new Set(['password', 'signing-key', 'signing-passphrase'])
  console.log(
    [
      '- uses: sofatutor/helm-release-action@v1',
      '  with:',
      ...Object.entries(inputs).map(([name, value]) => `    ${name}: ${secrets.has(name) ? '***' : value}`)
    ].join('\n')
  )
  const result = await runAction({ workspace: workspace.dir, helm, inputs, github: { ref: 'refs/tags/v1.2.3', sha } })

  console.log('\n── the log ──')
  // The runner masks every secret the step registered and every ::stop-commands:: token in the log it shows.
  const masked = [
    registry.password,
    ...result.commands[0].masks,
    ...result.commands[0].commands.filter(c => c.name === 'stop-commands').map(c => c.data)
  ]
  // The runner carries out ::add-mask:: without showing it: one line stands for them here.
  const log = result.stdout.replace(/^::add-mask::.*\n/gm, '')
  console.log(
    `(${result.commands[0].masks.length} secrets registered with ::add-mask::: the password, the passphrase, each line of the key)`
  )
  console.log(masked.reduce((text, secret) => text.replaceAll(secret, '***'), log).trimEnd())
  if (result.stderr) console.log(result.stderr)
  if (result.code !== 0) throw new Error(`the action failed with exit code ${result.code}`)

  console.log('\n── outputs ──')
  for (const [name, value] of Object.entries(result.outputs)) {
    console.log(`${name.padEnd(19)} ${value.replaceAll('\n', `\n${' '.repeat(20)}`)}`)
  }
  console.log('\n── job summary (markdown/HTML the runner renders) ──')
  console.log(result.summary.trim())
  console.log('\n── the registry now holds ──')
  console.log(`${registry.host}/sofatutor/llm-proxy tags: ${(await registry.tags('sofatutor/llm-proxy')).join(', ')}`)
  console.log(`manifest digest: ${await registry.manifestDigest('sofatutor/llm-proxy', '1.2.3')}`)
  const layers = manifest => manifest.layers.map(layer => `  ${layer.mediaType} ${layer.digest}`).join('\n')
  console.log(`1.2.3 layers:\n${layers(await registry.manifest('sofatutor/llm-proxy', '1.2.3'))}`)
  const metadata = await registry.manifest('sofatutor/llm-proxy', 'artifacthub.io')
  console.log(`artifacthub.io config: ${metadata.config.mediaType}\nartifacthub.io layers:\n${layers(metadata)}`)
  const annotations = (await registry.chartConfig('sofatutor/llm-proxy', '1.2.3')).annotations
  console.log(`Chart.yaml annotations: ${JSON.stringify(annotations, null, 2)}`)
  console.log(`post step: exit ${result.post?.code}, helm home removed: ${result.helmHomesLeft.length === 0}`)
  console.log('\n── a user checks the signature with the public key, and installs ──')
  const pulled = path.join(scratch, 'pulled')
  await mkdir(pulled)
  const pubring = await gnupg.publicKeyring(fingerprint, path.join(scratch, 'pubring.gpg'))
  const pull = ['pull', result.outputs['chart-url'], '--version', result.outputs.version, '--verify']
  console.log(`$ helm ${pull.join(' ')} --keyring pubring.gpg`)
  const env = { PATH: process.env.PATH, HOME: scratch, HELM_REGISTRY_CONFIG: path.join(scratch, 'registry.json') }
  await runHelm(
    helm,
    ['registry', 'login', registry.host, '--username', registry.username, '--password-stdin', '--plain-http'],
    env,
    registry.password
  )
  console.log(
    (await runHelm(helm, [...pull, '--keyring', pubring, '--destination', pulled, '--plain-http'], env)).trimEnd()
  )
  console.log(`helm install llm-proxy ${result.outputs['chart-url']} --version ${result.outputs.version}`)
} finally {
  await gnupg.stop()
  await workspace.remove()
  await registry.stop()
  await rm(scratch, { recursive: true, force: true })
}
