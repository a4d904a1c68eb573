import * as core from '@actions/core'
import { buildAll, type Outcome } from './build/build.js'
import { settleAll } from './build/schedule.js'
import { readSourceDate, type SourceDate } from './build/source-date.js'
import { isCancelled, stopOnCancel } from './cancellation.js'
import { prepareChart, writePrepared, type Prepared } from './chart-files/prepare.js'
import { planMatrix, planRelease } from './charts/plan.js'
import { checkReleasable } from './github-release/github-release.js'
import type { ChartChangelog } from './github-release/release-body.js'
import { githubRelease } from './github-release/release-step.js'
import { checkHelmSupports, credentialWarnings } from './helm/capabilities.js'
import { findHelm, type FoundHelm } from './helm/install.js'
import { Helm } from './helm/helm.js'
import { closeSession, openSession } from './helm/session.js'
import { resolveImageMetadata, shortSha } from './image/image-metadata.js'
import { getInputs, type Inputs } from './inputs/inputs.js'
import { getRunContext, repositoryUrl, type RunContext } from './inputs/run-context.js'
import { logGroup, printInert } from './log-group.js'
import type { RunOutcome } from './outputs/outputs.js'
import { failOnProblems, report } from './outputs/report.js'
import { locateChart, parseRegistry, type Registry } from './registry/reference.js'
import { startRegistryStep } from './registry/registry-step.js'
import { checkHelmCanSign, readSigningKey, type SigningKey } from './signing/key.js'
import { writeKeyring } from './signing/keyring.js'
import { STATE } from './state.js'
import { errorMessage } from './text.js'

// The post step's code rides in the main step's chunk, so that the bundle holds each module once.
export { post } from './post.js'

/** `plan: true`: which charts the tag releases, for a matrix of jobs; nothing is built or changed. */
async function setMatrix(inputs: Inputs, context: RunContext): Promise<void> {
  const plan = await planRelease(context.workspace, inputs, shortSha(context.sha))
  core.setOutput('matrix', JSON.stringify(planMatrix(plan, inputs.maxJobs)))
  printInert(
    plan.charts.map(({ chart, release }) => `${chart.meta.name} ${release.version} (${chart.input})`).join('\n')
  )
}

/** The release, step by step; every check that can refuse it runs before the first file is written. */
export async function run(): Promise<void> {
  try {
    core.saveState(STATE.isPost, 'true')
    stopOnCancel()
    const inputs = getInputs()
    const context = getRunContext()
    if (inputs.plan) return await setMatrix(inputs, context)
    // Finding helm needs nothing of the release, so it runs while the release is planned.
    const helmFound = findHelm(inputs)
    // Awaited in buildAndPublish(); until then this only keeps an early failure from counting as unhandled.
    helmFound.catch(() => undefined)
    // The commit's time (a git call) is read meanwhile too; a bad SOURCE_DATE_EPOCH still fails before any write.
    const sourceDateRead = readSourceDate(process.env, context.workspace)
    sourceDateRead.catch(() => undefined)
    // So is the signing key, which a bad key or passphrase refuses before any write.
    const keyRead = inputs.signingKey
      ? readSigningKey(inputs.signingKey, inputs.signingPassphrase, new Date())
      : Promise.resolve(undefined)
    keyRead.catch(() => undefined)
    const plan = await planRelease(context.workspace, inputs, shortSha(context.sha))
    const names = plan.charts.filter(chart => chart.selected).map(({ chart }) => chart.meta.name)
    const registry = parseRegistry(inputs.registry, names)
    const image = await resolveImageMetadata(inputs, context, plan.tagged)
    if (inputs.createRelease && inputs.push) checkReleasable(context.repository, inputs.githubToken)
    const sourceDate = await sourceDateRead
    const signingKey = await keyRead
    // Every file's new text is worked out before any is written, so a refusal leaves the checkout as it was.
    const sourceUrl = inputs.linkSource ? repositoryUrl(context) : ''
    const signKey = signingKey && { fingerprint: signingKey.fingerprint, url: inputs.signingKeyUrl }
    const prepared = await Promise.all(
      plan.charts.map(chart => prepareChart(chart, plan.charts, context.workspace, { ...inputs, sourceUrl, signKey }))
    )
    const outcomes = await buildAndPublish(inputs, context, helmFound, prepared, registry, sourceDate, signingKey)
    const signingFingerprint = signingKey?.fingerprint ?? ''
    const runOutcome: RunOutcome = { tagged: plan.tagged, image, releaseUrl: '', signingFingerprint }
    try {
      // A release points at every chart of the tag: none while a chart failed, which a re-run completes.
      if (inputs.createRelease && !outcomes.some(outcome => outcome.problem))
        runOutcome.releaseUrl = await githubRelease(inputs, context, runOutcome, outcomes, changelogs(prepared))
    } finally {
      // Whatever failed, the outputs and the summary say what the registry holds.
      await report(outcomes, runOutcome)
    }
    failOnProblems(outcomes)
  } catch (error) {
    // A cancelled step says so itself; the helm calls it stopped fail for that reason only.
    if (!isCancelled()) core.setFailed(errorMessage(error))
  }
}

