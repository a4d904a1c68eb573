import * as core from '@actions/core'
import { helmRetriesHttp, type HelmVersion } from './capabilities.js'
import type { IfExists, Inputs } from './context.js'
import type { FailureContext } from './faults.js'
import { formatDuration } from './format.js'
import { transcript, type ChartInRegistry, type Helm } from './helm.js'
import { phase, type Log } from './phase.js'
import { STATE } from './post.js'
import type { ChartLocation, Registry } from './registry.js'
import { describePolicy, RegistryFailure, withRetries, type RetryPolicy } from './retry.js'

/** The chart being published, as Chart.yaml now names it. */
export interface ChartId {
  chartName: string
  version: string
}

export interface Published {
  /** The digest the reference now resolves to: the pushed one, or the one already there (skip). */
  digest: string
  pushed: boolean
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
    private readonly location: ChartLocation,
    private readonly release: ChartId,
    helmVersion: HelmVersion
  ) {
    this.policy = { retries: inputs.retries, helmRetriesHttp: helmRetriesHttp(helmVersion) }
    core.info(describePolicy(this.policy, `helm ${helmVersion.text}`))
  }

  private attempt<T>(operation: string, log: Log, work: () => Promise<T>): Promise<T> {
    const context: Omit<FailureContext, 'attempts' | 'helmRetriesHttp'> & { ref: string } = {
      host: this.registry.host,
      operation,
      chartName: this.release.chartName,
      timeout: formatDuration(this.inputs.timeoutMs),
      ref: this.location.ref
    }
    return withRetries(this.policy, context, log, work)
  }

  async login(): Promise<void> {
    const { host } = this.registry
    // Saved before the attempt: even a login that fails halfway may have stored something to log out of.
    core.saveState(STATE.registryHost, host)
    await phase(`Log in to ${host}`, async log => {
      const { username, password, plainHttp } = this.inputs
      const result = await this.attempt('login', log, () =>
        this.helm.registryLogin(host, username, password, plainHttp)
      )
      log(transcript(result))
    })
  }

  private show(operation: string, log: Log): Promise<ChartInRegistry> {
    return this.attempt(operation, log, async () => {
      const result = await this.helm.showChart(this.location.url, this.release.version, this.inputs.plainHttp)
      // The command only: the Chart.yaml helm prints is summed up by the caller.
      log(`$ ${result.command}`)
      return result
    })
  }

  /** The digest already published at the reference; undefined only on a clean "not found", never on an error. */
  async findExisting(): Promise<string | undefined> {
    return phase(`Look up ${this.location.ref}`, async log => {
      try {
        const { digest } = await this.show(`look-up of ${this.location.ref}`, log)
        log(`${this.location.ref} exists: ${digest}`)
        return digest
      } catch (error) {
        if (!(error instanceof RegistryFailure && error.kind === 'not-found')) throw error
        log(`${this.location.ref} does not exist yet.`)
        return undefined
      }
    })
  }

  async publish(packagePath: string, existingDigest: string | undefined): Promise<Published> {
    const { ref, url } = this.location
    const decision = decide(this.inputs.ifExists, existingDigest, ref)
    if (!decision.push) {
      core.warning(`${ref} is already published (${decision.digest}); not pushed again (if-exists: skip).`)
      return { digest: decision.digest, pushed: false }
    }
    const digest = await phase(`Push to ${url}`, async log => {
      const pushed = await this.attempt('push', log, () =>
        this.helm.push(packagePath, this.registry.url, this.inputs.plainHttp)
      )
      log(transcript(pushed))
      return pushed.digest
    })
    if (decision.replaces) {
      core.warning(`Replaced the published ${ref}: it was ${decision.replaces}, now ${digest} (if-exists: overwrite).`)
    }
    if (this.inputs.verify) await this.verify(digest)
    return { digest, pushed: true }
  }

  private async verify(digest: string): Promise<void> {
    const { ref } = this.location
    await phase(`Verify ${ref}`, async log => {
      const served = await this.show(`verification of ${ref}`, log)
      const mismatch = verifyMismatch({ digest, name: this.release.chartName, version: this.release.version }, served)
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
