import * as core from '@actions/core'
import { buildAndPublish } from './build-and-publish.js'
import { readSourceDate } from './build/source-date.js'
import { isCancelled, stopOnCancel } from './cancellation.js'
import { prepareChart, type Prepared } from './chart-files/prepare.js'
import { planMatrix, planRelease } from './charts/plan.js'
import { checkReleasable } from './github-release/github-release.js'
import type { ChartChangelog } from './github-release/release-body.js'
import { githubRelease } from './github-release/release-step.js'
import { findHelm } from './helm/install.js'
import { resolveImageMetadata, shortSha } from './image/image-metadata.js'
import { getInputs, type Inputs } from './inputs/inputs.js'
import { getRunContext, repositoryUrl, type RunContext } from './inputs/run-context.js'
import { printInert } from './log-group.js'
import type { RunOutcome } from './outputs/outputs.js'
import { failOnProblems, report } from './outputs/report.js'
import { parseRegistry } from './registry/reference.js'
import { readSigningKey } from './signing/key.js'
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
