// A fault-injecting HTTP proxy on 127.0.0.1 in front of the test registry: requests pass through unchanged
// (Host kept, so the registry's upload Locations point back at the proxy) unless a fault rule matches.
// Started and stopped by the test.
import http from 'node:http'
import { performance } from 'node:perf_hooks'

/**
 * @typedef {object} Fault
 * @property {string} [method]   request method to match (any when absent)
 * @property {RegExp} [path]     request path to match (any when absent)
 * @property {number} [times]    how many matching requests get the fault (every one when absent)
 * @property {number} [status]   answer with this status instead of forwarding (503, 429, …)
 * @property {Record<string, string>} [headers]  headers of that answer (e.g. retry-after)
 * @property {boolean} [reset]   read part of the request body, then reset the connection (TCP RST)
 * @property {boolean} [stall]   never answer; the connection stays open until the proxy stops
 * @property {number} [seconds]  an outage: from the first matching request on, every request (whatever its method
 *                               and path) gets the fault for that many seconds; then requests pass through again
 * @property {boolean | number} [hold]  forward the request, then hold the registry's answer (only one with this
 *                               status, when a number) until release(): the registry has acted on the request and
 *                               the client has not heard back. With faulted('hold') a gate: the test waits until the
 *                               request got there, and decides when the run goes on; `times` counts the answers held
 * @property {string} [location]  forward, then point the answer's Location header at this host:port instead: a
 *                               registry that sends the blob upload to another origin
 */

/** @param {string} target host:port of the registry */
export async function startFaultProxy(target) {
  const [targetHost, targetPort] = target.split(':')
  /** @type {(Fault & { left: number })[]} */
  let faults = []
  /** Every request, with the fault it got: `PUT /v2/x/manifests/1.2.3 -> 503`. */
  const requests = []
  /**
   * The same, as `{ request, fault, at }`: `at` the milliseconds (performance.now()) at which the request arrived,
   * so that a test can measure the waits between requests.
   * @type {{ request: string, fault: string | undefined, at: number }[]}
   */
  const timeline = []
  /** Every request that carried an Authorization header, as `PUT /v2/x/blobs/uploads/…`. */
  const authorized = []
  /** How many requests got each fault since the rules were last replaced. */
  const counts = new Map()
  /** Resolvers waiting until `count` requests got `fault`. */
  let waiting = []
  /** Answers held back by a `hold` rule, each a function that sends it on. */
  let held = []
  const settleWaiting = () => {
    const reached = waiting.filter(waiter => (counts.get(waiter.fault) ?? 0) >= waiter.count)
    waiting = waiting.filter(waiter => !reached.includes(waiter))
    for (const waiter of reached) waiter.resolve()
  }
  const record = (line, fault, at) => {
    requests.push(fault ? `${line} -> ${fault}` : line)
    timeline.push({ request: line, fault, at })
    if (fault) counts.set(fault, (counts.get(fault) ?? 0) + 1)
    settleWaiting()
  }

  const matching = request => {
    const now = Date.now()
    const fault = faults.find(fault =>
      fault.until !== undefined
        ? now < fault.until
        : fault.left > 0 &&
          (!fault.method || fault.method === request.method) &&
          (!fault.path || fault.path.test(request.url))
    )
    if (fault?.seconds !== undefined) fault.until ??= now + fault.seconds * 1000
    return fault
  }

  const server = http.createServer((request, response) => {
    const at = performance.now()
    const fault = matching(request)
    const line = `${request.method} ${request.url}`
    if (request.headers.authorization) authorized.push(line)
    if (fault) {
      if (!fault.hold) fault.left--
      if (fault.status) {
        record(line, String(fault.status), at)
        request.resume()
        request.once('end', () => response.writeHead(fault.status, fault.headers ?? {}).end())
        return
      }
      if (fault.reset) {
        record(line, 'reset', at)
        // After the first body chunk, or at once for a request without a body: a reset mid-upload.
        const reset = () => request.socket.resetAndDestroy()
        if (request.headers['content-length'] === '0' || request.method === 'GET' || request.method === 'HEAD') reset()
        else request.once('data', reset)
        return
      }
      if (fault.stall) {
        record(line, 'stall', at)
        request.resume()
        return
      }
    }
    if (!fault?.hold) record(line, undefined, at)
    forward(request, response, fault, line, at)
  })

  const forward = (request, response, fault, line, at) => {
    const upstream = http.request(
      { host: targetHost, port: targetPort, method: request.method, path: request.url, headers: request.headers },
      reply => {
        const answer = () => {
          const headers = { ...reply.headers }
          if (fault?.location && headers.location) {
            const moved = new URL(headers.location, `http://${request.headers.host}`)
            moved.host = fault.location
            headers.location = moved.href
          }
          response.writeHead(reply.statusCode ?? 502, headers)
          reply.pipe(response)
        }
        const hold = fault?.hold && fault.left > 0 && (fault.hold === true || fault.hold === reply.statusCode)
        if (!hold) {
          if (fault?.hold) record(line, undefined, at)
          return answer()
        }
        fault.left--
        held.push(answer)
        record(line, 'hold', at)
      }
    )
    upstream.once('error', () => response.destroy())
    request.pipe(upstream)
  }
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))

  return {
    host: `127.0.0.1:${server.address().port}`,
    requests,
    timeline,
    authorized,
    /**
     * Replaces the fault rules and starts the records and counts afresh; the first rule that matches a request
     * and has uses left applies.
     */
    inject(...rules) {
      faults = rules.map(rule => ({ ...rule, left: rule.times ?? Infinity }))
      requests.length = 0
      timeline.length = 0
      authorized.length = 0
      counts.clear()
    },
    /**
     * Resolves once `count` requests (1 unless given) since the rules were replaced got the given fault (`stall`,
     * `reset`, `503`, `hold` once the registry answered, …): the test then acts mid-run. With `before`, the run
     * under way, it rejects as soon as the run ends first: a run that never gets there fails the test then and
     * there, saying what the proxy saw, rather than at jest's timeout.
     * @param {string} fault
     * @param {{ count?: number, before?: Promise<unknown> }} [options]
     */
    faulted(fault, { count = 1, before } = {}) {
      const reached = new Promise(resolve => {
        waiting.push({ fault, count, resolve })
        settleWaiting()
      })
      if (!before) return reached
      const ended = before.then(() => {
        const saw = requests.join('\n') || '(nothing)'
        throw new Error(`The run ended before ${count} request(s) got "${fault}"; the proxy saw:\n${saw}`)
      })
      return Promise.race([reached, ended])
    },
    /** Sends on every answer a `hold` rule held back. */
    release() {
      for (const answer of held) answer()
      held = []
    },
    stop() {
      server.closeAllConnections()
      return new Promise(resolve => server.close(resolve))
    }
  }
}
