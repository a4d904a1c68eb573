import { readChartText } from './read-text.js'
import { setScalars } from './yaml-splice.js'

/**
 * Writes the image tag into values.yaml where the key already stands. A missing key is an error rather
 * than added: a typo in the path would otherwise publish a chart whose templates never read the new key.
 */
export function setImageTag(source: string, file: string, keyPath: string[], tag: string): string {
  return setScalars(source, file, 'the chart values', [{ path: keyPath, value: tag, input: 'image-tag-path' }])
}

/** The values file with the image tag set, ready to write; nothing is written here. */
export async function imageTagEdit(
  file: string,
  keyPath: string[],
  tag: string
): Promise<{ file: string; text: string }> {
  return { file, text: setImageTag(await readChartText(file), file, keyPath, tag) }
}