/** The released charts' changelog sections, for the GitHub Release. */
function changelogs(prepared: Prepared[]): ChartChangelog[] {
  return prepared.flatMap(({ selected, chart, changelog: { section } }) =>
    selected && section ? [{ chartName: chart.meta.name, ...section }] : []
  )
}

/**
 * In a helm session of the run's own: writes every released chart's files, builds the selected ones while
 * the registry step logs in and looks their versions up, then (when all of them built) publishes them. With a
 * signing key, its keyring lives in the session too. Every helm call has ended before the session (and its
 * credentials) goes.
 */
async function buildAndPublish(
  inputs: Inputs,
  context: Pick<RunContext, 'runnerTemp' | 'repositoryOwner'>,
  helmFound: Promise<FoundHelm>,
  prepared: Prepared[],
  registry: Registry,
  sourceDate: SourceDate,
  signingKey: SigningKey | undefined
): Promise<Outcome[]> {
  const charts = prepared.filter(chart => chart.selected)
  const targets = charts.map(({ chart, release, artifactHub }) => ({
    chartName: chart.meta.name,
    version: release.version,
    tag: release.tag,
    location: locateChart(registry, chart.meta.name, release.version),
    artifactHub
  }))
  printInert(
    targets.map(to => `Releasing ${to.chartName} ${to.version} (tag ${to.tag}) to ${to.location.url}`).join('\n')
  )
  const login =
    inputs.push && inputs.password
      ? { host: registry.host, username: inputs.username, password: inputs.password }
      : undefined
  const session = await openSession(context.runnerTemp, login)
  try {
    const found = await helmFound
    const needs = {
      push: inputs.push,
      login: inputs.push && inputs.password !== '',
      plainHttp: inputs.plainHttp,
      versions: targets.map(target => target.version)
    }
    checkHelmSupports(found.version, needs)
    if (signingKey) checkHelmCanSign(signingKey, found.version)
    for (const warning of credentialWarnings(found.version, needs, registry.host)) core.warning(warning)
    const helm = new Helm(found.bin, session.env, inputs.timeoutMs)
    await logGroup('Chart.yaml', async log => {
      for (const chart of prepared) log(await writePrepared(chart, inputs.imageTagPath))
    })
    const keyring = signingKey && (await writeKeyring(session.home, signingKey))
    if (signingKey) printInert(`Signing with key ${signingKey.fingerprint} (${signingKey.userId}).`)
    const signature = keyring && {
      pubring: keyring.pubring,
      fingerprint: signingKey.fingerprint,
      scratch: session.home
    }
    const registryStep = inputs.push
      ? startRegistryStep(helm, found.version, registry, { ...inputs, signature }, targets, context.repositoryOwner)
      : undefined
    const loggedIn = registryStep?.loggedIn ?? Promise.resolve()
    const locations = targets.map(target => target.location)
    // Settled, not raced: a failed look-up must not close the session while builds still run helm.
    const [built] = await settleAll([
      buildAll(helm, { ...inputs, sign: keyring?.sign }, charts, locations, loggedIn, session.packages, sourceDate),
      registryStep?.lookedUp ?? Promise.resolve()
    ])
    // A chart that did not build stops every push: a release is all of the tag's charts or none.
    if (!registryStep || built.some(outcome => outcome.problem)) return built
    return await registryStep.publishAll(built)
  } finally {
    await closeSession(session)
  }
}
