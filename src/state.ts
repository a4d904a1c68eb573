/** Names of what the main step leaves for the post step; the runner hands them back as STATE_<name>. */
export const STATE = {
  isPost: 'isPost',
  helmHome: 'helm-home',
  /** Process groups of the helm commands still running, space-separated. */
  helmGroups: 'helm-groups'
} as const

/** What core.getState returns, read without loading @actions/core: the post step often has nothing to do. */
export function stateOf(name: string): string {
  return process.env[`STATE_${name}`] ?? ''
}
