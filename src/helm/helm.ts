import { parse } from 'yaml'
import { checkYamlDepth } from '../bounds.js'
import { childEnvironment } from '../environment.js'
import { formatDuration, show, textOf } from '../text.js'
import { parseHelmVersionOutput, type HelmVersion } from './capabilities.js'
import { signalGroup, spawnHelm } from './processes.js'

export interface HelmResult {
  /** The command as it was run, for the log; never holds a secret, since secrets go through stdin. */
  command: string
  stdout: string
  stderr: string
}

/** What a chart is checked with beside its own values.yaml: helm lint and helm template take the same. */
export interface ChartValues {
  /** Values files laid over the chart's defaults, in order. */
  valuesFiles?: string[]
  /** The Kubernetes version to check against; empty: helm's default. */
  kubeVersion?: string
}

// `--flag=value`: a values file's name may start with a dash.
const valuesArgs = ({ valuesFiles = [], kubeVersion = '' }: ChartValues): string[] => [
  ...valuesFiles.map(file => `--values=${file}`),
  ...(kubeVersion ? [`--kube-version=${kubeVersion}`] : [])
]

export interface RunOptions {
  /** Written to helm's stdin: how passwords reach helm without touching argv. */
  stdin?: string
}

const TWO_WORD_COMMANDS = new Set(['dependency', 'registry', 'repo'])
const DIGEST_LINE = /^Digest:\s*(sha256:[0-9a-f]{64})\s*$/m
/** The input timeout's default. */
export const DEFAULT_TIMEOUT_MS = 5 * 60_000

/**
 * helm's work on local files, with no registry or chart repository to wait for. The input timeout bounds the
 * waiting on a registry; these commands get at least its default, so that a short timeout chosen for a stalling
 * registry does not stop a lint or package that a busy runner makes slow.
 */
const LOCAL_COMMANDS = new Set(['lint', 'template', 'package', 'verify', 'version'])

export class HelmError extends Error {
  readonly subcommand: string
  readonly exitCode: number
  readonly stderr: string
  /** Killed at the time limit rather than failed by itself. */
  readonly timedOut: boolean

  /** `stoppedAfter`: the time limit and where it comes from (`5m (input timeout)`) when helm was killed at it. */
  constructor(subcommand: string, exitCode: number, stdout: string, stderr: string, stoppedAfter?: string) {
    const detail = [stderr.trim(), stdout.trim()].filter(Boolean).join('\n') || '(no output)'
    super(
      stoppedAfter
        ? `helm ${subcommand} did not finish within ${stoppedAfter} and was stopped. It had said:\n${detail}`
        : `helm ${subcommand} failed (exit code ${exitCode}):\n${detail}`
    )
    this.name = 'HelmError'
    this.subcommand = subcommand
    this.exitCode = exitCode
    this.stderr = stderr
    this.timedOut = stoppedAfter !== undefined
  }
}

interface Execution {
  exitCode: number
  stdout: string
  stderr: string
  timedOut: boolean
}

/**
 * Spawns helm itself rather than through @actions/exec, whose getExecOutput cannot stop a process: a helm
 * stalled on a registry that never answers is killed at the time limit. The limit is helm's own time, counted
 * from when it started: a timer that fires late, because the step's own work held the event loop, first lets
 * the loop take in what happened meanwhile, and a helm that has exited by then finished within its time.
 */
function execute(bin: string, args: string[], env: Record<string, string>, stdin: string, timeoutMs: number) {
  return new Promise<Execution>((resolve, reject) => {
    const child = spawnHelm(bin, args, env)
    let stdout = ''
    let stderr = ''
    let timedOut = false
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (child.exitCode !== null || child.signalCode !== null) return
          timedOut = true
          if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL')
        }),
      timeoutMs
    )
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.once('error', error => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('close', code => {
      clearTimeout(timer)
      resolve({ exitCode: code ?? -1, stdout, stderr, timedOut })
    })
    // helm may exit without reading stdin (a failed lookup before login); that is not an error of ours.
    child.stdin.once('error', () => undefined)
    child.stdin.end(stdin)
  })
}

