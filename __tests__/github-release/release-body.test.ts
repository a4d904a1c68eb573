import { describe, expect, test } from '@jest/globals'
import { changelogNotes, chartSection, notesOf, releaseBody } from '../../src/github-release/release-body.js'

const START = '<!-- helm-release-action: charts -->'
const END = '<!-- /helm-release-action: charts -->'
const chart = {
  install: 'helm install llm-proxy oci://ghcr.io/sofatutor/llm-proxy --version 1.2.3',
  chartRef: 'ghcr.io/sofatutor/llm-proxy:1.2.3',
  digest: `sha256:${'a'.repeat(64)}`
}
const section = [
  START,
  '```shell',
  'helm install llm-proxy oci://ghcr.io/sofatutor/llm-proxy --version 1.2.3',
  '```',
  '',
  'Chart: `ghcr.io/sofatutor/llm-proxy:1.2.3`',
  `Digest: \`sha256:${'a'.repeat(64)}\``,
  END
].join('\n')

describe('chartSection', () => {
  test('one chart: the install line, then its reference and digest, between the markers', () => {
    expect(chartSection([chart])).toBe(section)
  })

  test('several charts: an install line each, then a reference and digest each', () => {
    const charts = ['api', 'worker'].map(name => ({
      install: `helm install ${name} oci://ghcr.io/o/${name} --version 1.2.3`,
      chartRef: `ghcr.io/o/${name}:1.2.3`,
      digest: `sha256:${name[0].repeat(64)}`
    }))
    expect(chartSection(charts)).toBe(
      [
        START,
        '```shell',
        'helm install api oci://ghcr.io/o/api --version 1.2.3',
        'helm install worker oci://ghcr.io/o/worker --version 1.2.3',
        '```',
        '',
        `- \`ghcr.io/o/api:1.2.3\` \`sha256:${'a'.repeat(64)}\``,
        `- \`ghcr.io/o/worker:1.2.3\` \`sha256:${'w'.repeat(64)}\``,
        END
      ].join('\n')
    )
  })
})

describe('releaseBody', () => {
  test.each([
    [
      'generated notes follow the section',
      "## What's Changed\n* Fix it by @someone\n",
      `${section}\n\n## What's Changed\n* Fix it by @someone\n`
    ],
    ['empty notes add nothing', '  \n', `${section}\n`]
  ])('%s', (_, notes, body) => {
    expect(releaseBody([chart], notes)).toBe(body)
  })
})

describe('notesOf', () => {
  const older = section.replace('1.2.3', '1.2.2')
  test.each([
    ['no body', null, ''],
    ['a hand-written draft: all of it', 'Hand-written notes.\n', 'Hand-written notes.'],
    ['an earlier run: what follows the section', `${older}\n\n## What's Changed\n`, "## What's Changed"],
    ['text around the section: both sides', `Intro.\n\n${older}\n\nNotes.`, 'Intro.\n\n\n\nNotes.'],
    ['a start marker without its end: all of it', `${START}\nNotes.`, `${START}\nNotes.`]
  ])('%s', (_, body, notes) => {
    expect(notesOf(body)).toBe(notes)
  })

  test('a re-run replaces the section instead of adding a second one', () => {
    const earlier = releaseBody([{ ...chart, digest: `sha256:${'b'.repeat(64)}` }], 'Notes.')
    const again = releaseBody([chart], notesOf(earlier))
    expect(again).toBe(`${section}\n\nNotes.\n`)
    expect(again.split(START)).toHaveLength(2)
  })
})

describe('changelogNotes', () => {
  const root = { file: '/w/CHANGELOG.md', line: 7, markdown: '### Fixed\n\n- Root.' }
  const own = { file: '/w/charts/worker/CHANGELOG.md', line: 3, markdown: '### Added\n\n- Worker.' }
  test.each([
    ['no chart has a section', [], ['api'], ''],
    ['one chart, its section as it is', [{ chartName: 'api', ...root }], ['api'], root.markdown],
    [
      'every chart shares the root changelog: once, as it is',
      [
        { chartName: 'api', ...root },
        { chartName: 'worker', ...root }
      ],
      ['api', 'worker'],
      root.markdown
    ],
    [
      'one section for only some of the charts: under their names',
      [{ chartName: 'worker', ...own }],
      ['api', 'worker'],
      `## worker\n\n${own.markdown}`
    ],
    [
      'sections of their own: each under the names of its charts',
      [
        { chartName: 'api', ...root },
        { chartName: 'worker', ...own },
        { chartName: 'web', ...root }
      ],
      ['api', 'worker', 'web'],
      `## api, web\n\n${root.markdown}\n\n## worker\n\n${own.markdown}`
    ]
  ])('%s', (_case, sections, released, notes) => {
    expect(changelogNotes(sections, released)).toBe(notes)
  })
})

describe('releaseBody with changelog notes', () => {
  const CHANGELOG_START = '<!-- helm-release-action: changelog -->'
  const CHANGELOG_END = '<!-- /helm-release-action: changelog -->'
  const changelog = '### Fixed\n\n- It.'
  const body = `${CHANGELOG_START}\n${changelog}\n${CHANGELOG_END}\n\n${section}\n\nGenerated.\n`

  test('the changelog leads, marked; the install lines and the other notes follow', () => {
    expect(releaseBody([chart], 'Generated.', changelog)).toBe(body)
  })

  test('a re-run replaces both sections and keeps the other notes', () => {
    expect(notesOf(body)).toBe('Generated.')
    expect(releaseBody([chart], notesOf(body), changelog)).toBe(body)
  })

  test('a re-run without a changelog drops the earlier one', () => {
    expect(releaseBody([chart], notesOf(body))).toBe(`${section}\n\nGenerated.\n`)
  })
})
