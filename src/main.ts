import * as core from '@actions/core'
import { mkdir, mkdtemp } from 'node:fs/promises'
import path from 'node:path'
import { getGitHubContext, getInputs, type GitHubContext, type Inputs } from './context.js'
import { resolveDockerMeta, shortSha } from './docker.js'
import { checkReleasable, publishRelease } from './github-release.js'
import { checkHelmSupports } from './capabilities.js'
import { Helm, prepareHelmHome } from './helm.js'
import { installCommand, setOutputs, writeSummary, type Outcome, type RunOutcome } from './outputs.js'
import { phase } from './phase.js'
import { buildAll, prepareChart, pushAll, writePrepared, type Prepared } from './pipeline.js'
import { planMatrix, planRelease } from './plan.js'
import { cleanUp, type Session } from './post.js'

export { post } from './post.js'
import { Publisher } from './publish.js'
import { locateChart, parseRegistry, type Registry } from './registry.js'
import { findHelm, type FoundHelm } from './setup-helm.js'
import { STATE } from './state.js'

/** A helm home of this run's own under RUNNER_TEMP, recorded for the post step before anything goes in. */
async function openSession(runnerTemp: string) {
  await mkdir(runnerTemp, { recursive: true })
  const workDir = await mkdtemp(path.join(runnerTemp, 'helm-release-'))
  const home = path.join(workDir, 'helm')
  core.saveState(STATE.helmHome, home)
  const session: Session = { home, helmBin: '', host: '' }
  // Packages stay after the step (package-path), until the runner empties RUNNER_TEMP at the end of the job.
  return { session, env: await prepareHelmHome(home), packages: path.join(workDir, 'package') }
}

/** The helm to use, checked against what the release needs before anything changes. */
async function openHelm(
  found: FoundHelm,
  inputs: Inputs,
  charts: Prepared[],
  session: Session,
  env: Record<string, string>
) {
  checkHelmSupports(found.version, {
    push: inputs.push,
    login: inputs.push && inputs.password !== '',
    plainHttp: inputs.plainHttp,
    versions: charts.map(chart => chart.release.version)
  })
  session.helmBin = found.bin
  core.saveState(STATE.helm, found.bin)
  return { helm: new Helm(found.bin, env, inputs.timeoutMs), version: found.version }
}

async function login(publisher: Publisher | undefined, inputs: Inputs, registry: Registry, session: Session) {
  if (!publisher || !inputs.password) return
  // Recorded before the attempt: even a login that fails halfway may have stored something to log out of.
  session.host = registry.host
  core.saveState(STATE.registryHost, registry.host)
  await publisher.login()
}

/**
 * Writes every released chart's files, builds the selected ones (logging in meanwhile) and, when all of them
 * built, pushes them.
 */
async function release(
  inputs: Inputs,
  helmFound: Promise<FoundHelm>,
  prepared: Prepared[],
  registry: Registry
): Promise<Outcome[]> {
  const charts = prepared.filter(chart => chart.selected)
  const { session, env, packages } = await openSession(inputs.runnerTemp)
  try {
    const { helm, version } = await openHelm(await helmFound, inputs, charts, session, env)
    await phase('Chart.yaml', async log => {
      for (const chart of prepared) log(await writePrepared(chart, inputs))
    })
    const publisher = inputs.push ? new Publisher(helm, inputs, registry, version) : undefined
    const loggedIn = login(publisher, inputs, registry, session)
    // Looked up while the charts build; only a clean "not found" (or if-exists) lets a push go ahead.
    const existing = publisher
      ? loggedIn.then(() =>
          publisher.findExisting(
            charts.map(({ chart, release }) => ({ chartName: chart.meta.name, version: release.version }))
          )
        )
      : undefined
    const [built] = await Promise.all([
      buildAll(helm, inputs, charts, registry, loggedIn, packages),
      loggedIn,
      existing
    ])
    const failed = built.filter(outcome => outcome.problem)
    if (failed.length) {
      for (const outcome of failed) core.error(`${outcome.chartName}: ${outcome.problem}`)
      await writeSummary(built)
      const names = failed.map(outcome => outcome.chartName).join(', ')
      throw new Error(
        built.length === 1
          ? failed[0].problem
          : `${failed.length} of ${built.length} charts did not build (${names}); nothing was pushed.`
      )
    }
    return publisher && existing ? await pushAll(publisher, inputs, built, await existing) : built
  } finally {
    await cleanUp(session)
    // Nothing left for the post step, which then does not even load.
    core.saveState(STATE.helmHome, '')
  }
}