/** How `helm package --sign` finds the key; the files live in the run's helm home (see writeKeyring). */
export interface SignWith {
  /** A user ID of the key: helm picks the key whose identity contains it. */
  key: string
  /** A legacy keyring (binary OpenPGP packets) holding the secret key. */
  keyring: string
  /** A 0600 file of the passphrase, for a key that has one. */
  passphraseFile?: string
}

/** What `helm verify` found: the signer's identity and fingerprint, as helm printed them. */
export interface Verified extends HelmResult {
  signedBy: string
  fingerprint: string
}

export interface ChartInRegistry {
  digest: string
  name: string
  version: string
}

/** The one way the action runs helm: argv arrays, output captured, a time limit, failures as HelmError. */
export class Helm {
  readonly bin: string
  readonly env: Record<string, string>
  readonly timeoutMs: number

  /** `overrides` (HELM_* paths of this run) are laid over what helm may see of the step's environment. */
  constructor(bin: string, overrides: Record<string, string>, timeoutMs = DEFAULT_TIMEOUT_MS) {
    this.bin = bin
    this.env = { ...childEnvironment(process.env, 'helm'), ...overrides }
    this.timeoutMs = timeoutMs
  }

  async run(args: string[], options: RunOptions = {}): Promise<HelmResult> {
    const local = LOCAL_COMMANDS.has(args[0]) && this.timeoutMs < DEFAULT_TIMEOUT_MS
    const limitMs = local ? DEFAULT_TIMEOUT_MS : this.timeoutMs
    const output = await execute(this.bin, args, this.env, options.stdin ?? '', limitMs)
    if (output.exitCode !== 0 || output.timedOut) {
      const words = TWO_WORD_COMMANDS.has(args[0]) ? args.slice(0, 2) : args.slice(0, 1)
      const source = local ? `helm's local work gets at least that, whatever input timeout says` : 'input timeout'
      const stoppedAfter = output.timedOut ? `${formatDuration(limitMs)} (${source})` : undefined
      throw new HelmError(words.join(' '), output.exitCode, output.stdout, output.stderr, stoppedAfter)
    }
    return { command: ['helm', ...args].join(' '), stdout: output.stdout, stderr: output.stderr }
  }

  async version(): Promise<HelmVersion> {
    const { stdout } = await this.run(['version', '--template', '{{.Version}}'])
    const version = parseHelmVersionOutput(stdout)
    if (!version) throw new Error(`${this.bin} does not look like helm: \`helm version\` printed ${show(stdout)}.`)
    return version
  }

  /**
   * The chart's metadata and manifest digest as the registry holds them (`helm show chart` pulls the chart
   * and prints the same Digest line as a pull).
   */
  async showChart(chartUrl: string, version: string, plainHttp: boolean): Promise<ChartInRegistry & HelmResult> {
    const args = ['show', 'chart', chartUrl, '--version', version]
    const result = await this.run(plainHttp ? [...args, '--plain-http'] : args)
    const digest = parseDigest(result.stdout, result.stderr)
    // Newer helm prints its Pulled/Digest notes on stdout too, ahead of the Chart.yaml that starts at apiVersion.
    const chartYaml = result.stdout.slice(Math.max(0, result.stdout.search(/^apiVersion:/m)))
    checkYamlDepth(chartYaml, `The Chart.yaml helm show chart printed for ${chartUrl} ${version},`)
    const meta: unknown = parse(chartYaml)
    const field = (key: string): string =>
      textOf(meta && typeof meta === 'object' ? (meta as Record<string, unknown>)[key] : undefined)
    if (!digest) throw new Error(`helm show chart reported no "Digest:" line for ${chartUrl} ${version}.`)
    return { ...result, digest, name: field('name'), version: field('version') }
  }

  /** Lints each of the charts (with the same values); fails when any of them fails, after linting all of them. */
  lint(chartDirs: string[], strict: boolean, values: ChartValues = {}): Promise<HelmResult> {
    return this.run(['lint', ...chartDirs, ...(strict ? ['--strict'] : []), ...valuesArgs(values)])
  }

