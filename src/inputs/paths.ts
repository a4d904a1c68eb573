import { realpathSync } from 'node:fs'
import path from 'node:path'
import { show } from '../text.js'

/** Whether the real path `target` is `root` or lies below it (a directory named `..chart` does). */
export function isWithin(root: string, target: string): boolean {
  const relative = path.relative(root, target)
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative)
}

/**
 * Resolves a path input against `base` and refuses anything that leaves the workspace (`../..`, an absolute
 * path elsewhere, a symlink out): the action rewrites files there, so it must stay in the checkout.
 */
function resolveInside(
  workspace: string,
  base: string,
  [input, given]: [string, string],
  kind: 'directory' | 'file',
  fix: string
): string {
  const root = realpathSync(workspace)
  const wanted = path.resolve(base, given)
  let real: string
  try {
    real = realpathSync(wanted)
  } catch {
    throw new Error(`Input ${input} ${show(given)}: ${kind} ${wanted} does not exist. ${fix}`)
  }
  if (!isWithin(root, real)) {
    throw new Error(
      `Input ${input} ${show(given)} resolves to ${real}, outside the workspace ${root}. Give a path inside the repository.`
    )
  }
  return real
}

export function resolveChartDir(workspace: string, chart: string, inputName = 'chart'): string {
  return resolveInside(
    workspace,
    workspace,
    [inputName, chart],
    'directory',
    'Point it at the directory that holds Chart.yaml.'
  )
}

/** values-file is relative to the chart, like the values.yaml helm reads. */
export function resolveValuesFile(workspace: string, chartDir: string, file: string): string {
  const fix = 'Give the values file relative to the chart directory.'
  return resolveInside(workspace, chartDir, ['values-file', file], 'file', fix)
}