/** The GitHub Release for the tag, pointing at every pushed chart; none for a dry run. */
async function githubRelease(inputs: Inputs, github: GitHubContext, run: RunOutcome, outcomes: Outcome[]) {
  return phase('GitHub Release', async log => {
    if (!inputs.push || !run.tagged) {
      const why = inputs.push ? 'the ref is no tag' : 'push is false'
      log(`Not creating a release: ${why}, so there is no published chart to point it at.`)
      return ''
    }
    const charts = outcomes.map(outcome => ({
      install: installCommand(outcome),
      chartRef: outcome.location.ref,
      digest: outcome.digest,
      packagePath: outcome.packagePath
    }))
    const spec = {
      tag: run.tagged.tag,
      sha: github.sha,
      prerelease: run.tagged.prerelease !== '',
      makeLatest: run.docker.isLatest,
      charts
    }
    return publishRelease(github, inputs.githubToken, spec, log)
  })
}

/** `plan: true`: which charts the tag releases, for a matrix of jobs; nothing is built or changed. */
async function setMatrix(inputs: Inputs, github: GitHubContext): Promise<void> {
  const plan = await planRelease(inputs, shortSha(github.sha))
  core.setOutput('matrix', JSON.stringify(planMatrix(plan)))
  for (const { chart, release } of plan.charts) core.info(`${chart.meta.name} ${release.version} (${chart.input})`)
}

export async function run(): Promise<void> {
  try {
    core.saveState(STATE.isPost, 'true')
    const inputs = getInputs()
    const github = getGitHubContext()
    if (inputs.plan) return await setMatrix(inputs, github)
    // Finding helm and asking its version needs nothing of the release, so it runs while the release is planned.
    const helmFound = findHelm(inputs)
    // Awaited in release(); until then this only keeps an early failure from counting as unhandled.
    helmFound.catch(() => undefined)
    const plan = await planRelease(inputs, shortSha(github.sha))
    const selected = plan.charts.filter(chart => chart.selected)
    const registry = parseRegistry(
      inputs.registry,
      selected.map(({ chart }) => chart.meta.name)
    )
    const docker = await resolveDockerMeta(inputs, github, plan.tagged)
    if (inputs.createRelease && inputs.push) checkReleasable(github, inputs.githubToken)
    // Every file's new text is worked out before any is written, so a refusal leaves the checkout as it was.
    const prepared = await Promise.all(plan.charts.map(planned => prepareChart(planned, plan.charts, inputs)))
    for (const { chart, release } of selected) {
      const { url } = locateChart(registry, chart.meta.name, release.version)
      core.info(`Releasing ${chart.meta.name} ${release.version} (tag ${release.tag}) to ${url}`)
    }

    const outcomes = await release(inputs, helmFound, prepared, registry)
    const run: RunOutcome = { tagged: plan.tagged, docker, releaseUrl: '' }
    if (inputs.createRelease) run.releaseUrl = await githubRelease(inputs, github, run, outcomes)
    setOutputs(outcomes, run)
    await writeSummary(outcomes, run)
    for (const outcome of outcomes) {
      core.info(
        outcome.pushed
          ? `Published ${outcome.location.ref}@${outcome.digest}\nInstall it with: ${installCommand(outcome)}`
          : `Packaged ${outcome.packagePath}; not pushed (${inputs.push ? 'if-exists: skip' : 'push: false'}).`
      )
    }
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error))
  }
}
