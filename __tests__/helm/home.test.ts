import { describe, expect, test } from '@jest/globals'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { helmEnv, prepareHelmHome, registryConfig } from '../../src/helm/home.js'

describe('registryConfig', () => {
  test.each([
    [undefined, { auths: {} }],
    [
      { host: '127.0.0.1:5000', username: 'ci', password: 'p:w' },
      { auths: { '127.0.0.1:5000': { auth: Buffer.from('ci:p:w').toString('base64') } } }
    ]
  ])('%j → %j (what `helm registry login` writes)', (login, expected) => {
    expect(JSON.parse(registryConfig(login))).toEqual(expected)
  })
})

describe('prepareHelmHome', () => {
  test('the registry config is a 0600 file holding the login', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'home-'))
    try {
      const env = await prepareHelmHome(dir, { host: 'ghcr.io', username: 'u', password: 'secret' })
      expect(env).toMatchObject(helmEnv(dir))
      expect((await stat(env.HELM_REGISTRY_CONFIG)).mode & 0o777).toBe(0o600)
      expect(await readFile(env.HELM_REGISTRY_CONFIG, 'utf8')).toContain(Buffer.from('u:secret').toString('base64'))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
