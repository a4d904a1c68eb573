import * as core from '@actions/core'
import { buildAll, type Outcome } from './build/build.js'
import { settleAll } from './build/schedule.js'
import type { SourceDate } from './build/source-date.js'
import { writePrepared, type Prepared } from './chart-files/prepare.js'
import { checkHelmSupports, credentialWarnings } from './helm/capabilities.js'
import type { FoundHelm } from './helm/install.js'
import { Helm } from './helm/helm.js'
import { closeSession, openSession } from './helm/session.js'
import type { Inputs } from './inputs/inputs.js'
import type { RunContext } from './inputs/run-context.js'
import { logGroup, printInert } from './log-group.js'
import { locateChart, type Registry } from './registry/reference.js'
import { startRegistryStep } from './registry/registry-step.js'
import { checkHelmCanSign, type SigningKey } from './signing/key.js'
import { writeKeyring } from './signing/keyring.js'

/**
 * In a helm session of the run's own: writes every released chart's files, builds the selected ones while
 * the registry step logs in and looks their versions up, then (when all of them built) publishes them. With a
 * signing key, its keyring lives in the session too. Every helm call has ended before the session (and its
 * credentials) goes.
 */
export async function buildAndPublish(
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
