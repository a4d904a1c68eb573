/**
 * The challenges of a 401's WWW-Authenticate header (RFC 9110 §11.6.1): which schemes the registry accepts and
 * their parameters. The header is the registry's, so untrusted: the parser takes the grammar as written, and a
 * header it cannot read is refused rather than guessed at.
 */
export interface Challenge {
  /** As the registry wrote it; compare with `isScheme`, schemes are case-insensitive. */
  scheme: string
  /** Parameter names lowercased (they are case-insensitive too), values unquoted. */
  params: Record<string, string>
  /** The token68 form (`Negotiate YIIB…`) instead of parameters. */
  token68?: string
}

export class MalformedChallengeError extends Error {
  constructor(reason: string) {
    super(`unreadable WWW-Authenticate header: ${reason}`)
    this.name = 'MalformedChallengeError'
  }
}

export function isScheme(challenge: Challenge, scheme: string): boolean {
  return challenge.scheme.toLowerCase() === scheme.toLowerCase()
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*/y
const BLANKS = /[ \t]*/y
/** Between list elements: commas with optional blanks, empty elements allowed (RFC 9110 §5.6.1). */
const SEPARATORS = /[ \t,]*/y

/**
 * Every challenge of one or more WWW-Authenticate header values (a response may send several headers, each a
 * comma-separated list of challenges). Throws MalformedChallengeError on anything outside the grammar.
 */
export function parseChallenges(headers: string | string[]): Challenge[] {
  return (Array.isArray(headers) ? headers : [headers]).flatMap(parseHeader)
}

function parseHeader(header: string): Challenge[] {
  let at = 0
  const read = (pattern: RegExp): string => {
    pattern.lastIndex = at
    const found = pattern.exec(header)?.[0] ?? ''
    at += found.length
    return found
  }
  const atEnd = () => at >= header.length
  const quoted = (): string => {
    let value = ''
    for (at++; at < header.length; at++) {
      const char = header[at]
      if (char === '"') {
        at++
        return value
      }
      if (char === '\\') at++
      if (at >= header.length) break
      // qdtext and quoted-pair exclude control characters other than tab.
      const code = header.charCodeAt(at)
      if ((code < 0x20 && code !== 0x09) || code === 0x7f) throw new MalformedChallengeError('a control character')
      value += header[at]
    }
    throw new MalformedChallengeError('an unterminated quoted string')
  }

  const challenges: Challenge[] = []
  for (;;) {
    read(SEPARATORS)
    if (atEnd()) return challenges
    const scheme = read(TOKEN)
    if (!scheme) throw new MalformedChallengeError(`no auth scheme at character ${at + 1}`)
    // No prototype: a parameter named __proto__ stays a parameter.
    const challenge: Challenge = { scheme, params: Object.create(null) as Record<string, string> }
    challenges.push(challenge)
    const blanks = read(BLANKS)
    if (atEnd() || header[at] === ',') continue
    if (!blanks) throw new MalformedChallengeError(`no blank after the scheme at character ${at + 1}`)

    // token68: one token of its alphabet, then the end or the next challenge. `realm=x` starts a parameter instead.
    const start = at
    const token68 = read(TOKEN68)
    read(BLANKS)
    if (token68 && (atEnd() || header[at] === ',')) {
      challenge.token68 = token68
      continue
    }
    at = start

    // auth-params: name BWS "=" BWS (token / quoted-string), comma-separated. A token after a comma that is not
    // followed by "=" is the scheme of the next challenge.
    for (let first = true; ; first = false) {
      const before = at
      if (!first) read(SEPARATORS)
      const name = read(TOKEN)
      read(BLANKS)
      if (!name || header[at] !== '=') {
        if (first) throw new MalformedChallengeError(`no parameter at character ${before + 1}`)
        at = before
        break
      }
      at++
      read(BLANKS)
      const value = header[at] === '"' ? quoted() : read(TOKEN)
      if (!value && header[at - 1] !== '"') throw new MalformedChallengeError(`no value for parameter ${name}`)
      // A repeated parameter is an error in the grammar's spirit; the first one counts, as in most clients.
      challenge.params[name.toLowerCase()] ??= value
      read(BLANKS)
      if (!atEnd() && header[at] !== ',') throw new MalformedChallengeError(`unexpected text at character ${at + 1}`)
      if (atEnd()) break
    }
  }
}
