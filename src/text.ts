/** Quotes a user value for an error message so that blanks, control characters and length stay visible. */
export function show(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 60)}… (${value.length} characters)` : value
  return JSON.stringify(shown)
}

/** A YAML or JSON field as the text a reader of the file would take it for; empty when missing or null. */
export function textOf(value: unknown): string {
  return value === undefined || value === null ? '' : String(value)
}

/** What a caught value says: anything can be thrown, and the step's error shows only the message. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
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
