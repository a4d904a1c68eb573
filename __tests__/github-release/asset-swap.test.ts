import { describe, expect, test } from '@jest/globals'
import {
  attachChart,
  partName,
  planSwap,
  sameAsset,
  staleProvenance,
  type ReleaseAsset
} from '../../src/github-release/asset-swap.js'

const SHA = 'c'.repeat(64)
const chart = {
  name: 'llm-proxy-1.2.3.tgz',
  size: 100,
  sha256: SHA,
  data: Buffer.from('chart'),
  contentType: 'application/gzip'
}
const asset = (id: number, name: string, size = 100, digest: string | null = `sha256:${'d'.repeat(64)}`) => ({
  id,
  name,
  size,
  digest
})

describe('sameAsset', () => {
  test.each([
    ['name, size and digest alike', asset(1, chart.name, 100, `sha256:${SHA}`), true],
    ['another digest', asset(1, chart.name, 100), false],
    ['another size', asset(1, chart.name, 99, `sha256:${SHA}`), false],
    ['another name', asset(1, 'other.tgz', 100, `sha256:${SHA}`), false],
    ['no digest (GitHub computed none)', asset(1, chart.name, 100, null), false]
  ])('%s', (_, held, same) => {
    expect(sameAsset(held, chart)).toBe(same)
  })
})

describe('planSwap', () => {
  const other = asset(1, chart.name)
  test.each([
    [
      'a release without the chart: upload it',
      [asset(1, 'README.md')],
      { keep: false, old: undefined, leftover: undefined }
    ],
    ['the chart byte for byte: keep it', [asset(1, chart.name, 100, `sha256:${SHA}`)], { keep: true }],
    ['another package of the name: replace it', [other], { keep: false, old: other, leftover: undefined }],
    [
      'a part left by an earlier run: out of the way first',
      [other, asset(2, partName(chart.name))],
      { keep: false, old: other, leftover: asset(2, partName(chart.name)) }
    ]
  ])('%s', (_, assets, plan) => {
    expect(planSwap(assets, chart)).toEqual(plan)
  })
})

describe('staleProvenance', () => {
  const assets = [
    asset(1, 'llm-proxy-1.2.3.tgz'),
    asset(2, 'llm-proxy-1.2.3.tgz.prov'),
    asset(3, 'llm-proxy-1.2.3.tgz.prov.part'),
    asset(4, 'llm-proxy-1.2.3.spdx.json'),
    asset(5, 'common-1.2.3.tgz.prov')
  ]
  test.each([
    ['an unsigned chart: its .prov and a part of one go', [{ name: 'llm-proxy-1.2.3.tgz', prov: false }], [2, 3]],
    ['a signed one keeps them (they are swapped)', [{ name: 'llm-proxy-1.2.3.tgz', prov: true }], []],
    [
      'each chart by its own name; other assets are not the action’s',
      [
        { name: 'llm-proxy-1.2.3.tgz', prov: true },
        { name: 'common-1.2.3.tgz', prov: false }
      ],
      [5]
    ]
  ])('%s', (_case, packages, ids) => {
    expect(staleProvenance(assets, packages).map(stale => stale.id)).toEqual(ids)
  })
})

describe('attachChart', () => {
  // Records the calls in order, with what each says the release holds should it fail.
  const recorder = () => {
    const made: string[] = []
    return {
      made,
      calls: {
        async upload(name: string, _file: unknown, left: string) {
          made.push(`upload ${name} | ${left}`)
          return asset(9, name, 100, `sha256:${SHA}`)
        },
        async remove(held: ReleaseAsset, left: string) {
          made.push(`delete ${held.id} | ${left}`)
        },
        async rename(held: ReleaseAsset, name: string, left: string) {
          made.push(`rename ${held.id} to ${name} | ${left}`)
        }
      }
    }
  }

  test.each([
    [
      'replacing: upload under the part name, then delete the old, then rename; the old stays until the new is whole',
      [asset(1, chart.name)],
      [
        'upload llm-proxy-1.2.3.tgz.part | The GitHub Release still holds the previous llm-proxy-1.2.3.tgz.',
        'delete 1 | The GitHub Release still holds the previous llm-proxy-1.2.3.tgz. The new one is attached as llm-proxy-1.2.3.tgz.part.',
        'rename 9 to llm-proxy-1.2.3.tgz | The GitHub Release holds the new chart as llm-proxy-1.2.3.tgz.part.'
      ]
    ],
    [
      'a first attachment: upload and rename',
      [],
      [
        'upload llm-proxy-1.2.3.tgz.part | The GitHub Release holds no llm-proxy-1.2.3.tgz yet.',
        'rename 9 to llm-proxy-1.2.3.tgz | The GitHub Release holds the new chart as llm-proxy-1.2.3.tgz.part.'
      ]
    ],
    [
      'a leftover part is deleted before the upload',
      [asset(2, partName(chart.name))],
      [
        'delete 2 | The GitHub Release holds no llm-proxy-1.2.3.tgz yet.',
        'upload llm-proxy-1.2.3.tgz.part | The GitHub Release holds no llm-proxy-1.2.3.tgz yet.',
        'rename 9 to llm-proxy-1.2.3.tgz | The GitHub Release holds the new chart as llm-proxy-1.2.3.tgz.part.'
      ]
    ],
    ['the same chart: nothing', [asset(1, chart.name, 100, `sha256:${SHA}`)], []]
  ])('%s', async (_, assets, made) => {
    const record = recorder()
    const log: string[] = []
    await attachChart(record.calls, assets, chart, text => log.push(text))
    expect(record.made).toEqual(made)
    expect(log.at(-1)).toMatch(
      made.length ? /^Attached llm-proxy-1\.2\.3\.tgz/ : /is attached already, for the chart the registry holds/
    )
  })
})
