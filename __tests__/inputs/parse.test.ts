import { describe, expect, test } from '@jest/globals'
import {
  parseBoolean,
  parseDuration,
  parseHelmVersion,
  parseIfExists,
  parseImage,
  parseKeyPath,
  parseKeyUrl,
  parseKubeVersion,
  parseMaxJobs,
  parseMirror,
  parseOnly,
  parseRetries
} from '../../src/inputs/parse.js'

describe('parseBoolean', () => {
  test.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false]
  ])('%s → %s', (value, expected) => {
    expect(parseBoolean('push', value)).toBe(expected)
  })

  test.each(['yes', '1', 'on', 'ture', ''])('refuses %j, naming input and value', value => {
    expect(() => parseBoolean('push', value)).toThrow(`Input push is ${JSON.stringify(value)}; it takes true or false.`)
  })
})

describe('parseIfExists', () => {
  test.each(['fail', 'skip', 'overwrite'])('%s', value => {
    expect(parseIfExists(value)).toBe(value)
  })

  test.each(['Fail', 'replace', 'true', ''])('refuses %j', value => {
    expect(() => parseIfExists(value)).toThrow(
      `Input if-exists is ${JSON.stringify(value)}; it takes fail, skip or overwrite.`
    )
  })
})

describe('parseRetries', () => {
  test.each([
    ['0', 0],
    ['3', 3],
    ['10', 10]
  ])('%s → %i', (value, expected) => {
    expect(parseRetries(value)).toBe(expected)
  })

  test.each(['-1', '11', '3.5', 'three', ' 3', '1e1', '003'])('refuses %j', value => {
    expect(() => parseRetries(value)).toThrow(
      `Input retries is ${JSON.stringify(value)}; it takes a whole number from 0 to 10.`
    )
  })
})

describe('parseDuration', () => {
  test.each([
    ['5m', 300_000],
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['1500ms', 1_500],
    ['6h', 21_600_000]
  ])('%s → %i ms', (value, expected) => {
    expect(parseDuration('timeout', value)).toBe(expected)
  })

  test.each([
    ['300', 'that is not a duration.'],
    ['5 minutes', 'that is not a duration.'],
    ['-5m', 'that is not a duration.'],
    ['5M', 'that is not a duration.'],
    ['0s', 'it must lie between 1s and 6h.'],
    ['999ms', 'it must lie between 1s and 6h.'],
    ['7h', 'it must lie between 1s and 6h.']
  ])('refuses %j: %s', (value, why) => {
    expect(() => parseDuration('timeout', value)).toThrow(
      `Input timeout is ${JSON.stringify(value)}; ${why} It takes a duration such as 30s, 5m or 1m30s.`
    )
  })
})

describe('parseHelmVersion', () => {
  test.each([
    ['', ''],
    ['3.18.1', '3.18.1'],
    ['v4.1.4', '4.1.4'],
    ['3.8.0', '3.8.0'],
    ['4.0.0-rc.1', '4.0.0-rc.1']
  ])('%j → %j', (value, expected) => {
    expect(parseHelmVersion(value)).toBe(expected)
  })

  test.each(['latest', '3.18', '^3.18.0', 'v3.18.0;id', '3.18.0\n'])('refuses %j', value => {
    expect(() => parseHelmVersion(value)).toThrow(
      `Input helm-version is ${JSON.stringify(value)}; it takes an exact Helm release such as 3.21.1 or 4.2.4`
    )
  })

  test.each(['3.7.2', '2.17.0'])('refuses %s, which has no OCI support', value => {
    expect(() => parseHelmVersion(value)).toThrow('Helm before 3.8 cannot push to OCI registries')
  })
})

