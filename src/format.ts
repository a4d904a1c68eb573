/** Quotes a user value for an error message so that blanks, control characters and length stay visible. */
export function show(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 60)}… (${value.length} characters)` : value
  return JSON.stringify(shown)
}

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

/** Milliseconds the way the timeout input is written: `5m`, `1m30s`, `2s`, `1500ms`. */
export function formatDuration(ms: number): string {
  if (ms % 1000) return `${ms}ms`
  const parts: string[] = []
  let seconds = ms / 1000
  for (const [unit, size] of [
    ['h', 3600],
    ['m', 60],
    ['s', 1]
  ] as const) {
    if (seconds >= size) {
      parts.push(`${Math.floor(seconds / size)}${unit}`)
      seconds %= size
    }
  }
  return parts.join('') || '0s'
}

/** The placeholders of the app-version and image-tag templates; `sha` is 7 hex, as docker/metadata-action has it. */
export function placeholders(
  release: { version: string; tag: string; major: number; minor: number; patch: number },
  shaShort: string
): Record<string, string> {
  return {
    version: release.version,
    tag: release.tag,
    major: String(release.major),
    minor: String(release.minor),
    patch: String(release.patch),
    sha: shaShort.replace(/^sha-/, '')
  }
}
