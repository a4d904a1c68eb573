import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readDefaultBranch, repositoryUrl } from '../../src/inputs/run-context.js'

describe('readDefaultBranch', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'event-'))
    writeFileSync(path.join(dir, 'push.json'), JSON.stringify({ repository: { default_branch: 'trunk' } }))
    writeFileSync(path.join(dir, 'no-repository.json'), JSON.stringify({ ref: 'refs/heads/main' }))
    writeFileSync(path.join(dir, 'broken.json'), '{')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test.each([
    ['push.json', 'trunk'],
    ['no-repository.json', ''],
    ['broken.json', ''],
    ['missing.json', '']
  ])('%s → %j', (file, branch) => {
    expect(readDefaultBranch(path.join(dir, file))).toBe(branch)
  })

  test('no event file, no default branch', () => expect(readDefaultBranch(undefined)).toBe(''))
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
