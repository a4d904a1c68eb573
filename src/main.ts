import * as core from '@actions/core'
import { mkdir, mkdtemp } from 'node:fs/promises'
import path from 'node:path'
import { getInputs, type Inputs } from './context.js'
import { Helm, prepareHelmHome, transcript } from './helm.js'
import { installCommand, setOutputs, writeSummary, type Failure, type Outcome } from './outputs.js'
import { phase } from './phase.js'
import { addRepositories, buildChart, prepareChart, pushChart, writePrepared, type Prepared } from './pipeline.js'
import { planMatrix, planRelease } from './plan.js'
import { locateChart, parseRegistry, type Registry } from './registry.js'
import { STATE } from './post.js'
import { limiter, schedule } from './schedule.js'

async function setUpHelm(runnerTemp: string): Promise<{ helm: Helm; workDir: string }> {
  await mkdir(runnerTemp, { recursive: true })
  const workDir = await mkdtemp(path.join(runnerTemp, 'helm-release-'))
  core.saveState(STATE.workDir, workDir)
  const helm = await Helm.find(await prepareHelmHome(workDir))
  core.saveState(STATE.helm, helm.bin)
  return { helm, workDir }
}

async function login(helm: Helm, inputs: Inputs, registry: Registry): Promise<void> {
  // Saved before the attempt: even a login that fails halfway may have stored something to log out of.
  core.saveState(STATE.registryHost, registry.host)
  await phase(`Log in to ${registry.host}`, async log => {
    log(transcript(await helm.registryLogin(registry.host, inputs.username, inputs.password, inputs.plainHttp)))
  })
}

/** Builds every chart in dependency order, `parallel` at a time, logging in meanwhile. */
async function buildAll(helm: Helm, inputs: Inputs, charts: Prepared[], registry: Registry, workDir: string) {
  const loggedIn = inputs.push && inputs.password ? login(helm, inputs, registry) : Promise.resolve()
  // oci:// dependencies may live in the registry being logged in to.
  const ociDependencies = charts.some(({ chart }) =>
    chart.meta.dependencies.some(dep => dep.repository.startsWith('oci://'))
  )
  const byName = new Map(charts.map(prepared => [prepared.chart.meta.name, prepared]))
  const [login_, built] = await Promise.allSettled([
    loggedIn,
    (async () => {
      await addRepositories(
        helm,
        charts.map(prepared => prepared.chart)
      )
      if (ociDependencies) await loggedIn
      return schedule(
        charts.map(prepared => prepared.chart.meta.name),
        new Map(charts.map(prepared => [prepared.chart.meta.name, prepared.dependsOn])),
        inputs.parallel,
        name => buildChart(helm, byName.get(name)!, inputs, path.join(workDir, 'package'))
      )
    })()
  ])
  if (login_.status === 'rejected') throw login_.reason
  if (built.status === 'rejected') throw built.reason
  return built.value
}

export async function run(): Promise<void> {
  try {
    core.saveState(STATE.isPost, 'true')
    const inputs = getInputs()
    const plan = await planRelease(inputs)
    if (inputs.plan) {
      core.setOutput('matrix', JSON.stringify(planMatrix(plan)))
      core.info(
        plan.charts.map(({ chart, release }) => `${chart.meta.name} ${release.version} (${chart.input})`).join('\n')
      )
      return
    }
    const registry = parseRegistry(
      inputs.registry,
      plan.charts.map(({ chart }) => chart.meta.name)
    )
    const prepared = await Promise.all(plan.charts.map(planned => prepareChart(planned, plan.charts)))
    for (const { chart, release } of prepared) {
      core.info(
        `Releasing ${chart.meta.name} ${release.version} (tag ${release.tag}) to ${locateChart(registry, chart.meta.name, release.version).url}`
      )
    }

    const { helm, workDir } = await setUpHelm(inputs.runnerTemp)
    await phase('Chart.yaml', async log => {
      for (const chart of prepared) log(await writePrepared(chart))
    })
    const built = await buildAll(helm, inputs, prepared, registry, workDir)

    const failures: Failure[] = []
    for (const { chart, release } of prepared) {
      const result = built.get(chart.meta.name)!
      if (result.status === 'done') continue
      const status = result.status === 'failed' ? result.error.message : `skipped: ${result.reason}`
      failures.push({ chartName: chart.meta.name, version: release.version, status })
      core.error(`${chart.meta.name}: ${status}`)
    }
    if (failures.length) {
      await writeSummary([], failures)
      throw new Error(
        prepared.length === 1
          ? failures[0].status
          : `${failures.length} of ${prepared.length} charts did not build (${failures.map(f => f.chartName).join(', ')}); nothing was pushed.`
      )
    }

    const slot = limiter(inputs.parallel)
    const outcomes: Outcome[] = await Promise.all(
      prepared.map(async ({ chart, release, appVersion }) => {
        const built_ = built.get(chart.meta.name)!
        const packagePath = built_.status === 'done' ? built_.value : ''
        const digest = inputs.push ? await slot(() => pushChart(helm, chart, packagePath, registry, inputs)) : ''
        return {
          chartName: chart.meta.name,
          version: release.version,
          tag: release.tag,
          appVersion,
          packagePath,
          location: locateChart(registry, chart.meta.name, release.version),
          digest,
          pushed: inputs.push
        }
      })
    )
    setOutputs(outcomes)
    await writeSummary(outcomes)
    for (const outcome of outcomes) {
      core.info(
        inputs.push
          ? `Published ${outcome.location.ref}@${outcome.digest}\nInstall it with: ${installCommand(outcome)}`
          : `Packaged ${outcome.packagePath}; not pushed (push: false).`
      )
    }
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error))
  }
}
