import { describe, expect, test } from '@jest/globals'
import { helmArchive, parseChecksumFile } from '../../src/helm/install.js'

describe('helmArchive', () => {
  test.each([
    ['linux', 'x64', 'helm-v3.18.1-linux-amd64.tar.gz', 'linux-amd64/helm'],
    ['linux', 'arm64', 'helm-v3.18.1-linux-arm64.tar.gz', 'linux-arm64/helm'],
    ['darwin', 'x64', 'helm-v3.18.1-darwin-amd64.tar.gz', 'darwin-amd64/helm'],
    ['darwin', 'arm64', 'helm-v3.18.1-darwin-arm64.tar.gz', 'darwin-arm64/helm'],
    ['win32', 'x64', 'helm-v3.18.1-windows-amd64.zip', 'windows-amd64/helm.exe'],
    ['win32', 'arm64', 'helm-v3.18.1-windows-arm64.zip', 'windows-arm64/helm.exe']
  ])('%s %s → %s', (platform, arch, name, binary) => {
    expect(helmArchive('3.18.1', 'https://get.helm.sh', platform, arch)).toEqual({
      name,
      url: `https://get.helm.sh/${name}`,
      checksumUrl: `https://get.helm.sh/${name}.sha256sum`,
      binary,
      zip: platform === 'win32'
    })
  })

  test.each([
    ['linux', 'ia32'],
    ['freebsd', 'x64']
  ])('refuses %s %s, saying what to do instead', (platform, arch) => {
    expect(() => helmArchive('3.18.1', 'https://get.helm.sh', platform, arch)).toThrow(
      `not ${platform}/${arch}. Install helm in an earlier step and leave input helm-version empty.`
    )
  })
})

describe('parseChecksumFile', () => {
  const hex = 'ab'.repeat(32)
  const name = 'helm-v3.18.1-linux-amd64.tar.gz'
  test.each([`${hex}  ${name}\n`, `${hex} *${name}`, `${hex}\n`, `${hex.toUpperCase()}  ${name}`])('reads %j', text => {
    expect(parseChecksumFile(text, name)).toBe(hex)
  })

  test.each(['', 'not a checksum', `${hex}  helm-v3.18.1-darwin-amd64.tar.gz`, 'abc  ' + name])('refuses %j', text => {
    expect(() => parseChecksumFile(text, name)).toThrow(`The checksum file of ${name} does not hold a SHA-256 for it`)
  })
})
