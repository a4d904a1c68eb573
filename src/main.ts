import * as core from '@actions/core'
import { mkdir, mkdtemp } from 'node:fs/promises'
import path from 'node:path'
import { readChart, repositoriesToAdd, setChartVersions, writeFileAtomic, type Chart } from './chart.js'
import { getInputs, type Inputs } from './context.js'
import { renderTemplate, show } from './format.js'
import { prepareHelmHome, transcript, type Helm } from './helm.js'
import { installCommand, setOutputs, writeSummary, type Outcome } from './outputs.js'
import { phase } from './phase.js'
import { locateChart, parseRegistry } from './registry.js'
import { STATE } from './post.js'
import { Publisher } from './publish.js'
import { setupHelm } from './setup-helm.js'
import { parseStrictSemver, resolveRelease, type Release } from './version.js'

/** The release the tag names; a dry run on an untagged ref (a pull request) takes the chart's own version. */
function releaseFor(inputs: Inputs, chart: Chart): Release {
  const release = resolveRelease(inputs)
  if (release) return release
  if (inputs.push) {
    throw new Error(
      `Tag ${show(inputs.tag)} is not a tag, so there is no version to publish. Run the action on a tag push ` +
        `(on: push: tags: ['${inputs.tagPrefix}*']), set input version, or set push: false for a dry run.`
    )
  }
  const current = parseStrictSemver(chart.meta.version)
  if (!current) throw new Error(`${chart.file} has version ${show(chart.meta.version)}, which is not SemVer 2.0.`)
  return { ...current, tag: `${inputs.tagPrefix}${current.version}` }
}

async function buildDependencies(helm: Helm, chart: Chart): Promise<void> {
  await phase('Dependencies', async log => {
    for (const repository of repositoriesToAdd(chart.meta.dependencies)) {
      log(transcript(await helm.repoAdd(repository.name, repository.url)))
    }
    log(transcript(await helm.dependencyBuild(chart.dir)))
  })
}

async function lintAndPackage(helm: Helm, inputs: Inputs, chart: Chart, workDir: string): Promise<string> {
  const destination = path.join(workDir, 'package')
  const [, packaged] = await Promise.all([
    phase('Lint', async log => log(transcript(await helm.lint(chart.dir, inputs.lintStrict)))),
    phase('Package', async log => {
      log(transcript(await helm.packageChart(chart.dir, destination)))
      return path.join(destination, `${chart.meta.name}-${chart.meta.version}.tgz`)
    })
  ])
  return packaged
}

export async function run(): Promise<void> {
  try {
    core.saveState(STATE.isPost, 'true')
    const inputs = getInputs()
    const chart = await readChart(inputs.chartDir, inputs.chart)
    const release = releaseFor(inputs, chart)
    const appVersion = renderTemplate('app-version', inputs.appVersion, {
      version: release.version,
      tag: release.tag,
      major: String(release.major),
      minor: String(release.minor),
      patch: String(release.patch)
    })
    const registry = parseRegistry(inputs.registry, chart.meta.name)
    const location = locateChart(registry, chart.meta.name, release.version)
    core.info(`Releasing ${chart.meta.name} ${release.version} (tag ${release.tag}) to ${location.url}`)

    await mkdir(inputs.runnerTemp, { recursive: true })
    const workDir = await mkdtemp(path.join(inputs.runnerTemp, 'helm-release-'))
    core.saveState(STATE.workDir, workDir)
    const { helm, version: helmVersion } = await setupHelm(inputs, await prepareHelmHome(workDir), {
      push: inputs.push,
      login: inputs.push && inputs.password !== '',
      plainHttp: inputs.plainHttp,
      version: release.version
    })
    core.saveState(STATE.helm, helm.bin)

    const versions = { version: release.version, appVersion }
    const rewritten = { ...chart, meta: { ...chart.meta, ...versions } }
    await phase('Chart.yaml', async log => {
      await writeFileAtomic(chart.file, setChartVersions(chart.source, chart.file, versions))
      log(`${chart.file}: version ${release.version}, appVersion ${appVersion}`)
    })

    const publisher = inputs.push
      ? new Publisher(
          helm,
          inputs,
          registry,
          location,
          { chartName: chart.meta.name, version: release.version },
          helmVersion
        )
      : undefined
    const loggedIn = publisher && inputs.password ? publisher.login() : Promise.resolve()
    // Looked up while the chart builds; only a clean "not found" (or if-exists) lets the push go ahead.
    const existing = publisher ? loggedIn.then(() => publisher.findExisting()) : Promise.resolve(undefined)
    const build = async (): Promise<string> => {
      if (chart.meta.dependencies.length) {
        // oci:// dependencies may live in the registry being logged in to.
        if (chart.meta.dependencies.some(dep => dep.repository.startsWith('oci://'))) await loggedIn
        await buildDependencies(helm, rewritten)
      }
      return lintAndPackage(helm, inputs, rewritten, workDir)
    }
    const [packagePath, , existingDigest] = await Promise.all([build(), loggedIn, existing])
    const { digest, pushed } = publisher
      ? await publisher.publish(packagePath, existingDigest)
      : { digest: '', pushed: false }

    const outcome: Outcome = {
      chartName: chart.meta.name,
      version: release.version,
      tag: release.tag,
      appVersion,
      packagePath,
      location,
      digest,
      pushed
    }
    setOutputs(outcome)
    await writeSummary(outcome)
    core.info(
      pushed
        ? `Published ${location.ref}@${digest}\nInstall it with: ${installCommand(outcome)}`
        : `Packaged ${packagePath}; not pushed (${inputs.push ? 'if-exists: skip' : 'push: false'}).`
    )
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error))
  }
}
