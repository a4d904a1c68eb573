import { git } from '../git.js'
import { errorMessage } from '../text.js'

export interface TagHistory {
  tags: string[]
  shallow: boolean
}

/**
 * The workspace repository's tags and whether its history is shallow (actions/checkout fetches one commit
 * and only the pushed tag unless told otherwise). A workspace without git yields the reason instead.
 */
export async function readTagHistory(workspace: string): Promise<TagHistory | { error: string }> {
  try {
    const [shallow, tags] = await Promise.all([
      git(workspace, ['rev-parse', '--is-shallow-repository']),
      git(workspace, ['for-each-ref', '--format=%(refname:strip=2)', 'refs/tags'])
    ])
    return { shallow: shallow.trim() === 'true', tags: tags.split('\n').filter(Boolean) }
  } catch (error) {
    return { error: errorMessage(error) }
  }
}
