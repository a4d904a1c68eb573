// A loopback stand-in for the few GitHub REST endpoints a release needs, laid out as GitHub Enterprise
// Server lays them out (API under /api/v3, uploads under /api/uploads), so that a client that ignored
// GITHUB_API_URL or the release's upload_url would miss it. It records every request; started and stopped
// by the test.
import { createHash } from 'node:crypto'
import http from 'node:http'

const API = '/api/v3'
const UPLOADS = '/api/uploads'

/**
 * @param {{ token: string, readOnly?: boolean, notes?: string }} options
 *   readOnly: every write answers 403 as GitHub does for a GITHUB_TOKEN without contents: write.
 */
export async function startGitHubApi({ token, readOnly = false, notes = "## What's Changed\n* Ship it by @dev\n" }) {
  const requests = []
  const releases = []
  let nextId = 1000
  let base = ''

  const routes = [
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/releases\/tags\/(.+)$/,
      (_body, [, , , tag]) => {
        const release = releases.find(candidate => candidate.tag_name === decodeURIComponent(tag))
        return release ? [200, release] : [404, { message: 'Not Found' }]
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
      (body, [, owner, repo]) => {
        if (releases.some(release => release.tag_name === body.tag_name)) {
          return [
            422,
            {
              message: 'Validation Failed',
              errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]
            }
          ]
        }
        const id = nextId++
        const release = {
          id,
          ...body,
          html_url: `${base}/${owner}/${repo}/releases/tag/${body.tag_name}`,
          upload_url: `${base}${UPLOADS}/repos/${owner}/${repo}/releases/${id}/assets{?name,label}`,
          assets: []
        }
        releases.push(release)
        return [201, release]
      }
    ],
    [
      'PATCH',
      /^\/repos\/([^/]+)\/([^/]+)\/releases\/(\d+)$/,
      (body, [, , , id]) => {
        const release = releases.find(candidate => candidate.id === Number(id))
        if (!release) return [404, { message: 'Not Found' }]
        Object.assign(release, body)
        return [200, release]
      }
    ],
    [
      'DELETE',
      /^\/repos\/([^/]+)\/([^/]+)\/releases\/assets\/(\d+)$/,
      (_body, [, , , id]) => {
        const release = releases.find(candidate => candidate.assets.some(asset => asset.id === Number(id)))
        if (!release) return [404, { message: 'Not Found' }]
        release.assets = release.assets.filter(asset => asset.id !== Number(id))
        return [204, undefined]
      }
    ]
  ]

  const upload = (request, bytes, match, query) => {
    const release = releases.find(candidate => candidate.id === Number(match[3]))
    if (!release) return [404, { message: 'Not Found' }]
    const name = query.get('name')
    if (release.assets.some(asset => asset.name === name)) {
      return [
        422,
        { message: 'Validation Failed', errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }] }
      ]
    }
    const asset = {
      id: nextId++,
      name,
      size: bytes.length,
      content_type: request.headers['content-type'],
      sha256: createHash('sha256').update(bytes).digest('hex')
    }
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
    requests.push({
      method: request.method,
      path: isUpload ? `uploads:${path}` : path,
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
      body: isUpload ? { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') } : json
    })

    const answer = (status, body) => {
      const text = body === undefined ? '' : JSON.stringify(body)
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(text)
    }
    if (!url.pathname.startsWith(`${API}/`) && !isUpload) return answer(404, { message: 'Not Found (wrong base URL)' })
    if (request.headers.authorization !== `token ${token}` && request.headers.authorization !== `Bearer ${token}`) {
      return answer(401, { message: 'Bad credentials' })
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
      if (method === request.method && match) return answer(...handle(json, match))
    }
    answer(404, { message: 'Not Found' })
  })

  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${server.address().port}`
  return {
    /** What GITHUB_API_URL is set to on GitHub Enterprise Server. */
    apiUrl: `${base}${API}`,
    requests,
    releases,
    stop: () => new Promise(resolve => server.close(resolve))
  }
}
