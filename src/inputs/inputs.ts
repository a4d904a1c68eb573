import * as core from '@actions/core'
import {
  parseBoolean,
  parseDuration,
  parseHelmVersion,
  parseIfExists,
  parseKeyUrl,
  parseKubeVersion,
  parseImage,
  parseKeyPath,
  parseLatest,
  parseMaxJobs,
  parseMirror,
  parseOnly,
  parseParallel,
  parseRetries,
  type IfExists,
  type Latest
} from './parse.js'

export interface Inputs {
  /** The input that names the charts: `charts` when set, else `chart`. */
  chartsInput: 'chart' | 'charts'
  /** Chart directories or globs as given, relative to the workspace. */
  chartPatterns: string[]
  /** Build and push only these of the charts the tag releases (a job of a `plan` matrix); empty: all of them. */
  only: string[]
  /** Resolve the release and set `matrix`, nothing else. */
  plan: boolean
  /** The most entries `matrix` has; past that, each entry holds a batch of charts. */
  maxJobs: number
  parallel: number
  tag: string
  tagPrefix: string
  version: string
  appVersion: string
  registry: string
  username: string
  password: string
  push: boolean
  lintStrict: boolean
  plainHttp: boolean
  /** Add the repository as the source of a chart that names none, so that ghcr.io links the package to it. */
  linkSource: boolean
  /** `--kube-version` of lint and template; empty: helm's default. */
  kubeVersion: string

  // Signing.
  /** ASCII-armored OpenPGP private key; empty: unsigned. */
  signingKey: string
  signingPassphrase: string
  /** Where the public key is published, for Artifact Hub; empty: nowhere named. */
  signingKeyUrl: string

  // The Docker step's tags and labels, the image tag in values.yaml, the GitHub Release.
  /** Lowercased image name without a tag; empty leaves docker-tags empty. */
  image: string
  latest: Latest
  /** The values file as given, relative to each chart's directory. */
  valuesFile: string
  /** Keys down to the image tag in values.yaml; empty turns the rewrite off. */
  imageTagPath: string[]
  imageTag: string
  createRelease: boolean
  githubToken: string

  // Re-runs, faults, and where helm comes from.
  ifExists: IfExists
  verify: boolean
  retries: number
  /** Time limit of each helm call, in milliseconds. */
  timeoutMs: number
  /** Empty: the helm on PATH. */
  helmVersion: string
  helmMirror: string
}

/**
 * An input that has no meaning when empty. The runner fills in action.yml's default for an input the workflow
 * leaves out, so only an explicit empty value (often an unset expression) gets here.
 */
function nonEmpty(name: string, example: string): string {
  const value = core.getInput(name)
  if (value === '') throw new Error(`Input ${name} is empty. Leave it out for its default, or set it, e.g. ${example}.`)
  return value
}

/** The armored key's lines that carry key material: all but its armor lines and headers. */
function keyLines(armored: string): string[] {
  return armored
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line !== '' && !line.startsWith('-----') && !/^[A-Za-z-]+: /.test(line))
}

/** Every input, read and checked once, before the action changes anything; defaults come from action.yml. */
export function getInputs(): Inputs {
  const password = core.getInput('password')
  const githubToken = core.getInput('github-token')
  const signingKey = core.getInput('signing-key')
  const signingPassphrase = core.getInput('signing-passphrase', { trimWhitespace: false })
  // Registered first, so that no later message or log line can show them. The runner masks a multi-line
  // value only whole, so each line of the key is registered too.
  for (const secret of [password, githubToken, signingPassphrase, ...keyLines(signingKey)])
    if (secret) core.setSecret(secret)
  const input = (name: string): string => core.getInput(name)
  const flag = (name: string): boolean => parseBoolean(name, input(name))
  const charts = core.getMultilineInput('charts').filter(line => line !== '' && !line.startsWith('#'))
  const imageTagPath = input('image-tag-path')
  return {
    chartsInput: charts.length ? 'charts' : 'chart',
    chartPatterns: charts.length ? charts : [input('chart')],
    only: parseOnly(input('only')),
    plan: flag('plan'),
    maxJobs: parseMaxJobs(input('max-jobs')),
    parallel: parseParallel(input('parallel')),
    // Untrimmed: a tag or version with stray whitespace or a newline is refused, not silently repaired.
    tag: core.getInput('tag', { trimWhitespace: false }),
    tagPrefix: input('tag-prefix'),
    version: core.getInput('version', { trimWhitespace: false }),
    appVersion: nonEmpty('app-version', '{{version}}'),
    registry: input('registry'),
    username: input('username'),
    password,
    push: flag('push'),
    lintStrict: flag('lint-strict'),
    plainHttp: flag('plain-http'),
    linkSource: flag('link-source'),
    kubeVersion: parseKubeVersion(input('kube-version')),

    signingKey,
    signingPassphrase,
    signingKeyUrl: parseKeyUrl(input('signing-key-url')),

    image: parseImage(input('image')),
    latest: parseLatest(input('latest')),
    valuesFile: nonEmpty('values-file', 'values.yaml'),
    imageTagPath: imageTagPath ? parseKeyPath('image-tag-path', imageTagPath) : [],
    imageTag: nonEmpty('image-tag', '{{tag}}'),
    createRelease: flag('create-release'),
    githubToken,

    ifExists: parseIfExists(input('if-exists')),
    verify: flag('verify'),
    retries: parseRetries(input('retries')),
    timeoutMs: parseDuration('timeout', input('timeout')),
    helmVersion: parseHelmVersion(input('helm-version')),
    helmMirror: parseMirror(input('helm-mirror'))
  }
}