describe('parseMirror', () => {
  test.each([
    ['https://get.helm.sh', 'https://get.helm.sh'],
    ['https://mirror.example.test/helm/', 'https://mirror.example.test/helm'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080']
  ])('%s → %s', (value, expected) => {
    expect(parseMirror(value)).toBe(expected)
  })

  test.each(['get.helm.sh', 'ftp://get.helm.sh', 'https://get.helm.sh/?x=1', 'not a url'])('refuses %j', value => {
    expect(() => parseMirror(value)).toThrow(`Input helm-mirror is ${JSON.stringify(value)}; it takes the http(s) URL`)
  })
})

describe('parseImage', () => {
  test.each([
    ['ghcr.io/sofatutor/llm-proxy', 'ghcr.io/sofatutor/llm-proxy'],
    ['ghcr.io/SofaTutor/LLM-Proxy', 'ghcr.io/sofatutor/llm-proxy'],
    ['  ghcr.io/sofatutor/llm-proxy ', 'ghcr.io/sofatutor/llm-proxy'],
    ['127.0.0.1:5000/team/app', '127.0.0.1:5000/team/app'],
    ['localhost/app', 'localhost/app'],
    ['sofatutor/llm-proxy', 'sofatutor/llm-proxy'],
    ['nginx', 'nginx'],
    ['', '']
  ])('%j → %j', (input, image) => {
    expect(parseImage(input)).toBe(image)
  })

  test.each([
    ['ghcr.io/sofatutor/llm-proxy:v1', 'carries a tag or digest'],
    ['ghcr.io/sofatutor/llm-proxy@sha256:abc', 'carries a tag or digest'],
    ['nginx:latest', 'carries a tag or digest'],
    ['ghcr.io/sofa tutor/app', 'has the invalid path part "sofa tutor"'],
    ['ghcr.io//app', 'has the invalid path part ""'],
    ['ghcr..io/app', 'has an invalid host'],
    ['oci://ghcr.io/app', 'has a scheme'],
    ['https://ghcr.io/app', 'has a scheme']
  ])('refuses %j', (input, message) => {
    expect(() => parseImage(input)).toThrow(`Input image ${JSON.stringify(input)} ${message}`)
  })

  test('says how to fix it', () => {
    expect(() => parseImage('x:1')).toThrow('Give the image name without a tag, e.g. ghcr.io/sofatutor/llm-proxy.')
  })
})

describe('parseKeyPath', () => {
  test.each([
    ['image.tag', ['image', 'tag']],
    ['tag', ['tag']],
    ['app.image-spec.tag_name', ['app', 'image-spec', 'tag_name']]
  ])('%j → %j', (input, expected) => {
    expect(parseKeyPath('image-tag-path', input)).toEqual(expected)
  })

  test.each(['image..tag', '.image', 'image.', 'image tag', 'image[0].tag', '{{tag}}'])('refuses %j', input => {
    expect(() => parseKeyPath('image-tag-path', input)).toThrow(
      `Input image-tag-path ${JSON.stringify(input)} is not a dotted key path`
    )
  })
})

describe('parseMaxJobs', () => {
  test.each([
    ['1', 1],
    ['2', 2],
    ['100', 100],
    ['256', 256]
  ])('%s → %i', (value, expected) => {
    expect(parseMaxJobs(value)).toBe(expected)
  })

  test.each(['0', '257', '1000', '-1', '2.5', '010', ' 8', 'all', ''])('refuses %j', value => {
    expect(() => parseMaxJobs(value)).toThrow(
      `Input max-jobs is ${JSON.stringify(value)}; it takes a whole number from 1 to 256, the most jobs GitHub runs from one matrix.`
    )
  })
})

describe('parseOnly', () => {
  test.each([
    ['', []],
    ['api', ['api']],
    ['common, api', ['common', 'api']],
    ['common,api,worker', ['common', 'api', 'worker']],
    ['common\napi\n', ['common', 'api']],
    ['common\r\napi', ['common', 'api']],
    ['common,\n api ,\n\nworker', ['common', 'api', 'worker']],
    [', api,,', ['api']],
    ['api, api', ['api']]
  ])('%j → %j', (value, names) => {
    expect(parseOnly(value)).toEqual(names)
  })
})

describe('parseKubeVersion', () => {
  test.each(['', '1.31', 'v1.31', '1.31.2', 'v1.31.2', '1'])('takes %j', value => {
    expect(parseKubeVersion(value)).toBe(value)
  })

  test.each(['latest', '1.31.x', '>=1.30', '01.31', '1.31.2.4', ' 1.31', '1.31-rc.1'])('refuses %j', value => {
    expect(() => parseKubeVersion(value)).toThrow(
      `Input kube-version is ${JSON.stringify(value)}; it takes a Kubernetes version such as 1.31 or 1.31.2, or nothing for helm's default.`
    )
  })
})

describe('parseKeyUrl', () => {
  test.each(['', 'https://keys.openpgp.org/vks/v1/by-fingerprint/ABCD', 'https://example.com/key.asc'])(
    'takes %j',
    value => {
      expect(parseKeyUrl(value)).toBe(value)
    }
  )

  test.each(['http://example.com/key.asc', 'keys.openpgp.org/key', 'https://user:pw@example.com/key', 'file:///k'])(
    'refuses %j',
    value => {
      expect(() => parseKeyUrl(value)).toThrow(
        `Input signing-key-url is ${JSON.stringify(value)}; it takes an https URL of the public key without credentials`
      )
    }
  )
})
