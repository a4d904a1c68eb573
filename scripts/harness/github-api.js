// A loopback stand-in for the few GitHub REST endpoints a release needs, laid out as GitHub Enterprise
// Server lays them out (API under /api/v3, uploads under /api/uploads), so that a client that ignored
// GITHUB_API_URL or the release's upload_url would miss it. It records every request; started and stopped
// by the test. It behaves as GitHub does where the action depends on it: a release by tag is never a draft,
// the list holds drafts and pages with a Link header, a draft's URL names no tag until it is published, an
// asset name is unique within its release, and an immutable release refuses every change to its assets.
import { createHash, randomBytes } from 'node:crypto'
import http from 'node:http'
import { clearInterval, setInterval } from 'node:timers'

const API = '/api/v3'
const UPLOADS = '/api/uploads'

/**
 * @typedef {{ id: number, name: string, label: string, state: string, content_type: string, size: number,
 *   digest: string }} Asset
 * @typedef {{ id: number, tag_name: string, target_commitish: string, name: string | null, body: string | null,
 *   draft: boolean, prerelease: boolean, immutable: boolean, published_at: string | null, html_url: string,
 *   upload_url: string, assets: Asset[] }} Release
 */

const sha256 = bytes => createHash('sha256').update(bytes).digest('hex')
const validation = (resource, field) => ({
  message: 'Validation Failed',
  errors: [{ resource, code: 'already_exists', field }]
})

/**
 * @param {{ token: string, readOnly?: boolean, immutable?: boolean, notes?: string, repository?: string }} options
 *   readOnly: every write answers 403 as GitHub does for a GITHUB_TOKEN without contents: write.
 *   immutable: the repository has immutable releases on: a release is sealed the moment it is published.
 */
