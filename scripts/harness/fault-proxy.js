// A fault-injecting HTTP proxy on 127.0.0.1 in front of the test registry: requests pass through unchanged
// (Host kept, so the registry's upload Locations point back at the proxy) unless a fault rule matches.
// Started and stopped by the test.
import http from 'node:http'

/**
 * @typedef {object} Fault
 * @property {string} [method]   request method to match (any when absent)
 * @property {RegExp} [path]     request path to match (any when absent)
 * @property {number} [times]    how many matching requests get the fault (every one when absent)
 * @property {number} [status]   answer with this status instead of forwarding (503, 429, …)
 * @property {Record<string, string>} [headers]  headers of that answer (e.g. retry-after)
 * @property {boolean} [reset]   read part of the request body, then reset the connection (TCP RST)
 * @property {boolean} [stall]   never answer; the connection stays open until the proxy stops
 * @property {number} [delay]    forward, but only after this many milliseconds (a slow registry)
 * @property {[string, string]} [rewrite]  forward with the first string in the path replaced by the second
 *                                          (another tag: a registry that serves something else than was pushed)
 */

/** @param {string} target host:port of the registry */
export async function startFaultProxy(target) {
  const [targetHost, targetPort] = target.split(':')
  /** @type {(Fault & { left: number })[]} */
  let faults = []
  /** Every request, with the fault it got: `PUT /v2/x/manifests/1.2.3 -> 503`. */
  const requests = []
  /** Resolvers waiting for the next request that gets a given fault. */
  let waiting = []
  const record = (line, fault) => {
    requests.push(fault ? `${line} -> ${fault}` : line)
    for (const waiter of waiting.filter(waiter => waiter.fault === fault)) waiter.resolve()
    waiting = waiting.filter(waiter => waiter.fault !== fault)
  }

  const matching = request =>
    faults.find(
      fault =>
        fault.left > 0 &&
        (!fault.method || fault.method === request.method) &&
        (!fault.path || fault.path.test(request.url))
    )

  const server = http.createServer((request, response) => {
    const fault = matching(request)
    const line = `${request.method} ${request.url}`
    if (fault) {
      fault.left--
      if (fault.status) {
        record(line, String(fault.status))
        request.resume()
        request.once('end', () => response.writeHead(fault.status, fault.headers ?? {}).end())
        return
      }
      if (fault.reset) {
        record(line, 'reset')
        // After the first body chunk, or at once for a request without a body: a reset mid-upload.
        const reset = () => request.socket.resetAndDestroy()
        if (request.headers['content-length'] === '0' || request.method === 'GET' || request.method === 'HEAD') reset()
        else request.once('data', reset)
        return
      }
      if (fault.stall) {
        record(line, 'stall')
        request.resume()
        return
      }
    }
    const forwardPath = fault?.rewrite ? request.url.replace(...fault.rewrite) : request.url
    record(line, fault?.delay ? `delay ${fault.delay}` : forwardPath === request.url ? undefined : forwardPath)
    if (!fault?.delay) return forward(request, response, forwardPath)
    request.pause()
    setTimeout(() => forward(request, response, forwardPath), fault.delay)
  })

  const forward = (request, response, forwardPath) => {
    const upstream = http.request(
      { host: targetHost, port: targetPort, method: request.method, path: forwardPath, headers: request.headers },
      reply => {
        response.writeHead(reply.statusCode ?? 502, reply.headers)
        reply.pipe(response)
      }
    )
    upstream.once('error', () => response.destroy())
    request.pipe(upstream)
  }
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))

  return {
    host: `127.0.0.1:${server.address().port}`,
    requests,
    /** Replaces the fault rules; the first rule that matches a request and has uses left applies. */
    inject(...rules) {
      faults = rules.map(rule => ({ ...rule, left: rule.times ?? Infinity }))
      requests.length = 0
    },
    /** Resolves when a request gets the given fault (`stall`, `reset`, `503`, …): the test then acts mid-run. */
    faulted(fault) {
      return new Promise(resolve => waiting.push({ fault, resolve }))
    },
    stop() {
      server.closeAllConnections()
      return new Promise(resolve => server.close(resolve))
    }
  }
}
