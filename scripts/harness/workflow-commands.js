// The workflow commands in a step's output, read as the Actions runner reads them (actions/runner:
// Runner.Worker/ActionCommandManager.cs, Runner.Common/ActionCommand.cs, Handlers/OutputManager.cs):
// - a line ends at \r\n, \r or \n (.NET's StreamReader.ReadLine);
// - `::name k=v,k=v::data` after leading blanks, or the older `##[name k=v;k=v]data` anywhere in the line, is a
//   command when `name` is a registered one (case-insensitive);
// - `::stop-commands::TOKEN` makes every line plain text until one that parses as command TOKEN.
// set-output and save-state take effect as the runner applies them; set-env and add-path the runner refuses
// unless ACTIONS_ALLOW_UNSECURE_COMMANDS is set, which a test never sets: they are recorded as refused.

const REGISTERED = [
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning'
]
const DATA_ESCAPES = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%']
]
const PROPERTY_ESCAPES = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%']
]
const LEGACY_ESCAPES = [
  ['%3B', ';'],
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%5D', ']'],
  ['%25', '%']
]

const unescape = (text, escapes) => escapes.reduce((result, [escaped, char]) => result.replaceAll(escaped, char), text)

function properties(text, separator, escapes) {
  const found = {}
  for (const pair of text.split(separator).filter(Boolean)) {
    const at = pair.indexOf('=')
    if (at > 0 && at < pair.length - 1) found[pair.slice(0, at)] = unescape(pair.slice(at + 1), escapes)
  }
  return found
}

/** ActionCommand.TryParseV2: `::name props::data`, the line's leading blanks aside. */
function parseV2(line, registered) {
  const message = line.trimStart()
  if (!message.startsWith('::')) return undefined
  const end = message.indexOf('::', 2)
  if (end < 0) return undefined
  const info = message.slice(2, end)
  const space = info.indexOf(' ')
  const name = space < 0 ? info : info.slice(0, space)
  if (!registered.has(name.toLowerCase())) return undefined
  return {
    name: name.toLowerCase(),
    properties: space > 0 ? properties(info.slice(space + 1).trim(), ',', PROPERTY_ESCAPES) : {},
    data: unescape(message.slice(end + 2), DATA_ESCAPES)
  }
}

/** ActionCommand.TryParse: `##[name props]data` anywhere in the line. */
function parseLegacy(line, registered) {
  const start = line.indexOf('##[')
  if (start < 0) return undefined
  const close = line.indexOf(']', start)
  if (close < 0) return undefined
  const info = line.slice(start + 3, close)
  const space = info.indexOf(' ')
  const name = space < 0 ? info : info.slice(0, space)
  if (!registered.has(name.toLowerCase())) return undefined
  return {
    name: name.toLowerCase(),
    properties: space > 0 ? properties(info.slice(space + 1), ';', LEGACY_ESCAPES) : {},
    data: unescape(line.slice(close + 1), LEGACY_ESCAPES)
  }
}

/**
 * Every text of a command the runner carried out that a step's output could have put there: its data, and its
 * properties' names and values; a test looks in them for text it injected.
 * @param {{ properties: Record<string, string>, data: string }} command
 * @returns {string[]}
 */
export function commandTexts(command) {
  return [command.data, ...Object.keys(command.properties), ...Object.values(command.properties)]
}

/**
 * What the runner makes of a step's output.
 * @param {string} output  the step's stdout (or stderr)
 * @returns {{ commands: { name: string, properties: Record<string, string>, data: string, line: string }[],
 *   outputs: Record<string, string>, state: Record<string, string>, masks: string[], refused: string[],
 *   stoppedAtEnd: boolean }}  `commands` are those the runner carried out, in order (stop-commands and the
 *   resuming token included)
 */
export function readWorkflowCommands(output) {
  const registered = new Set(REGISTERED)
  const result = { commands: [], outputs: {}, state: {}, masks: [], refused: [], stoppedAtEnd: false }
  let stopToken
  for (const line of output.split(/\r\n|\r|\n/)) {
    if (!line.includes('::') && !line.includes('##[')) continue
    const command = parseV2(line, registered) ?? parseLegacy(line, registered)
    if (!command) continue
    if (stopToken !== undefined) {
      if (command.name !== stopToken) continue
      registered.delete(stopToken)
      stopToken = undefined
      result.commands.push({ ...command, line })
      continue
    }
    if (command.name === 'stop-commands') {
      // ValidateStopToken: an empty token, a command's name or pause-logging fails the command; nothing stops.
      const token = command.data.toLowerCase()
      if (!token || registered.has(token) || token === 'pause-logging') {
        result.refused.push(line)
        continue
      }
      stopToken = token
      registered.add(token)
    } else if (command.name === 'set-output') result.outputs[command.properties.name] = command.data
    else if (command.name === 'save-state') result.state[command.properties.name] = command.data
    else if (command.name === 'add-mask') result.masks.push(command.data)
    else if (command.name === 'set-env' || command.name === 'add-path') {
      result.refused.push(line)
      continue
    }
    result.commands.push({ ...command, line })
  }
  result.stoppedAtEnd = stopToken !== undefined
  return result
}
