// Runs a bundle of the action the way the GitHub Actions runner does: action.yml defaults evaluated against a
// github context, INPUT_<NAME> variables (uppercased, hyphens kept), GITHUB_OUTPUT/GITHUB_STATE/
// GITHUB_STEP_SUMMARY files read back, workflow commands in stdout and stderr carried out as the runner
// carries them out (workflow-commands.js), then the post step with STATE_<name>, all under Node 24.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { decodeHTML } from 'entities'
import { parse } from 'yaml'
import { BUNDLE } from './bundle.js'
import { helmArgvRecorder, saveTranscript } from './secret-scan.js'
import { helmDir, node24, ROOT } from './tools.js'
import { readWorkflowCommands } from './workflow-commands.js'
import { EXAMPLE_CHART, makeWorkspace } from './workspace.js'

const action = parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8'))

/** Evaluates the `${{ github.x }}` defaults of action.yml, the only expressions it uses. */
export function inputDefaults(github) {
  return Object.fromEntries(
    Object.entries(action.inputs).map(([name, spec]) => [
      name,
      String(spec.default ?? '').replace(/\$\{\{\s*github\.(\w+)\s*\}\}/g, (_, key) => {
        if (!(key in github))
          throw new Error(`action.yml default of ${name} uses github.${key}, which the test context lacks`)
        return github[key]
      })
    ])
  )
}

/** Reads a GITHUB_OUTPUT / GITHUB_STATE file: `name<<delimiter` blocks (and plain `name=value` lines). */
export function parseCommandFile(text) {
  const values = {}
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const body = []
      while (lines[++index] !== delimiter) body.push(lines[index])
      values[name] = body.join('\n')
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return values
}

/**
 * The cell texts of the first table in a job summary, row by row (the header row first), read from the
 * markup @actions/core's summary.addTable writes: `<tr><td>text</td>…</tr>`, and a bare `<td>` for an empty
 * cell. Text holds no markup but `<br>` for a line break, since the action escapes it; any other tag garbles
 * the rows and fails the test.
 */
export function summaryTable(html) {
  const table = /<table>([^]*?)<\/table>/.exec(html)
  if (!table) throw new Error(`The summary holds no table:\n${html}`)
  return [...table[1].matchAll(/<tr>([^]*?)<\/tr>/g)].map(([, row]) =>
    [...row.matchAll(/<(th|td)(?: [^>]*)?>(?:((?:[^<]|<br>)*)<\/\1>)?/g)].map(([, , text = '']) =>
      decodeHTML(text.replaceAll('<br>', '\n'))
    )
  )
}

/** Every step started and not yet finished (finish() returned), as the function that kills what is left of it. */
const unfinished = new Set()

