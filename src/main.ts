import * as core from '@actions/core'
import { mkdir, mkdtemp } from 'node:fs/promises'
import path from 'node:path'
import { getInputs, type Inputs } from './context.js'
import { Helm, prepareHelmHome, transcript } from './helm.js'
import { installCommand, setOutputs, writeSummary } from './outputs.js'
import { phase } from './phase.js'
import { buildAll, prepareChart, pushAll, writePrepared } from './pipeline.js'
import { planMatrix, planRelease } from './plan.js'
import { locateChart, parseRegistry, type Registry } from './registry.js'
import { STATE } from './post.js'

async function setUpHelm(runnerTemp: string): Promise<{ helm: Helm; workDir: string }> {
  await mkdir(runnerTemp, { recursive: true })
  const workDir = await mkdtemp(path.join(runnerTemp, 'helm-release-'))
  core.saveState(STATE.workDir, workDir)
  const helm = await Helm.find(await prepareHelmHome(workDir))
  core.saveState(STATE.helm, helm.bin)
  return { helm, workDir }
}

async function login(helm: Helm, inputs: Inputs, registry: Registry): Promise<void> {
  if (!inputs.push || !inputs.password) return
  // Saved before the attempt: even a login that fails halfway may have stored something to log out of.
  core.saveState(STATE.registryHost, registry.host)
  await phase(`Log in to ${registry.host}`, async log => {
    log(transcript(await helm.registryLogin(registry.host, inputs.username, inputs.password, inputs.plainHttp)))
  })
}

export async function run(): Promise<void> {
  try {
    core.saveState(STATE.isPost, 'true')
    const inputs = getInputs()
    const plan = await planRelease(inputs)
    if (inputs.plan) {
      core.setOutput('matrix', JSON.stringify(planMatrix(plan)))
      for (const { chart, release } of plan.selected)
        core.info(`${chart.meta.name} ${release.version} (${chart.input})`)
      return
    }
    const registry = parseRegistry(
      inputs.registry,
      plan.selected.map(({ chart }) => chart.meta.name)
    )
    // Every file's new text is worked out before any is written, so a refusal leaves the checkout as it was.
    const prepared = await Promise.all(plan.charts.map(planned => prepareChart(planned, plan.charts)))
    const selectedNames = new Set(plan.selected.map(({ chart }) => chart.meta.name))
    const selected = prepared.filter(({ chart }) => selectedNames.has(chart.meta.name))
    for (const { chart, release } of selected) {
      const { url } = locateChart(registry, chart.meta.name, release.version)
      core.info(`Releasing ${chart.meta.name} ${release.version} (tag ${release.tag}) to ${url}`)
    }

    const { helm, workDir } = await setUpHelm(inputs.runnerTemp)
    await phase('Chart.yaml', async log => {
      for (const chart of prepared) log(await writePrepared(chart))
    })
    const loggedIn = login(helm, inputs, registry)
    const [built] = await Promise.all([
      buildAll(helm, inputs, selected, registry, loggedIn, path.join(workDir, 'package')),
      loggedIn
    ])
    const failed = built.filter(outcome => outcome.problem)
    if (failed.length) {
      for (const outcome of failed) core.error(`${outcome.chartName}: ${outcome.problem}`)
      await writeSummary(built)
      throw new Error(
        built.length === 1
          ? failed[0].problem
          : `${failed.length} of ${built.length} charts did not build (${failed.map(o => o.chartName).join(', ')}); nothing was pushed.`
      )
    }

    const outcomes = inputs.push ? await pushAll(helm, inputs, built, registry) : built
    setOutputs(outcomes)
    await writeSummary(outcomes)
    for (const outcome of outcomes) {
      core.info(
        outcome.pushed
          ? `Published ${outcome.location.ref}@${outcome.digest}\nInstall it with: ${installCommand(outcome)}`
          : `Packaged ${outcome.packagePath}; not pushed (push: false).`
      )
    }
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error))
  }
}
