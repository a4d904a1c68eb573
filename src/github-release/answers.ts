/**
 * The shapes of GitHub's answers the GitHub Release step uses, checked before any field is read: octokit hands
 * on whatever came (a truncated body as its text, say), and an unchecked answer fails later as a TypeError
 * without the re-run advice. Small typed checks rather than a schema library: five shapes, a few fields each.
 */

type Fields = Record<string, unknown>

const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** What is wrong with `value`, or undefined when it has the fields as `kinds` names them. */
type Check = (value: unknown) => string | undefined

// Each kind by the words a message uses for it.
const TYPES = {
  'a number': (value: unknown) => typeof value === 'number',
  text: (value: unknown) => typeof value === 'string',
  'true or false': (value: unknown) => typeof value === 'boolean',
  'text or null': (value: unknown) => value === null || typeof value === 'string',
  absent: (value: unknown) => value === undefined
}
type Kind = keyof typeof TYPES

/** An object whose fields each have one of the kinds given; `lists` are arrays whose items pass their check. */
function shape(name: string, fields: Record<string, Kind[]>, lists: Record<string, Check> = {}): Check {
  return value => {
    if (!isFields(value)) return `${name} is ${typeof value === 'string' ? 'text, not JSON' : 'no JSON object'}`
    for (const [field, kinds] of Object.entries(fields)) {
      if (!kinds.some(kind => TYPES[kind](value[field]))) return `${field} of ${name} is not ${kinds.join(' or ')}`
    }
    for (const [field, check] of Object.entries(lists)) {
      const items = value[field]
      if (!Array.isArray(items)) return `${field} of ${name} is no list`
      const problem = items.map(check).find(Boolean)
      if (problem) return problem
    }
    return undefined
  }
}

const asset = shape('an asset', {
  id: ['a number'],
  name: ['text'],
  size: ['a number'],
  digest: ['text or null', 'absent']
})

const release = shape(
  'the release',
  {
    id: ['a number'],
    tag_name: ['text'],
    draft: ['true or false'],
    html_url: ['text'],
    upload_url: ['text'],
    name: ['text or null'],
    body: ['text or null', 'absent'],
    immutable: ['true or false', 'absent']
  },
  { assets: asset }
)

const releases: Check = value => {
  if (!Array.isArray(value))
    return `the list of releases is ${typeof value === 'string' ? 'text, not JSON' : 'no list'}`
  return value.map(release).find(Boolean)
}

const notes = shape('the generated notes', { body: ['text'] })

/** The answers used, by method and URL: the URL as octokit has it, a template or a page's full address. */
const ANSWERS: [string, RegExp, Check][] = [
  ['GET', /\/releases\/(tags\/[^/]+|\{release_id\}|\d+)$/, release],
  ['GET', /\/releases(\?.*)?$/, releases],
  ['POST', /\/releases\/generate-notes$/, notes],
  ['POST', /\/releases$/, release],
  ['PATCH', /\/releases\/(\{release_id\}|\d+)$/, release],
  // An upload goes to the release's upload_url, `…/assets{?name,label}`.
  ['POST', /\/assets(\{\?name,label\})?$/, asset]
]

/** What is wrong with GitHub's answer to a request, or undefined when it is fine or not one the step reads. */
export function answerProblem(method: string, url: string, data: unknown): string | undefined {
  const found = ANSWERS.find(([verb, pattern]) => verb === method && pattern.test(url))
  return found?.[2](data)
}
