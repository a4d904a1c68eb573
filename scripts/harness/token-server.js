// A token server on 127.0.0.1 in front of the test registry, the way ghcr.io and Docker Hub put one in front of
// theirs (distribution's token authentication): the registry answers 401 with `Bearer realm=…,service=…,scope=…`,
// the client fetches a JWT here, the registry checks its signature against the certificate in its
// `rootcertbundle`. Started and stopped by startRegistry({ auth: 'token' }).
import { execFile } from 'node:child_process'
import { createSign, randomUUID, X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import { promisify } from 'node:util'

export const SERVICE = 'test-registry'
export const ISSUER = 'test-token-issuer'
const LIFETIME_SECONDS = 300

/**
 * An RSA key and a self-signed certificate for it, made by openssl in `dir` as `<name>-key.pem` and
 * `<name>-cert.pem`, valid for two days; `ip` adds it as the certificate's subjectAltName (for a TLS server).
 * @param {string} dir
 * @param {string} name
 * @param {{ subject: string, ip?: string }} options
 */
export async function selfSignedCertificate(dir, name, { subject, ip }) {
  const keyPath = path.join(dir, `${name}-key.pem`)
  const certPath = path.join(dir, `${name}-cert.pem`)
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-noenc', '-keyout', keyPath, '-out', certPath]
  args.push('-days', '2', '-subj', `/CN=${subject}`, ...(ip ? ['-addext', `subjectAltName=IP:${ip}`] : []))
  await promisify(execFile)('openssl', args)
  return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8'), certPath }
}

/**
 * The token signing key. distribution 2.8 takes the signing key from the token's `x5c` header and verifies that
 * certificate against its rootcertbundle (registry/auth/token/token.go): a self-signed certificate that is its
 * own root passes.
 */
async function makeSigningKey(dir) {
  const { key, cert, certPath } = await selfSignedCertificate(dir, 'token', { subject: ISSUER })
  return { key, certPath, x5c: new X509Certificate(cert).raw.toString('base64') }
}

/** `repository:team/chart:pull,push` → { type, name, actions }; a scope parameter may hold several, blank-separated. */
function parseScopes(values) {
  return values
    .flatMap(value => value.split(' '))
    .filter(Boolean)
    .map(scope => {
      const first = scope.indexOf(':')
      const last = scope.lastIndexOf(':')
      if (first < 0 || last === first) return undefined
      return {
        type: scope.slice(0, first),
        name: scope.slice(first + 1, last),
        actions: scope.slice(last + 1).split(',')
      }
    })
    .filter(Boolean)
}

/** The Basic credentials of a request: undefined without any, null when unreadable or not Basic. */
function basicCredentials(header) {
  if (!header) return undefined
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header)
  if (!match) return null
  const text = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = text.indexOf(':')
  return colon < 0 ? null : { username: text.slice(0, colon), password: text.slice(colon + 1) }
}

/**
 * @param {{ dir: string, username: string, password: string, publicNamespaces?: string[] }} options
 * The registry's username and password get every action asked for on everything; anonymous requests get `pull` on
 * repositories under `publicNamespaces` and nothing elsewhere (the registry then refuses the token, as ghcr.io
 * refuses anonymous reads of a private package). A wrong password gets 401, as from Docker Hub's token server.
 */
export async function startTokenServer({ dir, username, password, publicNamespaces = [] }) {
  const { key, certPath, x5c } = await makeSigningKey(dir)
  /**
   * Every token request, in order.
   * @type {{ method?: string, scopes: string[], authorization: boolean, account?: string,
   *   granted: { type: string, name: string, actions: string[] }[], status: number }[]}
   */
  const requests = []
  const state = {
    /** Which field carries the token: `token` and `access_token` (the default), or only one of them. */
    field: 'both'
  }

  const sign = claims => {
    const encode = value => Buffer.from(JSON.stringify(value)).toString('base64url')
    const unsigned = `${encode({ typ: 'JWT', alg: 'RS256', x5c: [x5c] })}.${encode(claims)}`
    return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`
  }

  const grant = (credentials, scopes) =>
    scopes.map(({ type, name, actions }) => {
      if (credentials) return { type, name, actions }
      const isPublic = type === 'repository' && publicNamespaces.some(namespace => name.startsWith(`${namespace}/`))
      return { type, name, actions: isPublic ? actions.filter(action => action === 'pull') : [] }
    })

  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://token.invalid')
    const credentials = basicCredentials(request.headers.authorization)
    const record = {
      method: request.method,
      scopes: url.searchParams.getAll('scope'),
      authorization: request.headers.authorization !== undefined,
      account: credentials?.username,
      granted: [],
      status: 200
    }
    requests.push(record)
    const answer = (status, body) => {
      record.status = status
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    }
    request.resume()
    if (request.method !== 'GET' || url.pathname !== '/token') {
      return answer(404, { errors: [{ code: 'NOT_FOUND', message: 'only GET /token here' }] })
    }
    if (
      credentials === null ||
      (credentials && (credentials.username !== username || credentials.password !== password))
    ) {
      return answer(401, { errors: [{ code: 'UNAUTHORIZED', message: 'incorrect username or password' }] })
    }
    record.granted = grant(credentials, parseScopes(record.scopes))
    const now = Math.floor(Date.now() / 1000)
    const token = sign({
      iss: ISSUER,
      sub: credentials?.username ?? '',
      aud: SERVICE,
      exp: now + LIFETIME_SECONDS,
      nbf: now,
      iat: now,
      jti: randomUUID(),
      access: record.granted
    })
    const fields = state.field === 'both' ? { token, access_token: token } : { [state.field]: token }
    answer(200, { ...fields, expires_in: LIFETIME_SECONDS, issued_at: new Date(now * 1000).toISOString() })
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))

  return {
    realm: `http://127.0.0.1:${server.address().port}/token`,
    service: SERVICE,
    issuer: ISSUER,
    certPath,
    requests,
    /** @param {'both' | 'token' | 'access_token'} field */
    answerWith(field) {
      state.field = field
    },
    stop() {
      server.closeAllConnections()
      return new Promise(resolve => server.close(resolve))
    }
  }
}
