import * as core from '@actions/core'
import { readFile, rm } from 'node:fs/promises'
import type { Outcome } from '../build/build.js'
import type { ArtifactHubRepo } from '../chart-files/artifacthub-repo.js'
import { limiter, settleAll } from '../build/schedule.js'
import { helmRetriesHttp, type HelmVersion } from '../helm/capabilities.js'
import { transcript, type Helm } from '../helm/helm.js'
import type { Inputs } from '../inputs/inputs.js'
import { logGroup, printInert, type Log } from '../log-group.js'
import { errorMessage, formatDuration } from '../text.js'
import { metadataRef } from './artifacthub-metadata.js'
import { publishMetadata } from './metadata-step.js'
import { RegistryClient } from './client.js'
import { readAccess } from './credentials.js'
import { digestOf } from './manifest.js'
import { decide, decideBeforePush, verificationFailure, type Decision, type Existing } from './if-exists.js'
import { helmReader, readerFor, type PublishedChart, type RegistryReader } from './reader.js'
import type { Registry } from './reference.js'
import { describePolicy, withRetries, type RetryPolicy } from './retry.js'
import { verifySignature, type SignatureCheck } from './signature-check.js'
import { packageSettingsUrl, privateNotice, type OwnerType } from './visibility.js'

/** A chart as the registry step sees it: what Chart.yaml names it and where it goes. */
export type ChartId = Pick<Outcome, 'chartName' | 'version' | 'location'>

/** A chart to publish, with the Artifact Hub metadata that goes to its repository, when it has any. */
export type ChartTarget = ChartId & { artifactHub?: ArtifactHubRepo }

export type RegistryOptions = Pick<
  Inputs,
  'username' | 'password' | 'plainHttp' | 'retries' | 'timeoutMs' | 'parallel' | 'ifExists' | 'verify' | 'createRelease'
> & {
  /** Set when the charts are signed: each published chart must carry a provenance that verifies with the key. */
  signature?: SignatureCheck
}

