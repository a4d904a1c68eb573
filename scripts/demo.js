// make demo: releases examples/charts/llm-proxy from tag v1.2.3 through the committed bundle, run as the
// Actions runner runs it, to a registry on 127.0.0.1 that it starts here and stops after.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { commitAndTag, initRepository } from './harness/git.js'
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
try {
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
    'image-tag-path': 'image.tag'
  }
  console.log(
    [
      '- uses: sofatutor/helm-release-action@v1',
      '  with:',
      ...Object.entries(inputs).map(([name, value]) => `    ${name}: ${name === 'password' ? '***' : value}`)
    ].join('\n')
  )
  const result = await runAction({ workspace: workspace.dir, helm, inputs, github: { ref: 'refs/tags/v1.2.3', sha } })

  console.log('\n── the log ──')
  // The runner masks the password and every ::stop-commands:: token in the log it shows.
  const masked = [
    registry.password,
    ...result.commands[0].commands.filter(c => c.name === 'stop-commands').map(c => c.data)
  ]
  console.log(masked.reduce((log, secret) => log.replaceAll(secret, '***'), result.stdout).trimEnd())
  if (result.stderr) console.log(result.stderr)
  if (result.code !== 0) throw new Error(`the action failed with exit code ${result.code}`)

  console.log('\n── outputs ──')
  for (const [name, value] of Object.entries(result.outputs)) {
    console.log(`${name.padEnd(14)} ${value.replaceAll('\n', `\n${' '.repeat(15)}`)}`)
  }
  console.log('\n── job summary (markdown/HTML the runner renders) ──')
  console.log(result.summary.trim())
  console.log('\n── the registry now holds ──')
  console.log(`${registry.host}/sofatutor/llm-proxy tags: ${(await registry.tags('sofatutor/llm-proxy')).join(', ')}`)
  console.log(`manifest digest: ${await registry.manifestDigest('sofatutor/llm-proxy', '1.2.3')}`)
  console.log(`post step: exit ${result.post?.code}, helm home removed: ${result.helmHomesLeft.length === 0}`)
  console.log('\n── next, a user runs ──')
  console.log(`helm install llm-proxy ${result.outputs['chart-url']} --version ${result.outputs.version}`)
} finally {
  await workspace.remove()
  await registry.stop()
  await rm(scratch, { recursive: true, force: true })
}
