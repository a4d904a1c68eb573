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