/** The registry step as the run sees it; started before the build, so that the checks and look-ups run beside it. */
export interface RegistryStep {
  /** Settles once the credentials are checked (at once without a password): builds with oci:// dependencies wait for it. */
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
 * Checks the credentials (when there is a password) and looks up the charts' versions, both retried under the
 * policy the inputs and the helm version give. The registry is read by the action's own client; helm only
 * pushes, and reads only where the client cannot (see readerFor).
 */
export function startRegistryStep(
  helm: Helm,
  helmVersion: HelmVersion,
  registry: Registry,
  options: RegistryOptions,
  charts: ChartTarget[],
  repositoryOwner: { login: string; type: OwnerType }
): RegistryStep {
  const policy: RetryPolicy = { retries: options.retries, helmRetriesHttp: helmRetriesHttp(helmVersion) }
  printInert(describePolicy(policy, `helm ${helmVersion.text}`))
  const slot = limiter(options.parallel)
  const login = options.password ? { username: options.username, password: options.password } : undefined
  const opened: Promise<RegistryReader> = readAccess(options.username, options.password, registry.host).then(access => {
    // A login Docker's config holds is as secret as the password input, which the runner masks already.
    if (access.kind === 'docker-config') core.setSecret(access.credentials.password)
    return readerFor(
      access,
      () =>
        new RegistryClient({
          host: registry.host,
          plainHttp: options.plainHttp,
          credentials: 'credentials' in access ? access.credentials : undefined,
          timeoutMs: options.timeoutMs
        }),
      () => helmReader(helm, { host: registry.host, plainHttp: options.plainHttp }, login),
      reason => printInert(reason)
    )
  })

  /**
   * `chart` is undefined for the credential check, which concerns the account rather than a chart; `extra` marks
   * the push and the verification, right after an upload. helm's own quick retries count only for helm's calls.
   */
  const attempt = <T>(
    operation: string,
    chart: ChartId | undefined,
    log: Log,
    byHelm: boolean,
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
    return withRetries({ ...policy, helmRetriesHttp: policy.helmRetriesHttp && byHelm }, context, log, work)
  }
  const read = async <T>(
    operation: string,
    chart: ChartId | undefined,
    log: Log,
    work: (reader: RegistryReader) => Promise<T>,
    extra?: Parameters<typeof attempt>[5]
  ) => {
    const reader = await opened
    return attempt(operation, chart, log, reader.via === 'helm', () => work(reader), extra)
  }

  const checkCredentials = async (): Promise<void> => {
    if (!login || !charts.length) return
    await logGroup(`Check the credentials for ${registry.host}`, async log => {
      await read('the credential check', undefined, log, reader => reader.checkCredentials(charts[0].location))
      log(`${registry.host} accepts the credentials of ${options.username} (checked through ${(await opened).via}).`)
    })
  }

  /** What the chart's tag holds; undefined only on a clean "not found", never on an error. */
  const find = (chart: ChartId, when = ''): Promise<PublishedChart | undefined> => {
    const { ref } = chart.location
    return logGroup(`${chart.chartName}: look up ${ref}${when}`, async log => {
      const found = await read(`look-up of ${ref}`, chart, log, reader => reader.lookUp(chart.location, chart.version))
      log(found ? `${ref} exists: ${found.digest}` : `${ref} does not exist yet.`)
      return found
    })
  }

  /**
   * The first look-up ran beside the build, which can be long before the push; a push of the same version that
   * landed since would be replaced unseen. The registry has no conditional put, so look again right before pushing
   * (if-exists fail and skip), which narrows that window to the push itself.
   */
  const lookAgain = async (chart: ChartId, decision: Decision, packageDigest: string): Promise<Decision> => {
    if (!decision.push || options.ifExists === 'overwrite') return decision
    const found = await find(chart, ' again before the push')
    // A signed push that landed meanwhile is not checked again: taken as other content.
    return decideBeforePush(options.ifExists, existing(found, packageDigest, !options.signature), chart.location.ref)
  }

  const verify = (chart: ChartId, digest: string): Promise<void> => {
    const { ref } = chart.location
    const check = ['helm show chart', chart.location.url, '--version', chart.version]
    if (options.plainHttp) check.push('--plain-http')
    const verifying = { digest, check: check.join(' ') }
    return logGroup(`${chart.chartName}: verify ${ref}`, async log => {
      const served = await read(
        `verification of ${ref}`,
        chart,
        log,
        reader => reader.inspect(chart.location, chart.version),
        { afterUpload: true, verifying }
      )
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
   * The registry's own chart in place of the one just built, when if-exists: skip keeps different content: the
   * chart attached and reported is the one the registry holds. The blob is checked against its digest.
   */
  const fetchPublished = (outcome: Outcome, digest: string): Promise<string> =>
    logGroup(`${outcome.chartName}: download ${outcome.location.ref}`, async log => {
      await read(`download of ${outcome.location.ref}`, outcome, log, reader =>
        reader.download(outcome.location, outcome.version, digest, outcome.packagePath)
      )
      log(`${outcome.packagePath} is now the registry's ${outcome.location.ref}@${digest}.`)
      return outcome.packagePath
    })

  /** The signature of the chart the registry holds at `digest`, checked in a log group of its own. */
  const checkSignature = (outcome: Outcome, digest: string, signature: SignatureCheck): Promise<void> =>
    logGroup(`${outcome.chartName}: signature of ${outcome.location.ref}`, log =>
      verifySignature(helm, { ...outcome, digest }, signature, log, (file, withProv) =>
        read(`download of ${outcome.location.ref} for its signature`, outcome, log, reader =>
          reader.download(outcome.location, outcome.version, digest, file, withProv)
        )
      )
    )

  /** Whether anyone may pull the published chart; a GHCR package that is private gets a notice with the fix. */
  const visibility = async (outcome: Outcome, digest: string): Promise<boolean | undefined> => {
    const { ref } = outcome.location
    try {
      const isPublic = await logGroup(`${outcome.chartName}: visibility of ${ref}`, log =>
        read(`anonymous look-up of ${ref}`, outcome, log, reader => reader.isPublic(outcome.location, digest))
      )
      const settings = packageSettingsUrl(registry, outcome.chartName, repositoryOwner)
      if (isPublic === false && settings) core.notice(privateNotice(ref, settings))
      return isPublic
    } catch (error) {
      core.warning(`Could not tell whether ${ref} is public: ${errorMessage(error)}`)
      return undefined
    }
  }

  const push = (outcome: Outcome): Promise<string> =>
    logGroup(`${outcome.chartName}: push to ${registry.url}`, async log => {
      const pushed = await attempt(
        'push',
        outcome,
        log,
        true,
        () => helm.push(outcome.packagePath, registry.url, options.plainHttp),
        { afterUpload: true }
      )
      log(transcript(pushed))
      return pushed.digest
    })

  /** The version holds other content, and if-exists: skip keeps it: the registry's chart replaces this run's. */
  const keep = async (outcome: Outcome, digest: string): Promise<Outcome> => {
    core.warning(`${outcome.location.ref} is already published (${digest}); not pushed again (if-exists: skip).`)
    const kept = { ...outcome, digest, pushed: false }
    try {
      const packagePath = await fetchPublished(outcome, digest)
      return { ...kept, packagePath, public: await visibility(outcome, digest), signed: await keptSignature(kept) }
    } catch (error) {
      return { ...kept, packagePath: '', problem: errorMessage(error) }
    }
  }

  /**
   * Whether the published chart this run keeps is signed with the key; when it is not, the `.prov` this run made
   * goes, as it belongs to another package.
   */
  const keptSignature = async (outcome: Outcome): Promise<boolean | undefined> => {
    const { signature } = options
    if (!signature) return undefined
    try {
      await checkSignature(outcome, outcome.digest, signature)
      return true
    } catch (error) {
      core.warning(`${outcome.location.ref} is kept unsigned by this run's key: ${errorMessage(error)}`)
      await rm(`${outcome.packagePath}.prov`, { force: true })
      return false
    }
  }

  const pushAndCheck = async (outcome: Outcome, replaces: string | undefined): Promise<Outcome> => {
    let digest: string
    try {
      digest = await push(outcome)
    } catch (error) {
      return { ...outcome, problem: errorMessage(error) }
    }
    if (replaces) {
      core.warning(
        `Replaced the published ${outcome.location.ref}: it was ${replaces}, now ${digest} (if-exists: overwrite).`
      )
    }
    const problem = (check: Promise<void>) =>
      check.then(
        () => undefined,
        (error: unknown) => errorMessage(error)
      )
    // Reads of the same manifest, side by side; visibility() settles in every case. A signed chart's signature is
    // checked whatever verify says: the output signed promises it.
    const { signature } = options
    const [verified, isPublic, unsigned] = await Promise.all([
      options.verify ? problem(verify(outcome, digest)) : undefined,
      visibility(outcome, digest),
      signature ? problem(checkSignature(outcome, digest, signature)) : undefined
    ])
    const problems = [verified, unsigned].filter(Boolean).join(' ')
    return {
      ...outcome,
      digest,
      pushed: true,
      public: isPublic,
      ...(signature && { signed: !unsigned }),
      ...(problems && { problem: problems })
    }
  }

  const publish = async (outcome: Outcome, planned: Decision, packageDigest: string): Promise<Outcome> => {
    let decision: Decision
    try {
      decision = await lookAgain(outcome, planned, packageDigest)
    } catch (error) {
      return { ...outcome, problem: errorMessage(error) }
    }
    if (decision.push) return pushAndCheck(outcome, decision.replaces)
    if (!decision.identical) return keep(outcome, decision.digest)
    printInert(
      `${outcome.location.ref} (${decision.digest}) already holds this run's package byte for byte (chart layer ` +
        `${packageDigest}): the content is identical, so nothing is pushed.`
    )
    const isPublic = await visibility(outcome, decision.digest)
    // With a key, identical content includes a provenance that verified with it (see publishAll).
    return {
      ...outcome,
      digest: decision.digest,
      pushed: false,
      public: isPublic,
      ...(options.signature && { signed: true })
    }
  }

  /**
   * Whether the chart the registry holds byte for byte carries a provenance that verifies with the key (its `.prov`
   * then replaces this run's, which holds a signature of another time); without one it is other content.
   */
  const signedAlike = async (outcome: Outcome, found: PublishedChart | undefined, packageDigest: string) => {
    const { signature } = options
    if (!signature || !found || found.chartLayer !== packageDigest) return true
    return checkSignature(outcome, found.digest, signature).then(
      () => true,
      (error: unknown) => {
        printInert(
          `${outcome.location.ref} holds this run's package, but not signed with its key: ${errorMessage(error)}`
        )
        return false
      }
    )
  }

  /**
   * The provenance the registry serves with a chart whose signature this run did not verify (an unsigned run, a
   * chart kept or left as it was), beside its package for the GitHub Release: none, one of another key, or an
   * earlier run's. A chart the registry serves without one has no `.prov` after this.
   */
  const servedProvenance = (outcome: Outcome): Promise<Outcome> =>
    logGroup(`${outcome.chartName}: provenance of ${outcome.location.ref}`, async log => {
      const ref = `${outcome.location.ref}@${outcome.digest}`
      try {
        const provenance = await read(`download of ${ref}`, outcome, log, reader =>
          reader.download(outcome.location, outcome.version, outcome.digest, outcome.packagePath, true)
        )
        log(`${ref} ${provenance ? 'carries a provenance file' : 'carries no provenance file'}.`)
        return { ...outcome, provenance }
      } catch (error) {
        return { ...outcome, problem: errorMessage(error) }
      }
    })

  /** For the GitHub Release (create-release): whether the published chart comes with a provenance file. */
  const withProvenance = async (settled: Outcome): Promise<Outcome> => {
    if (!options.createRelease || !settled.digest || settled.problem) return settled
    if (settled.signed) return { ...settled, provenance: true }
    // The manifest this run pushed unsigned has no provenance layer: nothing to download.
    if (settled.pushed) return { ...settled, provenance: false }
    return servedProvenance(settled)
  }

  /** A chart's publication, then its metadata when the chart is in the registry without a problem. */
  const publishWithMetadata = async (outcome: Outcome, planned: Decision, packageDigest: string): Promise<Outcome> => {
    const published = await withProvenance(await publish(outcome, planned, packageDigest))
    const metadata = charts.find(chart => chart.chartName === outcome.chartName)?.artifactHub
    if (!metadata || !published.digest || published.problem) return published
    return publishMetadata(published, metadata, log =>
      read(`push of ${metadataRef(outcome.location)}`, outcome, log, reader =>
        reader.syncMetadata(outcome.location, metadata)
      )
    )
  }

  const loggedIn = checkCredentials()
  const lookUps = loggedIn.then(() => settleAll(charts.map(chart => slot(() => find(chart)))))
  const byName = lookUps.then(found => new Map(charts.map((chart, index) => [chart.chartName, found[index]])))
  return {
    loggedIn,
    lookedUp: byName.then(() => undefined),
    async publishAll(built) {
      const found = await byName
      const packageDigests = await Promise.all(
        built.map(async outcome => digestOf(await readFile(outcome.packagePath)))
      )
      const signed = await Promise.all(
        built.map((outcome, index) =>
          slot(() => signedAlike(outcome, found.get(outcome.chartName), packageDigests[index]))
        )
      )
      const decisions = built.map((outcome, index) =>
        decide(
          options.ifExists,
          existing(found.get(outcome.chartName), packageDigests[index], signed[index]),
          outcome.location.ref
        )
      )
      // publish() turns every failure into the chart's problem, so all of them finish before this resolves.
      return Promise.all(
        built.map((outcome, index) => slot(() => publishWithMetadata(outcome, decisions[index], packageDigests[index])))
      )
    }
  }
}

/**
 * What the registry holds, compared with the package this run built; `signedAlike`: false when the run signs and
 * the registry's chart carries no provenance that verified with the key.
 */
function existing(found: PublishedChart | undefined, packageDigest: string, signedAlike = true): Existing | undefined {
  return found && { digest: found.digest, identical: found.chartLayer === packageDigest && signedAlike }
}