export async function startGitHubApi({
  token,
  readOnly = false,
  immutable = false,
  notes = "## What's Changed\n* Ship it by @dev\n",
  repository = 'sofatutor/llm-proxy'
}) {
  const requests = []
  // In the order they were created; GitHub lists them newest first.
  const releases = []
  const failures = []
  // Answers given whole but slowly (drip) or cut short (truncate); see drip() and truncate() below.
  const shapings = []
  const state = { latest: undefined }
  let nextId = 1000
  let base = ''

  const htmlUrl = release => `${base}/${repository}/releases/tag/${release.draft ? release.untagged : release.tag_name}`
  // The fields GitHub answers with; `untagged` is the draft's URL name, which GitHub keeps to itself.
  /** @returns {Release} */
  const view = ({ untagged, ...release }) => ({
    ...release,
    assets: release.assets.map(asset => ({ ...asset })),
    html_url: htmlUrl({ untagged, ...release })
  })
  const publishedWithTag = tag => releases.find(release => !release.draft && release.tag_name === tag)

  // make_latest is no field of a release: GitHub marks one release of the repository as the latest.
  const apply = (release, { make_latest: makeLatest, ...fields }) => {
    const publishing = release.draft && fields.draft === false
    Object.assign(release, fields)
    if (publishing) {
      release.published_at = new Date().toISOString()
      release.immutable = immutable
    }
    if (!release.draft && makeLatest !== 'false') state.latest = release.tag_name
  }

  const newRelease = fields => {
    const id = nextId++
    const release = {
      id,
      tag_name: fields.tag_name,
      target_commitish: fields.target_commitish ?? 'main',
      name: fields.name ?? null,
      body: fields.body ?? null,
      draft: true,
      prerelease: false,
      immutable: false,
      published_at: null,
      upload_url: `${base}${UPLOADS}/repos/${repository}/releases/${id}/assets{?name,label}`,
      assets: [],
      untagged: `untagged-${randomBytes(10).toString('hex')}`
    }
    releases.push(release)
    apply(release, { draft: false, ...fields })
    return release
  }

  const newAsset = (name, bytes, contentType) => ({
    id: nextId++,
    name,
    label: '',
    state: 'uploaded',
    content_type: contentType,
    size: bytes.length,
    digest: `sha256:${sha256(bytes)}`
  })

  const findAsset = id => {
    const release = releases.find(candidate => candidate.assets.some(asset => asset.id === Number(id)))
    return release && { release, asset: release.assets.find(asset => asset.id === Number(id)) }
  }

  // GitHub answers these with 422 once a release is immutable; the upload's message is GitHub's, the delete's
  // and rename's are worded alike.
  const sealed = (release, what) =>
    release.immutable ? [422, { message: `Cannot ${what} an immutable release` }] : undefined

  const routes = [
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/releases\/tags\/(.+)$/,
      (_body, [, , , tag]) => {
        const release = publishedWithTag(decodeURIComponent(tag))
        return release ? [200, view(release)] : [404, { message: 'Not Found' }]
      }
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/releases$/,
      (_body, match, query) => {
        const perPage = Math.min(Number(query.get('per_page') ?? 30), 100)
        const page = Number(query.get('page') ?? 1)
        const newestFirst = [...releases].reverse()
        const last = Math.max(1, Math.ceil(newestFirst.length / perPage))
        const link = n => `<${base}${API}${match[0]}?per_page=${perPage}&page=${n}>`
        const links = [...(page < last ? [`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`] : [])]
        const items = newestFirst.slice((page - 1) * perPage, page * perPage).map(view)
        return [200, items, links.length ? { link: links.join(', ') } : {}]
      }
    ],
    [
      'POST',
      /^\/repos\/([^/]+)\/([^/]+)\/releases\/generate-notes$/,
      body => [200, { name: body.tag_name, body: notes }]
    ],
    [
      'POST',
      /^\/repos\/([^/]+)\/([^/]+)\/releases$/,
      body => {
        if (!body.draft && publishedWithTag(body.tag_name)) return [422, validation('Release', 'tag_name')]
        return [201, view(newRelease(body))]
      }
    ],
    [
      'PATCH',
      /^\/repos\/([^/]+)\/([^/]+)\/releases\/(\d+)$/,
      (body, [, , , id]) => {
        const release = releases.find(candidate => candidate.id === Number(id))
        if (!release) return [404, { message: 'Not Found' }]
        const other = publishedWithTag(body.tag_name ?? release.tag_name)
        if (release.draft && body.draft === false && other && other !== release) {
          return [422, validation('Release', 'tag_name')]
        }
        apply(release, body)
        return [200, view(release)]
      }
    ],
    [
      'PATCH',
      /^\/repos\/([^/]+)\/([^/]+)\/releases\/assets\/(\d+)$/,
      (body, [, , , id]) => {
        const found = findAsset(id)
        if (!found) return [404, { message: 'Not Found' }]
        const refused = sealed(found.release, 'modify assets of')
        if (refused) return refused
        if (found.release.assets.some(asset => asset.name === body.name && asset !== found.asset)) {
          return [422, validation('ReleaseAsset', 'name')]
        }
        Object.assign(found.asset, body.name === undefined ? {} : { name: body.name })
        return [200, found.asset]
      }
    ],
    [
      'DELETE',
      /^\/repos\/([^/]+)\/([^/]+)\/releases\/assets\/(\d+)$/,
      (_body, [, , , id]) => {
        const found = findAsset(id)
        if (!found) return [404, { message: 'Not Found' }]
        const refused = sealed(found.release, 'delete assets of')
        if (refused) return refused
        found.release.assets = found.release.assets.filter(asset => asset !== found.asset)
        return [204, undefined]
      }
    ]
  ]

  const upload = (request, bytes, match, query) => {
    const release = releases.find(candidate => candidate.id === Number(match[3]))
    if (!release) return [404, { message: 'Not Found' }]
    const refused = sealed(release, 'upload assets to')
    if (refused) return refused
    const name = query.get('name')
    if (release.assets.some(asset => asset.name === name)) return [422, validation('ReleaseAsset', 'name')]
    const asset = newAsset(name, bytes, request.headers['content-type'])
    release.assets.push(asset)
    return [201, asset]
  }

  const server = http.createServer(async (request, response) => {
    const chunks = []
    for await (const chunk of request) chunks.push(chunk)
    const bytes = Buffer.concat(chunks)
    const url = new URL(request.url, 'http://x')
    const isUpload = url.pathname.startsWith(`${UPLOADS}/`)
    const path = url.pathname.replace(isUpload ? UPLOADS : API, '')
    const json = !isUpload && bytes.length ? JSON.parse(bytes.toString('utf8')) : undefined
    const recorded = {
      method: request.method,
      path: isUpload ? `uploads:${path}` : path,
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
      body: isUpload ? { bytes: bytes.length, sha256: sha256(bytes) } : json
    }
    requests.push(recorded)

    const shaping = shapings.find(
      candidate =>
        candidate.times > 0 &&
        candidate.method === request.method &&
        (candidate.path instanceof RegExp ? candidate.path.test(recorded.path) : candidate.path === recorded.path)
    )
    if (shaping) shaping.times--
    const answer = (status, body, headers = {}) => {
      const text = body === undefined ? '' : JSON.stringify(body)
      if (!shaping || !text) {
        response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(text)
        return
      }
      const whole = Buffer.from(text)
      const bytes = shaping.kind === 'truncate' ? whole.subarray(0, Math.floor(whole.length / 2)) : whole
      response.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': bytes.length,
        ...headers
      })
      if (shaping.kind === 'truncate') {
        response.end(bytes)
        return
      }
      let sent = 0
      const timer = setInterval(() => {
        response.write(bytes.subarray(sent, ++sent))
        if (sent === bytes.length) {
          clearInterval(timer)
          response.end()
        }
      }, shaping.intervalMs)
      response.once('close', () => clearInterval(timer))
    }
    if (!url.pathname.startsWith(`${API}/`) && !isUpload) return answer(404, { message: 'Not Found (wrong base URL)' })
    if (request.headers.authorization !== `token ${token}` && request.headers.authorization !== `Bearer ${token}`) {
      return answer(401, { message: 'Bad credentials' })
    }
    const failure = failures.find(
      candidate =>
        candidate.times > 0 &&
        candidate.method === request.method &&
        (candidate.path instanceof RegExp ? candidate.path.test(recorded.path) : candidate.path === recorded.path)
    )
    if (failure) {
      failure.times--
      return answer(failure.status, failure.body, failure.headers)
    }
    if (readOnly && request.method !== 'GET') {
      return answer(403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/releases/releases#create-a-release'
      })
    }
    if (isUpload) {
      const match = /^\/repos\/([^/]+)\/([^/]+)\/releases\/(\d+)\/assets$/.exec(path)
      if (request.method !== 'POST' || !match) return answer(404, { message: 'Not Found' })
      return answer(...upload(request, bytes, match, url.searchParams))
    }
    for (const [method, pattern, handle] of routes) {
      const match = pattern.exec(path)
      if (method === request.method && match) return answer(...handle(json, match, url.searchParams))
    }
    answer(404, { message: 'Not Found' })
  })

  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${server.address().port}`
  return {
    /** What GITHUB_API_URL is set to on GitHub Enterprise Server. */
    apiUrl: `${base}${API}`,
    requests,
    /** The releases as GitHub would answer with them, in the order they were created. */
    get releases() {
      return releases.map(view)
    },
    /** The tag of the release GitHub shows as the latest. */
    get latest() {
      return state.latest
    },
    /**
     * The next `times` requests of `method` to `path` (as recorded: `uploads:/repos/…` for an upload; a string
     * or a RegExp) are answered with `status`, `body` (JSON; undefined for none) and `headers`, nothing done.
     */
    fail({ method, path, status, times = 1, body = { message: http.STATUS_CODES[status] }, headers = {} }) {
      failures.push({ method, path, status, times, body, headers })
    },
    /**
     * The next `times` requests of `method` to `path` (as for fail()) get their answer, and what they ask is done,
     * but the answer's headers come at once and its body one byte every `intervalMs`: a GitHub that never
     * quite stops answering. The dripping stops when the client goes.
     */
    drip({ method, path, times = 1, intervalMs = 2000 }) {
      shapings.push({ kind: 'drip', method, path, times, intervalMs })
    },
    /**
     * The next `times` requests of `method` to `path` get the first half of their JSON answer as the whole of it
     * (its content-length says so): JSON cut short, as a broken proxy passes it on. What they ask is done.
     */
    truncate({ method, path, times = 1 }) {
      shapings.push({ kind: 'truncate', method, path, times })
    },
    /**
     * A release made beforehand, as a person or an earlier run made it: `assets` as `{ name, bytes }`. A
     * published one is sealed when the repository has immutable releases on.
     * @param {Partial<Omit<Release, 'assets'>> & { tag_name: string, assets?: { name: string, bytes: Buffer }[] }} fields
     */
    addRelease({ assets = [], ...fields }) {
      const release = newRelease({ draft: false, ...fields })
      release.assets = assets.map(({ name, bytes }) => newAsset(name, bytes, 'application/gzip'))
      return view(release)
    },
    stop: () => new Promise(resolve => server.close(resolve))
  }
}