function execute(file, env, cwd) {
  // A process group of its own, which killStep() ends as a whole; the helm it starts runs in groups of their own.
  const child = spawn(node24(), [file], { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  const done = new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  return { child, done }
}

/** The bundle to run: the one the e2e setup built from today's src/ in a test run, else the committed dist/. */
function bundleToRun(entry) {
  if (entry) return entry
  if (process.env[BUNDLE]) return process.env[BUNDLE]
  // Falling back to dist/ here would let a stale dist/ pass for today's src/.
  if (process.env.JEST_WORKER_ID) throw new Error(`${BUNDLE} is unset: run the e2e tests through jest.config.js.`)
  return path.join(ROOT, 'dist', 'index.js')
}

/** Each process's state, parent and process group, zombies included, read off /proc/<pid>/stat. */
async function processTable() {
  const table = []
  for (const entry of await readdir('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    if (!stat) continue
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
    const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    table.push({ pid: Number(entry), state, ppid: Number(ppid), pgrp: Number(pgrp) })
  }
  return table
}

/** Process ids in a process group, zombies aside: they run nothing and vanish once reaped. */
async function groupMembers(group) {
  return (await processTable()).filter(each => each.pgrp === group && each.state !== 'Z').map(each => each.pid)
}

function signal(target, name) {
  try {
    process.kill(target, name)
  } catch (error) {
    if (error.code !== 'ESRCH') throw error
  }
}

/**
 * Kills a step and what it started, and waits until none of it runs. A step still running is stopped first
 * (SIGSTOP to its group), so that it starts nothing while its descendants are collected; then its process group
 * and the group of each descendant (helm runs in groups of its own) get SIGKILL. Once the step itself is gone, its
 * orphans are no longer its descendants: only its group is left to kill (the post step stops its helm).
 */
async function killStep(child) {
  const groups = new Set([child.pid])
  if (child.exitCode === null && child.signalCode === null) {
    signal(-child.pid, 'SIGSTOP')
    const table = await processTable()
    const below = new Set([child.pid])
    // /proc lists parents before the children they started, except after pid wrap-around: repeat until stable.
    for (let size = -1; size !== below.size; ) {
      size = below.size
      for (const each of table) if (below.has(each.ppid)) below.add(each.pid)
    }
    // Never the test's own group, should a descendant have joined it.
    const own = table.find(each => each.pid === process.pid)?.pgrp
    for (const each of table) if (below.has(each.pid) && each.pgrp !== own) groups.add(each.pgrp)
  }
  for (const group of groups) signal(-group, 'SIGKILL')
  const deadline = Date.now() + 5000
  for (const group of groups) {
    while ((await groupMembers(group)).length) {
      if (Date.now() > deadline) throw new Error(`process group ${group} still runs after SIGKILL`)
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  }
}

/**
 * Kills every step of the action this process started and whose finish() has not returned, with what each
 * started; e2e tests run it after each test (jest-e2e-after-each.js), so a test that timed out leaves nothing
 * running. Returns how many steps there were.
 */
export async function stopStartedSteps() {
  const steps = [...unfinished]
  unfinished.clear()
  for (const stop of steps) await stop()
  return steps.length
}

/**
 * Process ids of the running processes whose command line mentions `text` (a registry's host:port, say):
 * found by what they do, not by any process group or state the action recorded.
 */
export async function processesMentioning(text) {
  const pids = []
  for (const entry of await readdir('/proc')) {
    if (!/^[0-9]+$/.test(entry) || Number(entry) === process.pid) continue
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]
    if (cmdline.replaceAll('\0', ' ').includes(text) && state !== 'Z') pids.push(Number(entry))
  }
  return pids
}

export { visible } from './secret-scan.js'

/**
 * The inputs the password scan looks for: the passwords, the signing passphrase, and each line of the signing
 * key that carries key material (the armor lines and headers are no secret).
 */
export function secretsOf(inputs) {
  const keyLines = (inputs['signing-key'] ?? '')
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line.length >= 16 && !line.startsWith('-----') && !line.startsWith('='))
  return [inputs.password, inputs['github-token'], inputs['signing-passphrase'], ...keyLines].filter(Boolean)
}

export const DEFAULT_GITHUB = {
  ref: 'refs/tags/v1.2.3',
  sha: '5114f85d3a8e6e1e7a5c2c3b1d0f9e8a7b6c5d4e',
  repository: 'SofaTutor/llm-proxy',
  repository_owner: 'SofaTutor',
  actor: 'release-bot',
  token: 'ghs_test-token-not-a-secret-of-anyones'
}

/**
 * Starts the main step and returns at once; `finish()` then waits for it, reads back what it left and runs
 * the post step with the state it saved, as the runner does after a step that ended, however it ended. Each step
 * runs in a process group of its own; one still unfinished when its test ends is killed (stopStartedSteps).
 * @param {object} options
 * @param {string} options.workspace  the checkout (GITHUB_WORKSPACE)
 * @param {string | null} options.helm  helm version whose binary is first on PATH; null for none
 * @param {Record<string, string>} [options.inputs]  the step's `with:`
 * @param {Record<string, string>} [options.github]  context for action.yml defaults
 * @param {Record<string, string>} [options.env]     extra environment
 * @param {string} [options.entry]    bundle to run (default: see bundleToRun)
 * @param {boolean} [options.detached]  no longer needed: every step runs in a process group of its own
 */
export async function startAction({ workspace, helm, inputs = {}, github = {}, env = {}, entry }) {
  const context = { ...DEFAULT_GITHUB, ...github }
  const runnerDir = await mkdtemp(path.join(os.tmpdir(), 'runner-'))
  const files = {
    GITHUB_OUTPUT: path.join(runnerDir, 'output'),
    GITHUB_STATE: path.join(runnerDir, 'state'),
    GITHUB_STEP_SUMMARY: path.join(runnerDir, 'summary')
  }
  for (const file of Object.values(files)) await writeFile(file, '')
  const home = path.join(runnerDir, 'home')
  const runnerTemp = path.join(runnerDir, 'temp')
  const toolCache = path.join(runnerDir, 'tool-cache')
  await mkdir(home)
  await mkdir(runnerTemp)
  const searchPath =
    env.PATH ??
    [helm === null ? undefined : helmDir(helm), path.dirname(node24()), '/usr/local/bin', '/usr/bin', '/bin']
      .filter(Boolean)
      .join(path.delimiter)
  // The password scan sees every helm command line, also on a PATH the test sets.
  const recorder = await helmArgvRecorder(runnerDir, searchPath)

  const withDefaults = { ...inputDefaults(context), ...inputs }
  const inputEnv = Object.fromEntries(
    Object.entries(withDefaults).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value])
  )
  const base = {
    HOME: home,
    // The machine's, as a runner passes it on: in a test run, the run's root (see test-root.js).
    TMPDIR: os.tmpdir(),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REF: context.ref,
    GITHUB_SHA: context.sha,
    GITHUB_REPOSITORY: context.repository,
    GITHUB_REPOSITORY_OWNER: context.repository_owner,
    GITHUB_ACTOR: context.actor,
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: toolCache,
    ...files,
    ...inputEnv,
    ...env,
    PATH: recorder ? [recorder.dir, searchPath].join(path.delimiter) : searchPath
  }
  const bundle = bundleToRun(entry)
  const main = execute(bundle, base, workspace)
  /** The post step, once started. */
  let postRun
  let stopped = false
  const stop = async () => {
    stopped = true
    await killStep(main.child)
    if (postRun) await killStep(postRun.child)
  }
  unfinished.add(stop)

  return {
    child: main.child,
    home,
    runnerTemp,
    /**
     * Kills what is left of the main step's process group (and, while the step runs, what it started) and waits
     * until nothing of it runs.
     */
    stopGroup: () => killStep(main.child),
    /** @param {{ post?: boolean }} [options]  run the post step too (default true) */
    async finish({ post = true } = {}) {
      const ended = await main.done
      // Killed because its test ended (timed out, say): what it left is no one's to read now.
      if (stopped) throw new Error('The step was killed at the end of its test.')
      const commands = [ended.stdout, ended.stderr].map(readWorkflowCommands)
      // The runner carries out set-output and save-state as they are printed, and reads the files when the
      // step ends: a value in a file wins.
      const outputs = {
        ...commands[0].outputs,
        ...commands[1].outputs,
        ...parseCommandFile(await readFile(files.GITHUB_OUTPUT, 'utf8'))
      }
      const state = {
        ...commands[0].state,
        ...commands[1].state,
        ...parseCommandFile(await readFile(files.GITHUB_STATE, 'utf8'))
      }
      const summary = await readFile(files.GITHUB_STEP_SUMMARY, 'utf8')

      let postStep
      if (post) {
        const stateEnv = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]))
        await writeFile(files.GITHUB_STATE, '')
        postRun = execute(bundle, { ...base, ...stateEnv }, workspace)
        postStep = await postRun.done
      }
      const texts = {
        stdout: ended.stdout,
        stderr: ended.stderr,
        'post stdout': postStep?.stdout ?? '',
        'post stderr': postStep?.stderr ?? '',
        summary,
        outputs: JSON.stringify(outputs),
        state: JSON.stringify(state),
        'helm argv': recorder ? await readFile(recorder.argvFile, 'utf8') : ''
      }
      await saveTranscript(runnerDir, secretsOf(withDefaults), texts)
      unfinished.delete(stop)
      return {
        ...ended,
        /** The workflow commands the runner would carry out, from stdout and from stderr. */
        commands,
        /** The same for the post step. */
        postCommands: postStep ? [postStep.stdout, postStep.stderr].map(readWorkflowCommands) : [],
        outputs,
        state,
        summary,
        post: postStep,
        home,
        runnerTemp,
        toolCache,
        /** Everything the run showed or left behind, for scanning. */
        everything: Object.values(texts).join('\n'),
        /** The run's helm homes (credentials, repositories) still on disk after both steps: should be none. */
        helmHomesLeft: (await readdir(runnerTemp))
          .map(dir => path.join(runnerTemp, dir, 'helm'))
          .filter(home => existsSync(home))
      }
    }
  }
}

/**
 * Runs the main step to its end, then (unless `post` is false) the post step; options as for startAction.
 * @param {Parameters<typeof startAction>[0] & { post?: boolean }} options
 */
export async function runAction({ post = true, ...options }) {
  return (await startAction(options)).finish({ post })
}

/**
 * Runs the action on a fresh workspace holding the example chart as `chart`, removed afterwards.
 * @param {{ helm: string, inputs: Record<string, string>, env?: Record<string, string> }} options
 */
export async function releaseExampleChart({ helm, inputs, env = {} }) {
  const workspace = await makeWorkspace({ chart: EXAMPLE_CHART })
  try {
    return await runAction({ workspace: workspace.dir, helm, env, inputs: { chart: 'chart', ...inputs } })
  } finally {
    await workspace.remove()
  }
}
