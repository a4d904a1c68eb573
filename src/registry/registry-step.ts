import * as core from '@actions/core'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import type { Outcome } from '../build/build.js'
import { limiter, settleAll } from '../build/schedule.js'
import { helmRetriesHttp, type HelmVersion } from '../helm/capabilities.js'
import { transcript, type ChartInRegistry, type Helm } from '../helm/helm.js'
import type { Inputs } from '../inputs/inputs.js'
import { logGroup, printInert, type Log } from '../log-group.js'
import { errorMessage, formatDuration } from '../text.js'
import { decide, decideBeforePush, verificationFailure, type Decision } from './if-exists.js'
import type { Registry } from './reference.js'
import { describePolicy, RegistryFailure, withRetries, type RetryPolicy } from './retry.js'

/** A chart as the registry step sees it: what Chart.yaml names it and where it goes. */
export type ChartId = Pick<Outcome, 'chartName' | 'version' | 'location'>

export type RegistryOptions = Pick<
  Inputs,
  'username' | 'password' | 'plainHttp' | 'retries' | 'timeoutMs' | 'parallel' | 'ifExists' | 'verify'
>

/** The registry step as the run sees it; started before the build, so that login and look-ups run beside it. */
export interface RegistryStep {
  /** Settles once logged in (at once without a password): builds with oci:// dependencies wait for it. */
  loggedIn: Promise<void>
  /** Settles once every chart's version is looked up; rejects on any failure but a clean "not found". */
  lookedUp: Promise<void>
  /**
   * Pushes every built chart as if-exists decides given what the look-ups found, `parallel` at a time, and
   * verifies each push. Every chart is decided before any is pushed, so that a refusal (if-exists: fail)
   * leaves the registry as it was. A chart that fails to push or verify does not stop the others: each
   * outcome says whether its chart is published, and its `problem` why not or what is wrong with it.
   */
  publishAll(built: Outcome[]): Promise<Outcome[]>
}

/**
 * Logs in (when there is a password; `onLogin` records the host first, for the clean-up) and looks up the
 * charts' versions, both retried under the policy the inputs and the helm version give.
 */
