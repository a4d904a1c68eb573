// A server of a few lines on 127.0.0.1 (TLS with `tls`) for the answers a real registry does not give, which
// records every request as `record` makes it; started and stopped by the test.
import http from 'node:http'
import https from 'node:https'

/**
 * @template T
 * @param {http.RequestListener} handler
 * @param {(request: http.IncomingMessage) => T} record
 * @param {https.ServerOptions} [tls]
 * @returns {Promise<{ host: string, requests: T[], stop(): Promise<void> }>}
 */
export async function startStub(handler, record, tls) {
  /** @type {T[]} */
  const requests = []
  /** @type {http.RequestListener} */
  const listener = (request, response) => {
    requests.push(record(request))
    handler(request, response)
  }
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener)
  await new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  return {
    host: `127.0.0.1:${address.port}`,
    requests,
    stop() {
      server.closeAllConnections()
      return new Promise(resolve => server.close(() => resolve()))
    }
  }
}
