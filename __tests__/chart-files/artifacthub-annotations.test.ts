import { describe, expect, test } from '@jest/globals'
import { parse } from 'yaml'
import { artifactHubAnnotations, type ArtifactHubFacts } from '../../src/chart-files/artifacthub-annotations.js'

const FPR = '8E2F0AC2A2B4C6D8E0F1A3B5C7D9E1F3A5B7C9D1'
const none: ArtifactHubFacts = { changes: [], prerelease: false }
const changes: ArtifactHubFacts['changes'] = [
  {
    kind: 'added',
    description: 'Admin ingress (#120).',
    links: [{ name: '#120', url: 'https://github.com/o/r/pull/120' }]
  },
  { kind: 'fixed', description: 'key: value # not a comment' }
]

describe('artifactHubAnnotations', () => {
  test.each<[string, ArtifactHubFacts, [string, string][]]>([
    ['nothing known: none, not even prerelease "false"', none, []],
    [
      'changes: a YAML list in the value, links kept',
      { ...none, changes },
      [
        [
          'artifacthub.io/changes',
          '- kind: added\n  description: Admin ingress (#120).\n  links:\n    - name: "#120"\n' +
            '      url: https://github.com/o/r/pull/120\n- kind: fixed\n  description: "key: value # not a comment"\n'
        ]
      ]
    ],
    [
      'an image: named by its last path part, at the tag the chart deploys',
      { ...none, image: { name: 'ghcr.io/sofatutor/llm-proxy', tag: 'v1.2.3' } },
      [['artifacthub.io/images', '- name: llm-proxy\n  image: ghcr.io/sofatutor/llm-proxy:v1.2.3\n']]
    ],
    ['a prerelease', { ...none, prerelease: true }, [['artifacthub.io/prerelease', 'true']]],
    [
      'a signing key without a URL',
      { ...none, signKey: { fingerprint: FPR, url: '' } },
      [['artifacthub.io/signKey', `fingerprint: ${FPR}\n`]]
    ],
    [
      'a signing key with its URL',
      { ...none, signKey: { fingerprint: FPR, url: 'https://example.com/key.asc' } },
      [['artifacthub.io/signKey', `fingerprint: ${FPR}\nurl: https://example.com/key.asc\n`]]
    ]
  ])('%s', (_case, facts, annotations) => {
    expect(artifactHubAnnotations(facts)).toEqual(annotations)
  })

  test('all of them, in order; every value reads back as what Artifact Hub expects', () => {
    const facts = {
      changes,
      image: { name: 'ghcr.io/o/app', tag: '2.0.0-rc.1' },
      prerelease: true,
      signKey: { fingerprint: FPR, url: '' }
    }
    const annotations = artifactHubAnnotations(facts)
    expect(annotations.map(([key]) => key)).toEqual([
      'artifacthub.io/changes',
      'artifacthub.io/images',
      'artifacthub.io/prerelease',
      'artifacthub.io/signKey'
    ])
    const [changesValue, images, , signKey] = annotations.map(([, value]) => parse(value))
    expect(changesValue).toEqual(changes)
    expect(images).toEqual([{ name: 'app', image: 'ghcr.io/o/app:2.0.0-rc.1' }])
    expect(signKey).toEqual({ fingerprint: FPR })
  })
})
