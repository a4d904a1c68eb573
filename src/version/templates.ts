import { show } from '../text.js'
import type { Release } from './version.js'

/**
 * Fills `{{name}}` placeholders. An unknown placeholder is an error rather than left in place, because a
 * literal `{{sha}}` in an appVersion or image tag would be published and never noticed.
 */
export function renderTemplate(input: string, template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_match, name: string) => {
    if (!Object.hasOwn(values, name)) {
      const known = Object.keys(values)
        .map(key => `{{${key}}}`)
        .join(', ')
      throw new Error(`Input ${input} ${show(template)} uses the unknown placeholder {{${name}}}; known: ${known}.`)
    }
    return values[name]
  })
}

/** The placeholders of the app-version and image-tag templates; `sha` is 7 hex, as docker/metadata-action has it. */
export function placeholders(release: Omit<Release, 'prerelease'>, shaShort: string): Record<string, string> {
  return {
    version: release.version,
    tag: release.tag,
    major: String(release.major),
    minor: String(release.minor),
    patch: String(release.patch),
    sha: shaShort.replace(/^sha-/, '')
  }
}
