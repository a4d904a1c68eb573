import type { Chart } from './chart.js'
import { fileDependencyPath } from './containment.js'

/** Names of the given charts that `chart` depends on through file://, by resolving each path. */
export function inRepoDependencies(chart: Chart, charts: Chart[]): string[] {
  return chart.meta.dependencies
    .filter(dep => dep.repository.startsWith('file://'))
    .map(dep => charts.find(other => other.dir === fileDependencyPath(chart.file, dep)))
    .filter((other): other is Chart => other !== undefined)
    .map(other => other.meta.name)
}

function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>()
  const trail: string[] = []
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined
    if (state.get(name) === 'open') return [...trail.slice(trail.indexOf(name)), name]
    state.set(name, 'open')
    trail.push(name)
    for (const next of edges.get(name) ?? []) {
      const cycle = visit(next)
      if (cycle) return cycle
    }
    trail.pop()
    state.set(name, 'done')
    return undefined
  }
  for (const name of edges.keys()) {
    const cycle = visit(name)
    if (cycle) return cycle
  }
  return undefined
}

/**
 * Orders chart names so that every chart comes after the charts it depends on; among charts that are free to
 * go, the input order is kept. A cycle is an error that names it.
 */
export function dependencyOrder(edges: Map<string, string[]>): string[] {
  const cycle = findCycle(edges)
  if (cycle)
    throw new Error(`The charts depend on each other in a cycle: ${cycle.join(' → ')}. Break it in Chart.yaml.`)
  const order: string[] = []
  const placed = new Set<string>()
  while (order.length < edges.size) {
    for (const [name, dependsOn] of edges) {
      if (!placed.has(name) && dependsOn.every(dep => placed.has(dep) || !edges.has(dep))) {
        order.push(name)
        placed.add(name)
        break
      }
    }
  }
  return order
}
