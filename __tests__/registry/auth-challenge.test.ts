import { describe, expect, test } from '@jest/globals'
import { MalformedChallengeError, parseChallenges, type Challenge } from '../../src/registry/auth-challenge.js'

const bearer = (params: Record<string, string>): Challenge => ({ scheme: 'Bearer', params })

describe('parseChallenges', () => {
  test.each<[string, string | string[], Challenge[]]>([
    [
      'ghcr.io',
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:sofatutor/llm-proxy:pull"',
      [bearer({ realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:sofatutor/llm-proxy:pull' })]
    ],
    [
      'a comma inside a quoted scope',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull,push"',
      [
        bearer({
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:a/b:pull,push'
        })
      ]
    ],
    [
      'distribution refusing a token without the scope',
      'Bearer realm="http://127.0.0.1:1/token",service="test",scope="repository:x:pull",error="insufficient_scope"',
      [
        bearer({
          realm: 'http://127.0.0.1:1/token',
          service: 'test',
          scope: 'repository:x:pull',
          error: 'insufficient_scope'
        })
      ]
    ],
    ['Basic', 'Basic realm="Registry Realm"', [{ scheme: 'Basic', params: { realm: 'Registry Realm' } }]],
    ['a scheme alone', 'Negotiate', [{ scheme: 'Negotiate', params: {} }]],
    [
      'token68',
      'Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXag==',
      [{ scheme: 'Negotiate', params: {}, token68: 'YIIBhgYGKwYBBQUCoIIBejCCAXag==' }]
    ],
    [
      'several challenges in one header, parameters of the last with commas',
      'Negotiate, Basic realm="b", Bearer realm="https://r/t",scope="repository:a:pull,push"',
      [
        { scheme: 'Negotiate', params: {} },
        { scheme: 'Basic', params: { realm: 'b' } },
        bearer({ realm: 'https://r/t', scope: 'repository:a:pull,push' })
      ]
    ],
    [
      'several headers',
      ['Negotiate abc=', 'Basic realm="b"'],
      [
        { scheme: 'Negotiate', params: {}, token68: 'abc=' },
        { scheme: 'Basic', params: { realm: 'b' } }
      ]
    ],
    [
      'blanks around "=", unquoted values, names in any case, empty list elements',
      ', bearer  Realm = "https://r/t" ,, Service=svc ,',
      [{ scheme: 'bearer', params: { realm: 'https://r/t', service: 'svc' } }]
    ],
    [
      'escapes in a quoted string',
      String.raw`Basic realm="a \"quoted\" realm \\ end"`,
      [{ scheme: 'Basic', params: { realm: String.raw`a "quoted" realm \ end` } }]
    ],
    ['an empty quoted value', 'Bearer realm="",service=x', [bearer({ realm: '', service: 'x' })]],
    ['the first of a repeated parameter', 'Bearer realm="a",realm="b"', [bearer({ realm: 'a' })]],
    ['nothing', '', []]
  ])('%s', (_name, header, challenges) => {
    expect(parseChallenges(header)).toEqual(challenges)
  })

  test('a parameter named __proto__ stays a parameter', () => {
    const [challenge] = parseChallenges('Bearer __proto__="x",realm="r"')
    expect(Object.entries(challenge.params)).toEqual([
      ['__proto__', 'x'],
      ['realm', 'r']
    ])
    expect(challenge.params.realm).toBe('r')
  })

  test.each([
    ['an unterminated quoted string', 'Bearer realm="https://r/t'],
    ['text after a value', 'Bearer realm="r" service="s"'],
    ['an unquoted value with a blank', 'Basic realm=a b'],
    ['a line break inside a quoted value', 'Bearer realm="a\nb"'],
    ['a parameter without a scheme', '=realm'],
    ['a parameter without a value', 'Bearer realm=,service=s'],
    ['a scheme glued to a parameter', 'Bearer,realm="r"'],
    ['a stray quote', 'Bearer "realm"']
  ])('refuses %s', (_name, header) => {
    expect(() => parseChallenges(header)).toThrow(MalformedChallengeError)
  })
})
