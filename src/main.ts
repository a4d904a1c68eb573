import * as core from '@actions/core'
import { mkdir, mkdtemp } from 'node:fs/promises'
import path from 'node:path'
import { readChart, repositoriesToAdd, setChartVersions, writeFileAtomic, type Chart } from './chart.js'
import { getGitHubContext, getInputs, type GitHubContext, type Inputs } from './context.js'
import { resolveDockerMeta } from './docker.js'
import { placeholders, renderTemplate, show } from './format.js'
import { checkReleasable, publishRelease } from './github-release.js'
import { Helm, prepareHelmHome, transcript } from './helm.js'
import { installCommand, setOutputs, writeSummary, type Outcome } from './outputs.js'
import { phase } from './phase.js'
import { locateChart, parseRegistry, type Registry } from './registry.js'
import { STATE } from './post.js'
import { imageTagEdit } from './values.js'
import { parseStrictSemver, resolveRelease, type Release } from './version.js'

/** The release the tag names; a dry run on an untagged ref (a pull request) takes the chart's own version. */
function releaseFor(inputs: Inputs, chart: Chart, tagged: Release | undefined): Release {
  if (tagged) return tagged
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

async function login(helm: Helm, inputs: Inputs, registry: Registry): Promise<void> {
  // Saved before the attempt: even a login that fails halfway may have stored something to log out of.
  core.saveState(STATE.registryHost, registry.host)
  await phase(`Log in to ${registry.host}`, async log => {
    log(transcript(await helm.registryLogin(registry.host, inputs.username, inputs.password, inputs.plainHttp)))
  })
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

async function githubRelease(inputs: Inputs, github: GitHubContext, outcome: Outcome): Promise<string> {
  return phase('GitHub Release', async log => {
    if (!inputs.push) {
      log('Not creating a release: push is false, so there is no published chart to point it at.')
      return ''
    }
    const spec = {
      tag: outcome.tag,
      sha: github.sha,
      prerelease: Boolean(outcome.tagged?.prerelease),
      makeLatest: outcome.docker.isLatest,
      install: installCommand(outcome),
      chartRef: outcome.location.ref,
      digest: outcome.digest,
      packagePath: outcome.packagePath
    }
    return publishRelease(github, inputs.githubToken, spec, log)
  })
}

export async function run(): Promise<void> {
  try {
    core.saveState(STATE.isPost, 'true')
    const inputs = getInputs()
    const chart = await readChart(inputs.chartDir, inputs.chart)
    const github = getGitHubContext()
    const tagged = resolveRelease(inputs)
    const release = releaseFor(inputs, chart, tagged)
    const docker = await resolveDockerMeta(inputs, github, tagged)
    const values = placeholders(release, docker.shaShort)
    const appVersion = renderTemplate('app-version', inputs.appVersion, values)
    const imageTag = inputs.imageTagPath.length ? renderTemplate('image-tag', inputs.imageTag, values) : ''
    const valuesEdit = imageTag ? await imageTagEdit(inputs.valuesFile, inputs.imageTagPath, imageTag) : undefined
    if (inputs.createRelease && inputs.push) checkReleasable(github, inputs.githubToken)
    const registry = parseRegistry(inputs.registry, chart.meta.name)
    const location = locateChart(registry, chart.meta.name, release.version)
    core.info(`Releasing ${chart.meta.name} ${release.version} (tag ${release.tag}) to ${location.url}`)

    await mkdir(inputs.runnerTemp, { recursive: true })
    const workDir = await mkdtemp(path.join(inputs.runnerTemp, 'helm-release-'))
    core.saveState(STATE.workDir, workDir)
    const helm = await Helm.find(await prepareHelmHome(workDir))
    core.saveState(STATE.helm, helm.bin)

    const versions = { version: release.version, appVersion }
    const rewritten = { ...chart, meta: { ...chart.meta, ...versions } }
    await phase('Chart.yaml', async log => {
      await writeFileAtomic(chart.file, setChartVersions(chart.source, chart.file, versions))
      log(`${chart.file}: version ${release.version}, appVersion ${appVersion}`)
      if (valuesEdit) {
        await writeFileAtomic(valuesEdit.file, valuesEdit.text)
        log(`${valuesEdit.file}: ${inputs.imageTagPath.join('.')} ${imageTag}`)
      }
    })

    const loggedIn = inputs.push && inputs.password ? login(helm, inputs, registry) : Promise.resolve()
    const build = async (): Promise<string> => {
      if (chart.meta.dependencies.length) {
        // oci:// dependencies may live in the registry being logged in to.
        if (chart.meta.dependencies.some(dep => dep.repository.startsWith('oci://'))) await loggedIn
        await buildDependencies(helm, rewritten)
      }
      return lintAndPackage(helm, inputs, rewritten, workDir)
    }
    const [packagePath] = await Promise.all([build(), loggedIn])

    let digest = ''
    if (inputs.push) {
      digest = await phase(`Push to ${registry.url}`, async log => {
        const pushed = await helm.push(packagePath, registry.url, inputs.plainHttp)
        log(transcript(pushed))
        return pushed.digest
      })
    }

    const outcome: Outcome = {
      chartName: chart.meta.name,
      version: release.version,
      tag: release.tag,
      appVersion,
      packagePath,
      location,
      digest,
      pushed: inputs.push,
      tagged,
      docker,
      releaseUrl: ''
    }
    if (inputs.createRelease) outcome.releaseUrl = await githubRelease(inputs, github, outcome)
    setOutputs(outcome)
    await writeSummary(outcome)
    core.info(
      inputs.push
        ? `Published ${location.ref}@${digest}\nInstall it with: ${installCommand(outcome)}`
        : `Packaged ${packagePath}; not pushed (push: false).`
    )
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error))
  }
}