export function startRegistryStep(
  helm: Helm,
  helmVersion: HelmVersion,
  registry: Registry,
  options: RegistryOptions,
  charts: ChartId[],
  onLogin: (host: string) => void
): RegistryStep {
  const policy: RetryPolicy = { retries: options.retries, helmRetriesHttp: helmRetriesHttp(helmVersion) }
  printInert(describePolicy(policy, `helm ${helmVersion.text}`))
  const slot = limiter(options.parallel)

  /**
   * `chart` is undefined for the login, which concerns the account rather than a chart; `extra` marks the push
   * and the verification, right after an upload.
   */
  const attempt = <T>(
    operation: string,
    chart: ChartId | undefined,
    log: Log,
    work: () => Promise<T>,
    extra: Pick<Parameters<typeof withRetries>[1], 'afterUpload' | 'verifying'> = {}
  ) => {
    const context = {
      host: registry.host,
      operation,
      chartName: chart?.chartName ?? '',
      timeout: formatDuration(options.timeoutMs),
      ref: chart?.location.ref,
      ...extra
    }
    return withRetries(policy, context, log, work)
  }

  const show = (operation: string, chart: ChartId, log: Log, extra?: Parameters<typeof attempt>[4]) =>
    attempt(
      operation,
      chart,
      log,
      async (): Promise<ChartInRegistry> => {
        const result = await helm.showChart(chart.location.url, chart.version, options.plainHttp)
        // The command only: the Chart.yaml helm prints is summed up by the caller.
        log(`$ ${result.command}`)
        return result
      },
      extra
    )

  const logIn = async (): Promise<void> => {
    if (!options.password) return
    onLogin(registry.host)
    await logGroup(`Log in to ${registry.host}`, async log => {
      const result = await attempt('login', undefined, log, () =>
        helm.registryLogin(registry.host, options.username, options.password, options.plainHttp)
      )
      log(transcript(result))
    })
  }

  /** The digest the chart already has at its reference; undefined only on a clean "not found", never on an error. */
  const find = (chart: ChartId, when = ''): Promise<string | undefined> => {
    const { ref } = chart.location
    return logGroup(`${chart.chartName}: look up ${ref}${when}`, async log => {
      try {
        const { digest } = await show(`look-up of ${ref}`, chart, log)
        log(`${ref} exists: ${digest}`)
        return digest
      } catch (error) {
        if (!(error instanceof RegistryFailure && error.kind === 'not-found')) throw error
        log(`${ref} does not exist yet.`)
        return undefined
      }
    })
  }
  const lookUp = (chart: ChartId) => slot(() => find(chart))

  /**
   * The first look-up ran beside the build, which can be long before the push; a push of the same version that
   * landed since would be replaced unseen. The registry has no conditional put, so look again right before pushing
   * (if-exists fail and skip), which narrows that window to the push itself.
   */
  const lookAgain = async (chart: ChartId, decision: Decision): Promise<Decision> => {
    if (!decision.push || options.ifExists === 'overwrite') return decision
    return decideBeforePush(options.ifExists, await find(chart, ' again before the push'), chart.location.ref)
  }

  const verify = (chart: ChartId, digest: string): Promise<void> => {
    const { ref } = chart.location
    const check = ['helm show chart', chart.location.url, '--version', chart.version]
    if (options.plainHttp) check.push('--plain-http')
    const verifying = { digest, check: check.join(' ') }
    return logGroup(`${chart.chartName}: verify ${ref}`, async log => {
      const served = await show(`verification of ${ref}`, chart, log, { afterUpload: true, verifying })
      const failure = verificationFailure(
        ref,
        { digest, name: chart.chartName, version: chart.version },
        served,
        verifying.check
      )
      if (failure) throw new Error(failure)
      log(`${ref} resolves to ${digest}: ${served.name} ${served.version}, as pushed.`)
    })
  }

  /**
   * The registry's own chart in place of the one just built: helm packages are not byte-for-byte reproducible,
   * so a chart kept by if-exists: skip is attached and reported as the registry holds it. helm checks each
   * blob it pulls against its digest, so the file's bytes are the manifest's chart layer.
   */
  const fetchPublished = (outcome: Outcome, digest: string): Promise<string> =>
    logGroup(`${outcome.chartName}: pull ${outcome.location.ref}`, async log => {
      await rm(outcome.packagePath, { force: true })
      const destination = path.dirname(outcome.packagePath)
      const pulled = await attempt(`pull of ${outcome.location.ref}`, outcome, log, () =>
        helm.pull(outcome.location.url, outcome.version, destination, options.plainHttp)
      )
      log(transcript(pulled))
      if (pulled.digest !== digest) {
        throw new Error(
          `${outcome.location.ref} changed while this run kept it: it was ${digest} and is now ${pulled.digest}. ` +
            'Something else pushes to it; check the registry before re-running.'
        )
      }
      log(`${outcome.packagePath} is now the registry's ${outcome.location.ref}@${digest}.`)
      return outcome.packagePath
    })

  const publish = async (outcome: Outcome, planned: Decision): Promise<Outcome> => {
    let decision: Decision
    try {
      decision = await lookAgain(outcome, planned)
    } catch (error) {
      return { ...outcome, problem: errorMessage(error) }
    }
    const { ref } = outcome.location
    if (!decision.push) {
      core.warning(`${ref} is already published (${decision.digest}); not pushed again (if-exists: skip).`)
      const kept = { ...outcome, digest: decision.digest, pushed: false }
      try {
        return { ...kept, packagePath: await fetchPublished(outcome, decision.digest) }
      } catch (error) {
        return { ...kept, packagePath: '', problem: errorMessage(error) }
      }
    }
    let digest: string
    try {
      digest = await logGroup(`${outcome.chartName}: push to ${registry.url}`, async log => {
        const pushed = await attempt(
          'push',
          outcome,
          log,
          () => helm.push(outcome.packagePath, registry.url, options.plainHttp),
          { afterUpload: true }
        )
        log(transcript(pushed))
        return pushed.digest
      })
    } catch (error) {
      return { ...outcome, problem: errorMessage(error) }
    }
    if (decision.replaces) {
      core.warning(`Replaced the published ${ref}: it was ${decision.replaces}, now ${digest} (if-exists: overwrite).`)
    }
    const published = { ...outcome, digest, pushed: true }
    try {
      if (options.verify) await verify(outcome, digest)
      return published
    } catch (error) {
      return { ...published, problem: errorMessage(error) }
    }
  }

  const loggedIn = logIn()
  const existing = loggedIn.then(() => settleAll(charts.map(lookUp)))
  const byName = existing.then(digests => new Map(charts.map((chart, index) => [chart.chartName, digests[index]])))
  return {
    loggedIn,
    lookedUp: byName.then(() => undefined),
    async publishAll(built) {
      const found = await byName
      const decisions = built.map(outcome =>
        decide(options.ifExists, found.get(outcome.chartName), outcome.location.ref)
      )
      // publish() turns every failure into the chart's problem, so all of them finish before this resolves.
      return Promise.all(built.map((outcome, index) => slot(() => publish(outcome, decisions[index]))))
    }
  }
}
