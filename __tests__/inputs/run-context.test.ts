import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readEvent, repositoryUrl } from '../../src/inputs/run-context.js'

describe('readEvent', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'event-'))
    const repository = { default_branch: 'trunk', owner: { login: 'sofatutor', type: 'Organization' } }
    writeFileSync(path.join(dir, 'push.json'), JSON.stringify({ repository }))
    writeFileSync(path.join(dir, 'user.json'), JSON.stringify({ repository: { owner: { type: 'User' } } }))
    writeFileSync(path.join(dir, 'odd-owner.json'), JSON.stringify({ repository: { owner: { type: 'Bot' } } }))
    writeFileSync(path.join(dir, 'no-repository.json'), JSON.stringify({ ref: 'refs/heads/main' }))
    writeFileSync(path.join(dir, 'broken.json'), '{')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test.each([
    ['push.json', { defaultBranch: 'trunk', ownerType: 'Organization' }],
    ['user.json', { defaultBranch: '', ownerType: 'User' }],
    ['odd-owner.json', { defaultBranch: '', ownerType: '' }],
    ['no-repository.json', { defaultBranch: '', ownerType: '' }],
    ['broken.json', { defaultBranch: '', ownerType: '' }],
    ['missing.json', { defaultBranch: '', ownerType: '' }]
  ])('%s → %j', (file, expected) => {
    expect(readEvent(path.join(dir, file))).toEqual(expected)
  })

  test('no event file, nothing read', () => expect(readEvent(undefined)).toEqual({ defaultBranch: '', ownerType: '' }))
})

describe('repositoryUrl', () => {
  test.each([
    ['https://github.com', 'sofatutor/llm-proxy', 'https://github.com/sofatutor/llm-proxy'],
    ['https://ghe.example.com', 'SofaTutor/llm-proxy', 'https://ghe.example.com/SofaTutor/llm-proxy'],
    ['https://github.com', '', '']
  ])('%s and %j → %j', (serverUrl, repository, url) => {
    expect(repositoryUrl({ serverUrl, repository })).toBe(url)
  })
})
