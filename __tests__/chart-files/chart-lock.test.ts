import { describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { lockDigest, updateLock } from '../../src/chart-files/chart-lock.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__', 'chart-lock')
const read = (name: string, file: string) => readFileSync(path.join(fixtures, name, file), 'utf8')

describe('updateLock', () => {
  // expected.lock carries the digest helm itself wrote when it regenerated the lock for Chart.after.yaml.
  test('moves the in-repo dependency and signs the lock with the digest helm computes', () => {
    const name = 'file-and-http'
    const updated = updateLock(
      read(name, 'Chart.lock'),
      'Chart.lock',
      read(name, 'Chart.before.yaml'),
      read(name, 'Chart.after.yaml'),
      { common: '1.2.3' }
    )
    expect(updated).toBe(read(name, 'expected.lock'))
  })

  test('leaves a lock whose digest it cannot reproduce (a repository alias) to helm', () => {
    const name = 'repository-alias'
    expect(
      updateLock(
        read(name, 'Chart.lock'),
        'Chart.lock',
        read(name, 'Chart.before.yaml'),
        read(name, 'Chart.after.yaml'),
        {
          common: '1.2.3'
        }
      )
    ).toBeUndefined()
  })

  test('leaves a lock that was already out of sync to helm', () => {
    const name = 'file-and-http'
    const stale = read(name, 'Chart.before.yaml').replace('"~0.3.0"', '"~0.4.0"')
    expect(updateLock(read(name, 'Chart.lock'), 'Chart.lock', stale, stale, { common: '1.2.3' })).toBeUndefined()
  })
})

describe('lockDigest', () => {
  test.each([
    [
      [{ name: 'a', repository: 'file://../a', version: '1.0.0' }],
      '[[{"name":"a","version":"1.0.0","repository":"file://../a"}],null]'
    ],
    [[{ name: 'a', repository: '', tags: [] }], '[[{"name":"a","repository":""}],null]'],
    [
      [{ name: 'a', repository: 'r', condition: 'x<y', enabled: true }],
      '[[{"name":"a","repository":"r","condition":"x\\u003cy","enabled":true}],null]'
    ],
    [
      [{ name: 'a', repository: 'r', 'import-values': [{ parent: 'p', child: 'c' }] }],
      '[[{"name":"a","repository":"r","import-values":[{"child":"c","parent":"p"}]}],null]'
    ]
  ])('hashes %j as Go would marshal it', (requirements, json) => {
    expect(lockDigest(requirements, undefined)).toBe(`sha256:${createHash('sha256').update(json).digest('hex')}`)
  })
})
