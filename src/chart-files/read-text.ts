import { readFile, stat } from 'node:fs/promises'

/**
 * helm's limit on one file of a chart directory (MaxDecompressedFileSize in pkg/chart/loader, 3.18 and 4.x):
 * helm refuses a larger Chart.yaml or values.yaml, so the action refuses it before reading it whole.
 */
export const HELM_MAX_FILE_BYTES = 5 * 1024 * 1024

// ignoreBOM keeps a byte-order mark in the text, so that a rewritten file keeps it too (helm strips it).
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const lenient = new TextDecoder('utf-8', { ignoreBOM: true })
const REPLACEMENT = [0xef, 0xbf, 0xbd]

/**
 * The offset of the first byte that is not UTF-8, or undefined when all of them are. The decoder does not say
 * where it stopped, so the lenient decoding is walked: up to the first U+FFFD that the bytes do not spell
 * out themselves, every character stands for its own UTF-8 bytes.
 */
export function firstNonUtf8Byte(bytes: Uint8Array): number | undefined {
  try {
    strict.decode(bytes)
    return undefined
  } catch {
    let offset = 0
    for (const char of lenient.decode(bytes)) {
      const point = char.codePointAt(0)!
      if (point === 0xfffd && REPLACEMENT.some((byte, index) => bytes[offset + index] !== byte)) return offset
      offset += point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4
    }
    return offset
  }
}

/** A file's bytes as text, or an error naming the file and its first byte that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  const bad = firstNonUtf8Byte(bytes)
  if (bad === undefined) return strict.decode(bytes)
  const hex = bytes[bad].toString(16).padStart(2, '0')
  throw new Error(
    `${file} is not UTF-8: byte 0x${hex} at offset ${bad} is not part of a UTF-8 character. helm reads chart ` +
      'files as UTF-8, and rewriting it would replace the character. Save the file as UTF-8.'
  )
}

/**
 * A chart file the action reads and rewrites (Chart.yaml, Chart.lock, the values file), refused as helm
 * would refuse it (too large) or would misread it (not UTF-8), before any file is written. The size is
 * looked at first, so that a huge file is never read.
 */
export async function readChartText(file: string): Promise<string> {
  const info = await stat(file)
  if (!info.isFile()) throw new Error(`${file} is not a regular file; helm loads only regular files from a chart.`)
  if (info.size > HELM_MAX_FILE_BYTES) {
    throw new Error(
      `${file} is ${info.size} bytes, more than the ${HELM_MAX_FILE_BYTES} (5 MiB) helm loads from one chart ` +
        'file. Make it smaller.'
    )
  }
  return decodeUtf8(await readFile(file), file)
}
