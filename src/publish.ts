import * as core from '@actions/core'
import { helmRetriesHttp, type HelmVersion } from './capabilities.js'
import type { IfExists, Inputs } from './context.js'
import type { FailureContext } from './faults.js'
import { formatDuration } from './format.js'
import { transcript, type ChartInRegistry, type Helm } from './helm.js'
import { phase, type Log } from './phase.js'
import type { Outcome } from './outputs.js'
import { locateChart, type Registry } from './registry.js'
import { describePolicy, RegistryFailure, withRetries, type RetryPolicy } from './retry.js'
import { limiter } from './schedule.js'

/** The chart being published, as Chart.yaml now names it. */
export interface ChartId {
  chartName: string
  version: string
}

export type Decision = { push: true; replaces?: string } | { push: false; digest: string }

/** What to do given what the registry already holds at the reference; `fail` stops here. */
export function decide(ifExists: IfExists, existingDigest: string | undefined, ref: string): Decision {
  if (existingDigest === undefined) return { push: true }
  if (ifExists === 'skip') return { push: false, digest: existingDigest }
  if (ifExists === 'overwrite') return { push: true, replaces: existingDigest }
  throw new Error(
    `${ref} is already published (${existingDigest}); a released version is not pushed again by default. ` +
      'If this is a re-run, set input if-exists: skip to keep the published chart, or if-exists: overwrite to replace it.'
  )
}

/** Why what the registry serves after the push is not what was pushed, or undefined when it is. */
export function verifyMismatch(pushed: ChartInRegistry, served: ChartInRegistry): string | undefined {
  const differs = (['digest', 'name', 'version'] as const).filter(key => pushed[key] !== served[key])
  if (!differs.length) return undefined
  return differs.map(key => `${key} ${served[key]} instead of ${pushed[key]}`).join(', ')
}

/** The registry side of a release: login, the look-up of what is there, push and verification, all retried. */
export class Publisher {
  private readonly policy: RetryPolicy

  constructor(
    private readonly helm: Helm,
    private readonly inputs: Inputs,
    private readonly registry: Registry,
    helmVersion: HelmVersion
  ) {
    this.policy = { retries: inputs.retries, helmRetriesHttp: helmRetriesHttp(helmVersion) }
    core.info(describePolicy(this.policy, `helm ${helmVersion.text}`))
  }

  /** `chart` is undefined for the login, which concerns the account rather than a chart. */
  private attempt<T>(operation: string, chart: ChartId | undefined, log: Log, work: () => Promise<T>): Promise<T> {
    const context: Omit<FailureContext, 'attempts' | 'helmRetriesHttp'> & { ref?: string } = {
      host: this.registry.host,
      operation,
      chartName: chart?.chartName ?? '',
      timeout: formatDuration(this.inputs.timeoutMs),
      ref: chart && locateChart(this.registry, chart.chartName, chart.version).ref
    }
    return withRetries(this.policy, context, log, work)
  }

  async login(): Promise<void> {
    const { host } = this.registry
    await phase(`Log in to ${host}`, async log => {
      const { username, password, plainHttp } = this.inputs
      const result = await this.attempt('login', undefined, log, () =>
        this.helm.registryLogin(host, username, password, plainHttp)
      )
      log(transcript(result))
    })
  }

  private show(operation: string, chart: ChartId, log: Log): Promise<ChartInRegistry> {
    return this.attempt(operation, chart, log, async () => {
      const { url } = locateChart(this.registry, chart.chartName, chart.version)
      const result = await this.helm.showChart(url, chart.version, this.inputs.plainHttp)
      // The command only: the Chart.yaml helm prints is summed up by the caller.
      log(`$ ${result.command}`)
      return result
    })
  }

  /** The digest each chart already has at its reference; undefined only on a clean "not found", never on an error. */
  async findExisting(charts: ChartId[]): Promise<Map<string, string | undefined>> {
    // `parallel` at a time, like the builds they run beside.
    const slot = limiter(this.inputs.parallel)
    const found = await Promise.all(
      charts.map(chart => {
        const { ref } = locateChart(this.registry, chart.chartName, chart.version)
        return slot(() =>
          phase(`${chart.chartName}: look up ${ref}`, async log => {
            try {
              const { digest } = await this.show(`look-up of ${ref}`, chart, log)
              log(`${ref} exists: ${digest}`)
              return [chart.chartName, digest] as const
            } catch (error) {
              if (!(error instanceof RegistryFailure && error.kind === 'not-found')) throw error
              log(`${ref} does not exist yet.`)
              return [chart.chartName, undefined] as const
            }
          })
        )
      })
    )
    return new Map(found)
  }

  /** Carries out a decision (see decide) for one built chart; returns its outcome with the digest now there. */
  async publish(outcome: Outcome, decision: Decision): Promise<Outcome> {
    const { ref } = outcome.location
    if (!decision.push) {
      core.warning(`${ref} is already published (${decision.digest}); not pushed again (if-exists: skip).`)
      return { ...outcome, digest: decision.digest, pushed: false }
    }
    const digest = await phase(`${outcome.chartName}: push to ${this.registry.url}`, async log => {
      const pushed = await this.attempt('push', outcome, log, () =>
        this.helm.push(outcome.packagePath, this.registry.url, this.inputs.plainHttp)
      )
      log(transcript(pushed))
      return pushed.digest
    })
    if (decision.replaces) {
      core.warning(`Replaced the published ${ref}: it was ${decision.replaces}, now ${digest} (if-exists: overwrite).`)
    }
    if (this.inputs.verify) await this.verify(outcome, digest)
    return { ...outcome, digest, pushed: true }
  }

  private async verify(chart: ChartId, digest: string): Promise<void> {
    const { ref } = locateChart(this.registry, chart.chartName, chart.version)
    await phase(`${chart.chartName}: verify ${ref}`, async log => {
      const served = await this.show(`verification of ${ref}`, chart, log)
      const mismatch = verifyMismatch({ digest, name: chart.chartName, version: chart.version }, served)
      if (mismatch) {
        throw new Error(
          `Verification failed: ${ref} now resolves to ${mismatch}. Something else may have pushed to it at ` +
            'the same time; check the registry before re-running.'
        )
      }
      log(`${ref} resolves to ${digest}: ${served.name} ${served.version}, as pushed.`)
    })
  }
}
