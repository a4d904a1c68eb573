// A loopback HTTP server for files a test made (a chart repository, helm release archives), recording
// every request; started and stopped by the test.
import { readFile } from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'

export async function serveDirectory(dir) {
  const requests = []
  const server = http.createServer(async (request, response) => {
    requests.push(request.url)
    const file = path.join(dir, path.normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)))
    if (!file.startsWith(dir)) return response.writeHead(403).end()
    try {
      const body = await readFile(file)
      response.writeHead(200, { 'content-length': body.length }).end(body)
    } catch {
      response.writeHead(404).end()
    }
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    stop: () => new Promise(resolve => server.close(resolve))
  }
}
