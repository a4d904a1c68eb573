import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { decodeUtf8, firstNonUtf8Byte, HELM_MAX_FILE_BYTES, readChartText } from '../../src/chart-files/read-text.js'

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map(part => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))))

describe('firstNonUtf8Byte', () => {
  test.each([
    ['ASCII', bytes('name: api\n'), undefined],
    ['UTF-8 umlaut and emoji', bytes('description: für 🚀\n'), undefined],
    ['a byte-order mark', bytes([0xef, 0xbb, 0xbf], 'name: api\n'), undefined],
    ['a real U+FFFD', bytes('a�b'), undefined],
    ['empty', bytes(), undefined],
    ['Latin-1 ü', bytes('f', [0xfc], 'r'), 1],
    ['Latin-1 after UTF-8 and a real U+FFFD', bytes('�ü', [0xfc]), 5],
    ['a lone continuation byte', bytes('ab', [0x80]), 2],
    ['a sequence cut short by ASCII', bytes('x', [0xef, 0xbf], 'A'), 1],
    ['a sequence cut short by the end', bytes('x', [0xe2, 0x82]), 1],
    ['an overlong slash', bytes([0xc0, 0xaf]), 0],
    ['an encoded surrogate', bytes('ok', [0xed, 0xa0, 0x80]), 2],
    ['UTF-16 with its byte-order mark', Buffer.from('\ufeffname', 'utf16le'), 0]
  ])('%s → %p', (_case, input, offset) => {
    expect(firstNonUtf8Byte(input)).toBe(offset)
  })
})

describe('decodeUtf8', () => {
  test('keeps a byte-order mark in the text, so that a rewritten file keeps it', () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'a: 1\n'), 'Chart.yaml')).toBe('\ufeffa: 1\n')
  })

  test('names the file, the byte and its offset', () => {
    expect(() => decodeUtf8(bytes('name: caf', [0xe9], '\n'), 'charts/api/Chart.yaml')).toThrow(
      'charts/api/Chart.yaml is not UTF-8: byte 0xe9 at offset 9 is not part of a UTF-8 character.'
    )
  })
})

describe('readChartText', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'read-text-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test.each([
    [HELM_MAX_FILE_BYTES, true],
    [HELM_MAX_FILE_BYTES + 1, false]
  ])('a file of %i bytes is taken: %p (helm refuses only a larger one)', async (size, taken) => {
    const file = path.join(dir, `values-${size}.yaml`)
    writeFileSync(file, Buffer.alloc(size, 'a'))
    const read = readChartText(file)
    if (taken) await expect(read).resolves.toHaveLength(size)
    else
      await expect(read).rejects.toThrow(
        `${file} is ${size} bytes, more than the 5242880 (5 MiB) helm loads from one chart file.`
      )
  })

  test('refuses what is no regular file before opening it', async () => {
    await expect(readChartText(dir)).rejects.toThrow(`${dir} is not a regular file`)
  })
})
