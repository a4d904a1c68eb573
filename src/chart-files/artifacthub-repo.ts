import path from 'node:path'
import { isMap, isScalar, isSeq, type Document, type YAMLMap } from 'yaml'
import { show } from '../text.js'
import { readChartText } from './read-text.js'
import { parseMapping } from './yaml-splice.js'

/** Artifact Hub's repository metadata, beside Chart.yaml; pushed to the chart's repository under ARTIFACTHUB_TAG. */
export const ARTIFACTHUB_REPO_FILE = 'artifacthub-repo.yml'

/** The file as the release pushes it: its bytes, unchanged, once they are known to be what Artifact Hub reads. */
export interface ArtifactHubRepo {
  file: string
  bytes: Buffer
}

const SHAPE = 'repositoryID, owners, ignore'
const DOCS = 'https://artifacthub.io/docs/topics/repositories/helm-charts/'
/** Artifact Hub gives every repository a UUID; a repositoryID of another form can never match it. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const isAbsent = (node: unknown) => node === undefined || node === null || (isScalar(node) && node.value === null)

/** A field that must be text when it is there: `required` makes an absent or empty one an error too. */
function checkText(node: unknown, where: string, required: boolean): string | undefined {
  if (isAbsent(node)) {
    if (required) throw new Error(`${where} is missing.`)
    return undefined
  }
  if (!isScalar(node) || typeof node.value !== 'string') throw new Error(`${where} must be text.`)
  if (required && node.value === '') throw new Error(`${where} is empty.`)
  return node.value
}

/** A list of mappings, each checked by `entry`; absent is fine. */
function checkList(doc: Document.Parsed, key: string, fields: string, entry: (item: YAMLMap, where: string) => void) {
  const node = doc.get(key, true)
  if (isAbsent(node)) return
  if (!isSeq(node)) throw new Error(`${key} must be a list of mappings with ${fields}.`)
  node.items.forEach((item, index) => {
    const where = `${key}[${index}]`
    if (!isMap(item)) throw new Error(`${where} must be a mapping with ${fields}.`)
    entry(item, where)
  })
}

/**
 * Refuses what Artifact Hub would not read as its repository metadata (see DOCS): `repositoryID` a UUID, `owners`
 * a list of { name, email } with an email, `ignore` a list of { name, version } with a name. Other keys are left
 * alone, as Artifact Hub leaves them.
 */
export function checkArtifactHubRepo(text: string, file: string): void {
  const doc = parseMapping(text, file, SHAPE)
  try {
    const id = checkText(doc.get('repositoryID', true), 'repositoryID', false)
    if (id !== undefined && !UUID.test(id)) {
      throw new Error(
        `repositoryID is ${show(id)}, not the UUID Artifact Hub gives a repository. Copy it from the repository's ` +
          'settings in Artifact Hub'
      )
    }
    checkList(doc, 'owners', 'name and email', (item, where) => {
      checkText(item.get('name', true), `${where}.name`, false)
      checkText(item.get('email', true), `${where}.email`, true)
    })
    checkList(doc, 'ignore', 'name and version', (item, where) => {
      checkText(item.get('name', true), `${where}.name`, true)
      checkText(item.get('version', true), `${where}.version`, false)
    })
  } catch (error) {
    throw new Error(
      `${file}: ${(error as Error).message.replace(/\.$/, '')}. Artifact Hub reads it as its repository metadata ` +
        `(${SHAPE}; see ${DOCS}).`
    )
  }
}

/**
 * The chart's Artifact Hub metadata, read as helm reads a chart file (at most 5 MiB, UTF-8: the bytes pushed are
 * the file's) and checked; undefined when the chart has none. The chart directory was walked for links that lead
 * out of the workspace before this runs (charts/containment.ts), so the file is the repository's.
 */
export async function readArtifactHubRepo(chartDir: string): Promise<ArtifactHubRepo | undefined> {
  const file = path.join(chartDir, ARTIFACTHUB_REPO_FILE)
  let text: string
  try {
    text = await readChartText(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  checkArtifactHubRepo(text, file)
  // Strict UTF-8 decoding that keeps a byte-order mark encodes back to the very bytes read.
  return { file, bytes: Buffer.from(text, 'utf8') }
}
