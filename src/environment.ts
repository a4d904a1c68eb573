/**
 * What a program the action starts gets of the step's environment: an allow-list, since the step's holds the
 * inputs (INPUT_PASSWORD, INPUT_GITHUB-TOKEN), the runner's tokens (ACTIONS_RUNTIME_TOKEN,
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN) and whatever secrets the job maps into `env:`, and helm runs what a chart
 * from a pull request brings along (plugins, dependency downloads) with it. Names compare case-insensitively:
 * Windows spells `Path` and `SystemRoot` as it likes, and proxies are read in both cases.
 */
const EVERY_PROGRAM = [
  'PATH',
  'HOME',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LANG',
  'LANGUAGE',
  'TZ',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME',
  'XDG_DATA_HOME',
  // Go programs without SystemRoot cannot load the network stack; the rest locate the user's folders.
  'SYSTEMROOT',
  'WINDIR',
  'SYSTEMDRIVE',
  'COMSPEC',
  'PATHEXT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'HOMEDRIVE',
  'HOMEPATH',
  'NUMBER_OF_PROCESSORS',
  'PROCESSOR_ARCHITECTURE'
]

const BY_PROGRAM = {
  helm: [
    'GOGC',
    'GOMAXPROCS',
    'GOMEMLIMIT',
    'GODEBUG',
    'GOTRACEBACK',
    // Where the job keeps helm's plugins and caches. HELM_REGISTRY_CONFIG, HELM_REPOSITORY_CONFIG and
    // HELM_REPOSITORY_CACHE are the run's own; HELM_KUBETOKEN and HELM_DRIVER_SQL_CONNECTION_STRING are
    // secrets a release never needs.
    'HELM_CACHE_HOME',
    'HELM_CONFIG_HOME',
    'HELM_DATA_HOME',
    'HELM_PLUGINS',
    'HELM_CONTENT_CACHE',
    'HELM_DEBUG',
    'HELM_NO_PLUGINS',
    // helm falls back to Docker's credentials (a `docker login` of an earlier step) when the run gives no password.
    'DOCKER_CONFIG',
    // The native credential helpers (pass, secretservice) helm hands a login to when one is installed.
    'XDG_RUNTIME_DIR',
    'DBUS_SESSION_BUS_ADDRESS',
    'GNUPGHOME',
    'PASSWORD_STORE_DIR'
  ],
  // The job's git configuration: safe.directory in a container job, say.
  git: ['GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_NOSYSTEM', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_PARAMETERS']
}

const PATTERNS = { helm: [/^LC_[A-Z]+$/], git: [/^LC_[A-Z]+$/, /^GIT_CONFIG_(KEY|VALUE)_[0-9]+$/] }

export type Program = keyof typeof BY_PROGRAM

/** The variables of `env` that `program` may see. */
export function childEnvironment(env: Record<string, string | undefined>, program: Program): Record<string, string> {
  const names = new Set([...EVERY_PROGRAM, ...BY_PROGRAM[program]])
  const passed = (name: string) => {
    const upper = name.toUpperCase()
    return names.has(upper) || PATTERNS[program].some(pattern => pattern.test(upper))
  }
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && passed(entry[0]))
  )
}