  /** The chart's manifests as `helm install` would send them, hooks and tests included, each after `# Source:`. */
  template(chartDir: string, releaseName: string, namespace: string, values: ChartValues): Promise<HelmResult> {
    return this.run(['template', releaseName, chartDir, '--namespace', namespace, ...valuesArgs(values)])
  }

  repoAdd(name: string, url: string): Promise<HelmResult> {
    return this.run(['repo', 'add', name, url, '--force-update'])
  }

  dependencyBuild(chartDir: string): Promise<HelmResult> {
    return this.run(['dependency', 'build', chartDir])
  }

  /** Resolves the dependencies anew and rewrites Chart.lock: for a lock the action cannot move itself. */
  dependencyUpdate(chartDir: string): Promise<HelmResult> {
    return this.run(['dependency', 'update', chartDir])
  }

  /**
   * Packages the charts in turn; stops at the first that fails. With `sign`, each gets a `.prov` beside it. The
   * passphrase goes in a file, not on stdin: Helm 3 reads stdin anew for every chart, and the second read fails.
   */
  packageCharts(chartDirs: string[], destination: string, sign?: SignWith): Promise<HelmResult> {
    const signing = sign
      ? // `--key=`: a user ID that starts with a dash stays the flag's value.
        ['--sign', `--key=${sign.key}`, '--keyring', sign.keyring]
      : []
    if (sign?.passphraseFile) signing.push('--passphrase-file', sign.passphraseFile)
    return this.run(['package', ...chartDirs, '--destination', destination, ...signing])
  }

  /** Checks the chart's `.prov` beside it against the keyring; fails when the signature or a hash does not match. */
  async verify(packagePath: string, keyring: string): Promise<Verified> {
    const result = await this.run(['verify', packagePath, '--keyring', keyring])
    const field = (name: string) => new RegExp(`^${name}:[ \\t]*(.*?)\\s*$`, 'm').exec(result.stdout)?.[1] ?? ''
    return { ...result, signedBy: field('Signed by'), fingerprint: field('Using Key With Fingerprint') }
  }

  registryLogin(host: string, username: string, password: string, plainHttp: boolean): Promise<HelmResult> {
    const args = ['registry', 'login', host, '--username', username, '--password-stdin']
    return this.run(plainHttp ? [...args, '--plain-http'] : args, { stdin: password })
  }

  /**
   * Downloads the chart into `destination` as `<name>-<version>.tgz`, with `prov` its `.prov` too when it has one;
   * the digest is the manifest's.
   */
  async pull(
    chartUrl: string,
    version: string,
    destination: string,
    plainHttp: boolean,
    prov = false
  ): Promise<HelmResult & { digest: string }> {
    const args = ['pull', chartUrl, '--version', version, '--destination', destination, ...(prov ? ['--prov'] : [])]
    const result = await this.run(plainHttp ? [...args, '--plain-http'] : args)
    const digest = parseDigest(result.stdout, result.stderr)
    if (!digest) throw new Error(`helm pull reported no "Digest:" line for ${chartUrl} ${version}.`)
    return { ...result, digest }
  }

  async push(packagePath: string, registryUrl: string, plainHttp: boolean): Promise<HelmResult & { digest: string }> {
    const result = await this.run(['push', packagePath, registryUrl, ...(plainHttp ? ['--plain-http'] : [])])
    const digest = parseDigest(result.stdout, result.stderr)
    if (!digest) {
      throw new Error(
        `helm push reported no "Digest:" line, so the pushed digest is unknown. helm said:\n${result.stderr}${result.stdout}`
      )
    }
    return { ...result, digest }
  }
}

/** What a phase prints of a helm call: the command, then helm's own output. */
export function transcript(result: HelmResult): string {
  return [`$ ${result.command}`, result.stdout.trimEnd(), result.stderr.trimEnd()].filter(Boolean).join('\n')
}

/** The digest helm prints after a push or pull; helm 4.2.0 and older print it on stderr, later ones on stdout. */
export function parseDigest(stdout: string, stderr: string): string | undefined {
  return DIGEST_LINE.exec(`${stdout}\n${stderr}`)?.[1]
}
