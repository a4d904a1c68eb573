export const id = 904;
export const ids = [904];
export const modules = {

/***/ 186:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BQ: () => (/* binding */ checkYamlDepth),
/* harmony export */   QT: () => (/* binding */ BOUNDS),
/* harmony export */   cA: () => (/* binding */ lineOf),
/* harmony export */   fJ: () => (/* binding */ jsonTooDeep),
/* harmony export */   qF: () => (/* binding */ parseJson),
/* harmony export */   up: () => (/* binding */ yamlTooDeep)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);

/**
 * What the action reads of untrusted text, at most: every parser it runs on a chart's files, helm's output or an
 * answer from a registry or GitHub stops at these, with a message naming what it read and, where known, the
 * line. docs/security.md lists them.
 */
const BOUNDS = {
    /** Nesting of YAML (every file read, helm's rendered output) and of JSON (registries, GitHub). */
    depth: 200,
    /** Nesting of the changelog section's Markdown blocks: quotes and lists in each other. */
    markdownDepth: 64,
    /** The changelog section of the released version; parsing one this large takes well under a second. */
    changelogSectionBytes: 64 * 1024,
    /** One answer of GitHub's API. */
    githubAnswerBytes: 32 * 1024 * 1024
};
/** The 1-based line of an offset into a text. */
function lineOf(text, offset) {
    let line = 1;
    for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1))
        line++;
    return line;
}
/**
 * The offset at which JSON text first nests deeper than `limit` arrays and objects, or undefined when it never
 * does; a linear scan that skips strings, ahead of a parser (or of code walking what it parsed) that would
 * recurse once per level.
 */
function jsonTooDeep(text, limit = BOUNDS.depth) {
    let depth = 0;
    for (let index = 0; index < text.length; index++) {
        const char = text[index];
        if (char === '"') {
            for (index++; index < text.length && text[index] !== '"'; index++)
                if (text[index] === '\\')
                    index++;
        }
        else if (char === '[' || char === '{') {
            if (++depth > limit)
                return index;
        }
        else if (char === ']' || char === '}') {
            depth--;
        }
    }
    return undefined;
}
/** JSON text parsed, or an error naming `what` and the line where it nests too deep; JSON.parse's errors as they are. */
function parseJson(text, what) {
    const deep = jsonTooDeep(text);
    if (deep !== undefined) {
        throw new Error(`${what} nests deeper than ${BOUNDS.depth} levels of arrays and objects (line ${lineOf(text, deep)}); the ` +
            'action reads no deeper.');
    }
    return JSON.parse(text);
}
/**
 * The offset of the first YAML collection (block or flow) nested deeper than `limit`, or undefined. The yaml
 * package's parser builds its syntax tree without recursion, and this walks it with a stack of its own: the
 * document API and toJS() recurse once per level and overflow the stack near a thousand.
 */
function yamlTooDeep(text, limit = BOUNDS.depth) {
    const stack = [...new yaml__WEBPACK_IMPORTED_MODULE_0__/* .Parser */ .iX().parse(text)].map(token => [token, 0]);
    while (stack.length) {
        const [node, outer] = stack.pop();
        if (!node || typeof node !== 'object')
            continue;
        const collection = node.type === 'block-map' || node.type === 'block-seq' || node.type === 'flow-collection';
        const depth = collection ? outer + 1 : outer;
        if (depth > limit)
            return node.offset;
        stack.push([node.value, depth], [node.key, depth]);
        for (const item of node.items ?? [])
            stack.push([item, depth]);
    }
    return undefined;
}
/** Refuses YAML nested deeper than BOUNDS.depth, naming `what` and the line, before a parser recurses into it. */
function checkYamlDepth(text, what) {
    const deep = yamlTooDeep(text);
    if (deep === undefined)
        return;
    throw new Error(`${what} line ${lineOf(text, deep)}: YAML nested deeper than ${BOUNDS.depth} levels, and the action reads no ` +
        'deeper. Flatten it.');
}


/***/ }),

/***/ 3904:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  post: () => (/* reexport */ post),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(6058);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./src/bounds.ts
var bounds = __webpack_require__(186);
;// CONCATENATED MODULE: ./src/environment.ts
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
];
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
};
const PATTERNS = { helm: [/^LC_[A-Z]+$/], git: [/^LC_[A-Z]+$/, /^GIT_CONFIG_(KEY|VALUE)_[0-9]+$/] };
/** The variables of `env` that `program` may see. */
function childEnvironment(env, program) {
    const names = new Set([...EVERY_PROGRAM, ...BY_PROGRAM[program]]);
    const passed = (name) => {
        const upper = name.toUpperCase();
        return names.has(upper) || PATTERNS[program].some(pattern => pattern.test(upper));
    };
    return Object.fromEntries(Object.entries(env).filter((entry) => entry[1] !== undefined && passed(entry[0])));
}

// EXTERNAL MODULE: ./src/text.ts
var src_text = __webpack_require__(8992);
;// CONCATENATED MODULE: ./src/registry/reference.ts

// Host and path rules of OCI references, shared with chart names and image names.
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/**
 * Normalises the registry input: `oci://` optional, trailing slashes dropped, lowercased (GHCR refuses
 * uppercase owners, and `${{ github.repository_owner }}` keeps the owner's capitals).
 */
function parseRegistry(input, chartNames) {
    const fix = 'Give it as oci://HOST/NAMESPACE, e.g. oci://ghcr.io/sofatutor.';
    const trimmed = input.trim();
    if (trimmed === '')
        throw new Error(`Input registry is empty. ${fix}`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) && !/^oci:\/\//i.test(trimmed)) {
        throw new Error(`Input registry ${(0,src_text/* show */.WU)(input)} has a scheme other than oci://. ${fix}`);
    }
    const bare = trimmed
        .replace(/^oci:\/\//i, '')
        .replace(/\/+$/, '')
        .toLowerCase();
    const [host, ...segments] = bare.split('/');
    if (!HOST.test(host))
        throw new Error(`Input registry ${(0,src_text/* show */.WU)(input)} does not start with a valid host name. ${fix}`);
    const bad = segments.find(segment => !PATH_COMPONENT.test(segment));
    if (bad !== undefined) {
        throw new Error(`Input registry ${(0,src_text/* show */.WU)(input)} has the invalid path part ${(0,src_text/* show */.WU)(bad)}. ${fix}`);
    }
    const chartName = chartNames.find(name => name === segments.at(-1));
    if (chartName !== undefined) {
        const parent = ['oci:/', host, ...segments.slice(0, -1)].join('/');
        throw new Error(`Input registry ${(0,src_text/* show */.WU)(input)} already ends in the chart name ${(0,src_text/* show */.WU)(chartName)}, and helm appends the ` +
            `chart name itself: the chart would land at ${bare}/${chartName}. Set registry to ${parent} instead.`);
    }
    const namespace = segments.join('/');
    return { host, namespace, url: `oci://${bare}` };
}
/**
 * Whether a registry host (host[:port], as parseRegistry gives it) is this machine: what plain HTTP may reach
 * without the password crossing a network. A name other than localhost may resolve anywhere.
 */
function isLoopbackHost(host) {
    const name = host.replace(/^\[(.*)\](?::[0-9]+)?$/, '$1').replace(/^([^:]*):[0-9]+$/, '$1');
    if (name === 'localhost' || name === '::1')
        return true;
    const octets = name.split('.');
    return (octets.length === 4 &&
        octets[0] === '127' &&
        octets.every(octet => /^(0|[1-9][0-9]{0,2})$/.test(octet) && Number(octet) <= 255));
}
/** OCI tags cannot hold '+', so helm publishes build metadata with '_' in its place. */
function ociTag(version) {
    return version.replaceAll('+', '_');
}
function locateChart(registry, name, version) {
    const repository = [registry.namespace, name].filter(part => part !== '').join('/');
    const tag = ociTag(version);
    return {
        url: `oci://${registry.host}/${repository}`,
        ref: `${registry.host}/${repository}:${tag}`,
        name: `${registry.host}/${repository}`,
        repository,
        tag
    };
}

;// CONCATENATED MODULE: ./src/helm/capabilities.ts


/**
 * The helm-version the action suggests: the newest Helm release that keeps the registry credentials from
 * other hosts (see forwardsCredentials).
 */
const RECOMMENDED_HELM = '4.2.4';
const FIX = `Set input helm-version (e.g. ${RECOMMENDED_HELM}) to have the action install a suitable helm.`;
/** Reads `helm version --template {{.Version}}`: `v3.18.0`, also with a `+g1234abc` or `-rc.1` suffix. */
function parseHelmVersionOutput(output) {
    const match = /^v?([0-9]+)\.([0-9]+)\.([0-9]+)\S*$/.exec(output.trim());
    if (!match)
        return undefined;
    return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), text: output.trim() };
}
const atLeast = (version, major, minor, patch = 0) => version.major !== major
    ? version.major > major
    : version.minor !== minor
        ? version.minor > minor
        : version.patch >= patch;
/**
 * Helm 3.18 moved to oras-go v2, whose transport retries HTTP 429 (honouring Retry-After) and 5xx five times
 * by itself; a refused or reset connection it does not retry.
 */
function helmRetriesHttp(version) {
    return atLeast(version, 3, 18);
}
/**
 * Whether helm sends its registry credentials on to whatever host the registry names in a blob upload's
 * Location: oras-go v2 before v2.6.1 copies the Authorization header to that upload without comparing origins
 * (GHSA-jxpm-75mh-9fp7, fixed by oras-project/oras-go#1152 in v2.6.1, which also drops the header on a
 * redirect to another scheme, host or port: GHSA-vh4v-2xq2-g5cg). Helm moved to oras-go v2 in 3.18.0 and,
 * by its go.mod, ships v2.6.1 from 3.21.1 and 4.2.1 on (every 4.x before has v2.6.0); older Helm 3 pushed
 * through containerd, which drops the credentials when the Location changes host or scheme.
 */
function forwardsCredentials(version) {
    if (version.major === 3)
        return atLeast(version, 3, 18) && !atLeast(version, 3, 21, 1);
    return version.major === 4 && !atLeast(version, 4, 2, 1);
}
/** What the run should know before the password goes anywhere; the run goes on regardless. */
function credentialWarnings(version, needs, registryHost) {
    if (!needs.push || !needs.login)
        return [];
    const warnings = [];
    if (forwardsCredentials(version)) {
        warnings.push(`helm ${version.text} sends the registry credentials (with basic auth, the password itself) to any host ` +
            `the registry names for a blob upload, not only to ${registryHost} (oras-go GHSA-jxpm-75mh-9fp7): a ` +
            'hostile or hijacked registry can collect them. Helm 4.2.1 and 3.21.1 and later do not; set input ' +
            `helm-version: ${RECOMMENDED_HELM} to have the action install one.`);
    }
    if (needs.plainHttp && !isLoopbackHost(registryHost)) {
        warnings.push(`Input plain-http sends the password for ${registryHost} across the network in clear text: anyone on ` +
            'the way can read it and push in your name. Use HTTPS for a registry off this machine; plain-http is ' +
            'for one on 127.0.0.1 or localhost.');
    }
    return warnings;
}
/** Refuses, before anything changes, a run the installed helm cannot carry out, and says which helm can. */
function checkHelmSupports(version, needs) {
    const helm = `helm ${version.text}`;
    if (!atLeast(version, 3, 8)) {
        throw new Error(`${helm} cannot push to OCI registries; that needs Helm 3.8 or later. ${FIX}`);
    }
    if (!needs.push)
        return;
    if (needs.plainHttp && !atLeast(version, 3, 13)) {
        throw new Error(`Input plain-http needs Helm 3.13 or later (helm push --plain-http); ${helm} lacks it. ${FIX}`);
    }
    const withBuild = needs.versions.find(wanted => wanted.includes('+'));
    if (version.major === 3 && version.minor === 18 && version.patch === 0 && withBuild !== undefined) {
        throw new Error(`${helm} cannot push version ${(0,src_text/* show */.WU)(withBuild)}: it fails with "not found" on any version with build ` +
            `metadata (helm/helm#30881, fixed in 3.18.1). Use Helm 3.18.1 or later, e.g. set input helm-version: ${RECOMMENDED_HELM}.`);
    }
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: ./src/state.ts
var state = __webpack_require__(2462);
;// CONCATENATED MODULE: ./src/helm/processes.ts




/**
 * Every helm the action starts leads a process group of its own, and the groups still running are kept in
 * the step's saved state. A runner that kills the main step (SIGKILL) ends only the step's own process, and
 * an orphaned `helm push` would go on to publish after the post step had removed its credentials; the post
 * step stops the groups the state names. Windows has no process groups: there a child is killed by its pid.
 */
const USES_GROUPS = process.platform !== 'win32';
/** How long a stopped helm gets to exit on SIGTERM before it is killed. */
const GRACE_MS = 2000;
/** The command line of each helm still running, by the pid that is also its group's id. */
const running = new Map();
/** Set once the step stops its helm: a call the rest of the run starts after that would outlive the step. */
let stopped = false;
function saveRunning() {
    core/* saveState */.LZ(state/* STATE */.c.helmGroups, [...running.keys()].join(' '));
}
/** Spawns a helm command in a process group of its own, tracked until it exits; none once the step stopped its helm. */
function spawnHelm(bin, args, env) {
    if (stopped)
        throw new Error(`helm ${args[0]} was not started: the step is stopping its helm calls.`);
    const child = (0,external_node_child_process_.spawn)(bin, args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: USES_GROUPS });
    const { pid } = child;
    if (pid !== undefined) {
        running.set(pid, ['helm', ...args].join(' '));
        saveRunning();
        child.once('exit', () => {
            running.delete(pid);
            saveRunning();
        });
    }
    return child;
}
/** Sends a signal to a helm's whole group; false once nothing of the group is left. */
function signalGroup(pid, signal) {
    try {
        process.kill(USES_GROUPS ? -pid : pid, signal);
        return true;
    }
    catch (error) {
        if (error.code === 'ESRCH')
            return false;
        throw error;
    }
}
/** The groups of `pids` still running after up to GRACE_MS of waiting for them to go. */
async function survivors(pids) {
    let left = pids.filter(pid => signalGroup(pid, 0));
    for (const deadline = Date.now() + GRACE_MS; left.length && Date.now() < deadline; left = left.filter(pid => signalGroup(pid, 0)))
        await (0,promises_.setTimeout)(50);
    return left;
}
/**
 * Stops the given helm groups: SIGTERM, then SIGKILL for whatever is left after a grace period. Resolves when
 * nothing of them runs. A group id is the pid of the helm that led it; the kernel hands a pid out again only
 * after it wrapped around pid_max, far beyond the few seconds between a killed main step and its post step.
 */
async function stopGroups(pids) {
    const left = await survivors(pids.filter(pid => signalGroup(pid, 'SIGTERM')));
    for (const pid of left)
        signalGroup(pid, 'SIGKILL');
    await survivors(left);
}
/** The helm commands still running, for the message of a cancelled step. */
function runningCommands() {
    return [...running.values()];
}
/** Stops every helm this step started that still runs, and any the rest of the run would start. */
function stopRunningHelm() {
    stopped = true;
    return stopGroups([...running.keys()]);
}
/** The helm groups a killed main step left, as its saved state names them. */
function savedGroups(text) {
    return text
        .split(' ')
        .filter(word => /^[1-9][0-9]*$/.test(word))
        .map(Number);
}

;// CONCATENATED MODULE: ./src/helm/helm.ts






// `--flag=value`: a values file's name may start with a dash.
const valuesArgs = ({ valuesFiles = [], kubeVersion = '' }) => [
    ...valuesFiles.map(file => `--values=${file}`),
    ...(kubeVersion ? [`--kube-version=${kubeVersion}`] : [])
];
const TWO_WORD_COMMANDS = new Set(['dependency', 'registry', 'repo']);
const DIGEST_LINE = /^Digest:\s*(sha256:[0-9a-f]{64})\s*$/m;
/** The input timeout's default. */
const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/**
 * helm's work on local files, with no registry or chart repository to wait for. The input timeout bounds the
 * waiting on a registry; these commands get at least its default, so that a short timeout chosen for a stalling
 * registry does not stop a lint or package that a busy runner makes slow.
 */
const LOCAL_COMMANDS = new Set(['lint', 'template', 'package', 'verify', 'version']);
class HelmError extends Error {
    subcommand;
    exitCode;
    stderr;
    /** Killed at the time limit rather than failed by itself. */
    timedOut;
    /** `stoppedAfter`: the time limit and where it comes from (`5m (input timeout)`) when helm was killed at it. */
    constructor(subcommand, exitCode, stdout, stderr, stoppedAfter) {
        const detail = [stderr.trim(), stdout.trim()].filter(Boolean).join('\n') || '(no output)';
        super(stoppedAfter
            ? `helm ${subcommand} did not finish within ${stoppedAfter} and was stopped. It had said:\n${detail}`
            : `helm ${subcommand} failed (exit code ${exitCode}):\n${detail}`);
        this.name = 'HelmError';
        this.subcommand = subcommand;
        this.exitCode = exitCode;
        this.stderr = stderr;
        this.timedOut = stoppedAfter !== undefined;
    }
}
/**
 * Spawns helm itself rather than through @actions/exec, whose getExecOutput cannot stop a process: a helm
 * stalled on a registry that never answers is killed at the time limit. The limit is helm's own time, counted
 * from when it started: a timer that fires late, because the step's own work held the event loop, first lets
 * the loop take in what happened meanwhile, and a helm that has exited by then finished within its time.
 */
function execute(bin, args, env, stdin, timeoutMs) {
    return new Promise((resolve, reject) => {
        const child = spawnHelm(bin, args, env);
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        const timer = setTimeout(() => setImmediate(() => {
            if (child.exitCode !== null || child.signalCode !== null)
                return;
            timedOut = true;
            if (child.pid !== undefined)
                signalGroup(child.pid, 'SIGKILL');
        }), timeoutMs);
        child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
        child.once('error', error => {
            clearTimeout(timer);
            reject(error);
        });
        child.once('close', code => {
            clearTimeout(timer);
            resolve({ exitCode: code ?? -1, stdout, stderr, timedOut });
        });
        // helm may exit without reading stdin (a failed lookup before login); that is not an error of ours.
        child.stdin.once('error', () => undefined);
        child.stdin.end(stdin);
    });
}
/** The one way the action runs helm: argv arrays, output captured, a time limit, failures as HelmError. */
class helm_Helm {
    bin;
    env;
    timeoutMs;
    /** `overrides` (HELM_* paths of this run) are laid over what helm may see of the step's environment. */
    constructor(bin, overrides, timeoutMs = DEFAULT_TIMEOUT_MS) {
        this.bin = bin;
        this.env = { ...childEnvironment(process.env, 'helm'), ...overrides };
        this.timeoutMs = timeoutMs;
    }
    async run(args, options = {}) {
        const local = LOCAL_COMMANDS.has(args[0]) && this.timeoutMs < DEFAULT_TIMEOUT_MS;
        const limitMs = local ? DEFAULT_TIMEOUT_MS : this.timeoutMs;
        const output = await execute(this.bin, args, this.env, options.stdin ?? '', limitMs);
        if (output.exitCode !== 0 || output.timedOut) {
            const words = TWO_WORD_COMMANDS.has(args[0]) ? args.slice(0, 2) : args.slice(0, 1);
            const source = local ? `helm's local work gets at least that, whatever input timeout says` : 'input timeout';
            const stoppedAfter = output.timedOut ? `${(0,src_text/* formatDuration */.a3)(limitMs)} (${source})` : undefined;
            throw new HelmError(words.join(' '), output.exitCode, output.stdout, output.stderr, stoppedAfter);
        }
        return { command: ['helm', ...args].join(' '), stdout: output.stdout, stderr: output.stderr };
    }
    async version() {
        const { stdout } = await this.run(['version', '--template', '{{.Version}}']);
        const version = parseHelmVersionOutput(stdout);
        if (!version)
            throw new Error(`${this.bin} does not look like helm: \`helm version\` printed ${(0,src_text/* show */.WU)(stdout)}.`);
        return version;
    }
    /**
     * The chart's metadata and manifest digest as the registry holds them (`helm show chart` pulls the chart
     * and prints the same Digest line as a pull).
     */
    async showChart(chartUrl, version, plainHttp) {
        const args = ['show', 'chart', chartUrl, '--version', version];
        const result = await this.run(plainHttp ? [...args, '--plain-http'] : args);
        const digest = parseDigest(result.stdout, result.stderr);
        // Newer helm prints its Pulled/Digest notes on stdout too, ahead of the Chart.yaml that starts at apiVersion.
        const chartYaml = result.stdout.slice(Math.max(0, result.stdout.search(/^apiVersion:/m)));
        (0,bounds/* checkYamlDepth */.BQ)(chartYaml, `The Chart.yaml helm show chart printed for ${chartUrl} ${version},`);
        const meta = (0,dist/* parse */.qg)(chartYaml);
        const field = (key) => (0,src_text/* textOf */.b6)(meta && typeof meta === 'object' ? meta[key] : undefined);
        if (!digest)
            throw new Error(`helm show chart reported no "Digest:" line for ${chartUrl} ${version}.`);
        return { ...result, digest, name: field('name'), version: field('version') };
    }
    /** Lints each of the charts (with the same values); fails when any of them fails, after linting all of them. */
    lint(chartDirs, strict, values = {}) {
        return this.run(['lint', ...chartDirs, ...(strict ? ['--strict'] : []), ...valuesArgs(values)]);
    }
    /** The chart's manifests as `helm install` would send them, hooks and tests included, each after `# Source:`. */
    template(chartDir, releaseName, namespace, values) {
        return this.run(['template', releaseName, chartDir, '--namespace', namespace, ...valuesArgs(values)]);
    }
    repoAdd(name, url) {
        return this.run(['repo', 'add', name, url, '--force-update']);
    }
    dependencyBuild(chartDir) {
        return this.run(['dependency', 'build', chartDir]);
    }
    /** Resolves the dependencies anew and rewrites Chart.lock: for a lock the action cannot move itself. */
    dependencyUpdate(chartDir) {
        return this.run(['dependency', 'update', chartDir]);
    }
    /**
     * Packages the charts in turn; stops at the first that fails. With `sign`, each gets a `.prov` beside it. The
     * passphrase goes in a file, not on stdin: Helm 3 reads stdin anew for every chart, and the second read fails.
     */
    packageCharts(chartDirs, destination, sign) {
        const signing = sign
            ? // `--key=`: a user ID that starts with a dash stays the flag's value.
                ['--sign', `--key=${sign.key}`, '--keyring', sign.keyring]
            : [];
        if (sign?.passphraseFile)
            signing.push('--passphrase-file', sign.passphraseFile);
        return this.run(['package', ...chartDirs, '--destination', destination, ...signing]);
    }
    /** Checks the chart's `.prov` beside it against the keyring; fails when the signature or a hash does not match. */
    async verify(packagePath, keyring) {
        const result = await this.run(['verify', packagePath, '--keyring', keyring]);
        const field = (name) => new RegExp(`^${name}:[ \\t]*(.*?)\\s*$`, 'm').exec(result.stdout)?.[1] ?? '';
        return { ...result, signedBy: field('Signed by'), fingerprint: field('Using Key With Fingerprint') };
    }
    registryLogin(host, username, password, plainHttp) {
        const args = ['registry', 'login', host, '--username', username, '--password-stdin'];
        return this.run(plainHttp ? [...args, '--plain-http'] : args, { stdin: password });
    }
    /**
     * Downloads the chart into `destination` as `<name>-<version>.tgz`, with `prov` its `.prov` too when it has one;
     * the digest is the manifest's.
     */
    async pull(chartUrl, version, destination, plainHttp, prov = false) {
        const args = ['pull', chartUrl, '--version', version, '--destination', destination, ...(prov ? ['--prov'] : [])];
        const result = await this.run(plainHttp ? [...args, '--plain-http'] : args);
        const digest = parseDigest(result.stdout, result.stderr);
        if (!digest)
            throw new Error(`helm pull reported no "Digest:" line for ${chartUrl} ${version}.`);
        return { ...result, digest };
    }
    async push(packagePath, registryUrl, plainHttp) {
        const result = await this.run(['push', packagePath, registryUrl, ...(plainHttp ? ['--plain-http'] : [])]);
        const digest = parseDigest(result.stdout, result.stderr);
        if (!digest) {
            throw new Error(`helm push reported no "Digest:" line, so the pushed digest is unknown. helm said:\n${result.stderr}${result.stdout}`);
        }
        return { ...result, digest };
    }
}
/** What a phase prints of a helm call: the command, then helm's own output. */
function transcript(result) {
    return [`$ ${result.command}`, result.stdout.trimEnd(), result.stderr.trimEnd()].filter(Boolean).join('\n');
}
/** The digest helm prints after a push or pull; helm 4.2.0 and older print it on stderr, later ones on stdout. */
function parseDigest(stdout, stderr) {
    return DIGEST_LINE.exec(`${stdout}\n${stderr}`)?.[1];
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/log-group.ts


/**
 * Prints text that may come from the chart, helm or the registry so that the runner shows it and acts on none
 * of it: a line of it such as `::set-output …` or `##[add-mask]…` is no workflow command. The runner stops
 * processing commands until it sees the random token again, which the text cannot guess, so it cannot end the
 * block early. One write, so that no other line of the step lands inside the block or is cut off by a kill.
 */
function printInert(text) {
    const token = (0,external_node_crypto_.randomUUID)();
    core/* info */.pq(`::stop-commands::${token}\n${text}\n::${token}::`);
}
/**
 * A log group whose lines are held until the work ends, so that groups running at the same time still print
 * as one unbroken group each, titled with how long the work took. The group is printed on failure too, with
 * what it had logged.
 */
async function logGroup(title, work) {
    const lines = [];
    const start = performance.now();
    try {
        return await work(text => lines.push(text));
    }
    finally {
        core/* startGroup */.Oh(`${title} (${Math.round(performance.now() - start)} ms)`);
        if (lines.length)
            printInert(lines.join('\n'));
        core/* endGroup */.N4();
    }
}

;// CONCATENATED MODULE: ./src/build/split-output.ts
const LINT_HEADER = '==> Linting ';
/** helm lint's count at the end: printed on stdout when every chart passed, as the error on stderr otherwise. */
const LINT_COUNT = /^(Error: )?[0-9]+ chart\(s\) linted, [0-9]+ chart\(s\) failed$/;
const lines = (text) => (text ? text.replace(/\n$/, '').split('\n') : []);
/**
 * helm lint's stdout: one section per chart in the order given, from `==> Linting <dir>` as the directory was
 * passed, to the next section or the count that ends the output. A section ends with an empty line; its
 * messages may span lines, so only a header starts a new section.
 */
function lintSections(text, dirs) {
    let current;
    return lines(text).map(line => {
        if (line.startsWith(LINT_HEADER)) {
            const index = dirs.indexOf(line.slice(LINT_HEADER.length));
            if (index >= 0)
                current = index;
        }
        else if (LINT_COUNT.test(line)) {
            current = undefined;
        }
        return current;
    });
}
/** Where `mark` (a path) occurs in `line` as a whole path or the start of a longer one: `/a/api` is not in `/a/api-gateway`. */
function pathAt(line, mark) {
    for (let at = line.indexOf(mark); at >= 0; at = line.indexOf(mark, at + 1)) {
        if (!/[A-Za-z0-9._-]/.test(line.charAt(at + mark.length)))
            return at;
    }
    return -1;
}
/**
 * For lines that name paths (helm package's `Successfully packaged chart and saved it to: <package>`, helm's
 * notes about a chart's symlinks on stderr): the chart whose directory or package the line names first, the
 * longer path winning at the same place (a chart directory inside another).
 */
function mentions(text, charts) {
    return lines(text).map(line => {
        let owner;
        let ownerAt = Infinity;
        let ownerLength = 0;
        charts.forEach((chart, index) => {
            for (const mark of [chart.dir, chart.packagePath]) {
                const at = pathAt(line, mark);
                if (at >= 0 && (at < ownerAt || (at === ownerAt && mark.length > ownerLength))) {
                    owner = index;
                    ownerAt = at;
                    ownerLength = mark.length;
                }
            }
        });
        return owner;
    });
}
/** What chart `index` sees of `text`: its own lines and the ones about none, in helm's order. */
function view(text, owners, index) {
    return lines(text)
        .filter((_, line) => owners[line] === undefined || owners[line] === index)
        .join('\n');
}
/** Each chart's transcript of one helm call over all of them: the command, then its part of helm's output. */
function transcripts(result, charts, stdoutOwners) {
    const stderrOwners = mentions(result.stderr, charts);
    return charts.map((_, index) => [`$ ${result.command}`, view(result.stdout, stdoutOwners, index), view(result.stderr, stderrOwners, index)]
        .map(text => text.trimEnd())
        .filter(Boolean)
        .join('\n'));
}
/** `helm lint <dirs…>` cut into each chart's part: its section, and the lines about all of them. */
function lintTranscripts(result, charts) {
    return transcripts(result, charts, lintSections(result.stdout, charts.map(chart => chart.dir)));
}
/** `helm package <dirs…>` cut into each chart's part: the line naming its package, and the lines about none. */
function packageTranscripts(result, charts) {
    return transcripts(result, charts, mentions(result.stdout, charts));
}

;// CONCATENATED MODULE: ./src/build/repositories.ts



/**
 * The http(s) repositories the dependencies name, each under a name derived from its URL, so that
 * `helm dependency build` finds them without a `helm repo add` step of the user's. oci:// and file://
 * dependencies need no repository entry.
 */
function repositoriesToAdd(dependencies) {
    const urls = new Set(dependencies.map(dep => dep.repository).filter(url => /^https?:\/\//i.test(url)));
    return [...urls].map(url => ({
        name: `helm-release-${(0,external_node_crypto_.createHash)('sha256').update(url).digest('hex').slice(0, 12)}`,
        url
    }));
}
/** Adds the http(s) repositories every chart's dependencies name, once, before any dependency build. */
async function addRepositories(helm, charts) {
    const repositories = repositoriesToAdd(charts.flatMap(chart => chart.meta.dependencies));
    if (repositories.length === 0)
        return;
    await logGroup('Chart repositories', async (log) => {
        for (const repository of repositories)
            log(transcript(await helm.repoAdd(repository.name, repository.url)));
    });
}

;// CONCATENATED MODULE: ./src/runs.ts
/**
 * `items` cut into at most `count` runs that keep their order and differ in size by one at most, the longer
 * runs first: 257 charts in 256 jobs are one job of 2 and 255 of 1, where runs of ceil(257 / 256) = 2 would
 * be 129 jobs, each as long as the longest. Serves the plan's matrix jobs (max-jobs) and the build's lanes
 * (parallel).
 */
function balancedRuns(items, count) {
    const runs = Math.min(count, items.length);
    const result = [];
    for (let run = 0, start = 0; run < runs; run++) {
        const length = Math.floor(items.length / runs) + (run < items.length % runs ? 1 : 0);
        result.push(items.slice(start, (start += length)));
    }
    return result;
}

;// CONCATENATED MODULE: ./src/build/schedule.ts

/** At most `limit` holders at a time; the rest wait in arrival order. */
function limiter(limit) {
    let running = 0;
    const waiting = [];
    return async (work) => {
        if (running >= limit)
            await new Promise(resolve => waiting.push(resolve));
        running++;
        try {
            return await work();
        }
        finally {
            running--;
            waiting.shift()?.();
        }
    };
}
/**
 * The names by level: a name goes one level after the deepest of the names it depends on (names not in `order`
 * do not count), so that a level's names depend only on earlier levels. `order` must list every name after
 * the names it depends on.
 */
function levels(order, dependsOn) {
    const levelOf = new Map();
    const result = [];
    for (const name of order) {
        const level = Math.max(-1, ...(dependsOn.get(name) ?? []).map(dep => levelOf.get(dep) ?? -1)) + 1;
        levelOf.set(name, level);
        (result[level] ??= []).push(name);
    }
    return result;
}
/**
 * Runs `work` level by level (see levels()): a level's names, once the names they depend on are done, cut into
 * at most `limit` lanes that run side by side; `work` answers for every name of its lane, in order. A
 * failure does not stop the others; the names that depend on a failed one are skipped, since their input is
 * missing. Lanes let one helm call serve several charts: each call costs tens of milliseconds of CPU
 * however small the chart.
 */
async function scheduleLevels(order, dependsOn, limit, work) {
    const results = new Map();
    for (const level of levels(order, dependsOn)) {
        const ready = [];
        for (const name of level) {
            const missing = (dependsOn.get(name) ?? []).filter(dep => results.has(dep) && results.get(dep).status !== 'done');
            if (missing.length)
                results.set(name, { status: 'skipped', reason: `${missing.join(', ')} did not build` });
            else
                ready.push(name);
        }
        await Promise.all(balancedRuns(ready, limit).map(async (lane) => {
            const settled = await work(lane).catch((error) => lane.map(() => ({ status: 'rejected', reason: error })));
            lane.forEach((name, index) => results.set(name, taskResult(settled[index])));
        }));
    }
    return new Map(order.map(name => [name, results.get(name)]));
}
function taskResult(settled) {
    if (settled.status === 'fulfilled')
        return { status: 'done', value: settled.value };
    const { reason } = settled;
    return { status: 'failed', error: reason instanceof Error ? reason : new Error(String(reason)) };
}
/**
 * Promise.all that waits for every promise before it rejects with the first failure: what the action started
 * (helm calls) has ended by the time an error unwinds to the clean-up that removes their credentials.
 */
async function settleAll(promises) {
    const results = await Promise.allSettled(promises);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed)
        throw failed.reason;
    return results.map(result => result.value);
}

// EXTERNAL MODULE: external "node:fs/promises"
var external_node_fs_promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./src/chart-files/read-text.ts

/**
 * helm's limit on one file of a chart directory (MaxDecompressedFileSize in pkg/chart/loader, 3.18 and 4.x):
 * helm refuses a larger Chart.yaml or values.yaml, so the action refuses it before reading it whole.
 */
const HELM_MAX_FILE_BYTES = 5 * 1024 * 1024;
// ignoreBOM keeps a byte-order mark in the text, so that a rewritten file keeps it too (helm strips it).
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
const REPLACEMENT = [0xef, 0xbf, 0xbd];
/**
 * The offset of the first byte that is not UTF-8, or undefined when all of them are. The decoder does not say
 * where it stopped, so the lenient decoding is walked: up to the first U+FFFD that the bytes do not spell
 * out themselves, every character stands for its own UTF-8 bytes.
 */
function firstNonUtf8Byte(bytes) {
    try {
        strict.decode(bytes);
        return undefined;
    }
    catch {
        let offset = 0;
        for (const char of lenient.decode(bytes)) {
            const point = char.codePointAt(0);
            if (point === 0xfffd && REPLACEMENT.some((byte, index) => bytes[offset + index] !== byte))
                return offset;
            offset += point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
        }
        return offset;
    }
}
/** A file's bytes as text, or an error naming the file and its first byte that is not UTF-8. */
function decodeUtf8(bytes, file) {
    const bad = firstNonUtf8Byte(bytes);
    if (bad === undefined)
        return strict.decode(bytes);
    const hex = bytes[bad].toString(16).padStart(2, '0');
    throw new Error(`${file} is not UTF-8: byte 0x${hex} at offset ${bad} is not part of a UTF-8 character. helm reads chart ` +
        'files as UTF-8, and rewriting it would replace the character. Save the file as UTF-8.');
}
/**
 * A chart file the action reads and rewrites (Chart.yaml, Chart.lock, the values file), refused as helm
 * would refuse it (too large) or would misread it (not UTF-8), before any file is written. The size is
 * looked at first, so that a huge file is never read.
 */
async function readChartText(file) {
    const info = await (0,external_node_fs_promises_.stat)(file);
    if (!info.isFile())
        throw new Error(`${file} is not a regular file; helm loads only regular files from a chart.`);
    if (info.size > HELM_MAX_FILE_BYTES) {
        throw new Error(`${file} is ${info.size} bytes, more than the ${HELM_MAX_FILE_BYTES} (5 MiB) helm loads from one chart ` +
            'file. Make it smaller.');
    }
    return decodeUtf8(await (0,external_node_fs_promises_.readFile)(file), file);
}

;// CONCATENATED MODULE: ./src/chart-files/yaml-splice.ts



/** Parses a file that must hold one YAML mapping; `shape` tells the reader what that mapping should hold. */
function parseMapping(source, file, shape) {
    (0,bounds/* checkYamlDepth */.BQ)(source, file);
    const doc = (0,dist/* parseDocument */.Tp)(source, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length)
        throw new Error(`${file} is not valid YAML: ${doc.errors[0].message}`);
    if (!(0,dist/* isMap */.jh)(doc.contents))
        throw new Error(`${file} must be a YAML mapping (${shape}).`);
    return doc;
}
/**
 * A field as the text a reader of the file would take it for, as the file spells it (`1.0`, not the number 1
 * YAML makes of it); empty when missing or null.
 */
function stringAt(doc, path) {
    const node = doc.getIn(path, true);
    if ((0,dist/* isScalar */.jn)(node) && typeof node.value !== 'string' && node.value !== null && node.source)
        return node.source;
    return (0,src_text/* textOf */.b6)(doc.getIn(path));
}
/** Renders a string scalar in the style the file already used, quoting a plain one only where YAML needs it. */
function renderScalar(value, type) {
    if (type === dist/* Scalar */.X5.QUOTE_DOUBLE)
        return JSON.stringify(value);
    if (type === dist/* Scalar */.X5.QUOTE_SINGLE)
        return `'${value.replaceAll("'", "''")}'`;
    // stringify quotes values such as 1.0 or true that would otherwise be read back as a number or boolean.
    return (0,dist/* stringify */.As)(value).trimEnd();
}
/**
 * The edit that puts `value` where `node` stands. An empty null (`tag:` or `tag: # comment`) has a range of
 * length zero, so blanks go around the value where the neighbours would otherwise run into it.
 */
function replaceScalar(source, node, value) {
    const [start, end] = node.range;
    const text = renderScalar(value, node.type);
    if (start !== end)
        return { start, end, text };
    const before = source[start - 1] === ':' ? ' ' : '';
    const after = source[end] === '#' ? ' ' : '';
    return { start, end, text: before + text + after };
}
/** The line break the file uses, so that an added line matches its neighbours. */
function lineBreak(source) {
    return source.includes('\r\n') ? '\r\n' : '\n';
}
/** How far the file indents a nested line: the least indentation of any line with content, 2 when none has any. */
function indentStep(source) {
    let step = Infinity;
    for (const [, blanks] of source.matchAll(/^( +)[^ #\r\n]/gm))
        step = Math.min(step, blanks.length);
    return step === Infinity ? 2 : step;
}
/** The column of an offset; a byte-order mark at the start of the file takes none. */
function columnOf(source, offset) {
    const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
    return offset - lineStart - (lineStart === 0 && source.startsWith('\uFEFF') ? 1 : 0);
}
/** Where the line after `offset`'s begins; the end of the file when that line is the last and has no break. */
function nextLine(source, offset) {
    const newline = source.indexOf('\n', offset);
    return newline === -1 ? { at: source.length, before: lineBreak(source) } : { at: newline + 1, before: '' };
}
/**
 * A plain scalar in a flow mapping must not hold , [ ] { }, which would end it, nor span lines as a block
 * scalar; such text goes in double quotes.
 */
function flowScalar(text) {
    const plain = renderScalar(text, dist/* Scalar */.X5.PLAIN);
    return /[,[\]{}\n]/.test(plain) ? JSON.stringify(text) : plain;
}
/**
 * `key: value` as lines of a block mapping at `indent`: a value of several lines (an annotation that holds
 * YAML of its own) becomes a block scalar whose lines go one `step` deeper. Never folded, so a long value
 * stays on its line.
 */
function blockEntry(key, value, indent, step, eol) {
    const lines = (0,dist/* stringify */.As)({ [key]: value }, { indent: step.length, lineWidth: 0 })
        .trimEnd()
        .split('\n');
    return lines.map(line => `${indent}${line}${eol}`).join('');
}
/**
 * The edits that add `key: value` to the mapping under the top-level key `parent`, as a person would write it:
 * a block mapping gets a line of its own right below `parent:`, at the indentation of its keys (above any
 * comment that introduces its first key); a flow mapping gets the entry first; `parent:` left empty (null)
 * gets a block mapping of the one line; and a missing `parent` is added after the last top-level key, before
 * a document end marker or a trailing comment.
 */
function addEntry(source, doc, file, [parent, key], value) {
    const top = doc.contents;
    const eol = lineBreak(source);
    const step = ' '.repeat(indentStep(source));
    const pair = top.items.find(item => (0,dist/* isScalar */.jn)(item.key) && item.key.value === parent);
    if (!pair) {
        const end = top.range[1];
        const before = end > 0 && source[end - 1] !== '\n' ? eol : '';
        const indent = ' '.repeat(columnOf(source, top.range[0]));
        return [
            { start: end, end, text: `${before}${indent}${parent}:${eol}${blockEntry(key, value, indent + step, step, eol)}` }
        ];
    }
    const keyNode = pair.key;
    const node = pair.value;
    if ((0,dist/* isMap */.jh)(node) && node.flow) {
        const first = node.items[0]?.key;
        const at = (0,dist/* isScalar */.jn)(first) && first.range ? first.range[0] : node.range[0] + 1;
        const entry = `${flowScalar(key)}: ${flowScalar(value)}`;
        return [{ start: at, end: at, text: node.items.length ? `${entry}, ` : entry }];
    }
    if ((0,dist/* isMap */.jh)(node) && (0,dist/* isScalar */.jn)(node.items[0]?.key) && node.items[0].key.range) {
        const { at } = nextLine(source, keyNode.range[1]);
        const indent = ' '.repeat(columnOf(source, node.items[0].key.range[0]));
        return [{ start: at, end: at, text: blockEntry(key, value, indent, step, eol) }];
    }
    if (node === null || ((0,dist/* isScalar */.jn)(node) && node.value === null)) {
        const edits = [];
        // `~` or `null` goes with the blanks before it, so that the mapping below is the value and no line ends in
        // a blank; an empty value has nothing to take away.
        if ((0,dist/* isScalar */.jn)(node) && node.range && node.range[0] !== node.range[1]) {
            let start = node.range[0];
            while (source[start - 1] === ' ' || source[start - 1] === '\t')
                start--;
            edits.push({ start, end: node.range[1], text: '' });
        }
        const { at, before } = nextLine(source, (node?.range ?? keyNode.range)[1]);
        const indent = ' '.repeat(columnOf(source, keyNode.range[0])) + step;
        edits.push({ start: at, end: at, text: `${before}${blockEntry(key, value, indent, step, eol)}` });
        return edits;
    }
    throw new Error(`${file}: ${parent} must be a mapping (one name: text per line) for ${key} to be added to it. Fix ${parent}, ` +
        `or add ${key} yourself.`);
}
function applyEdits(source, edits) {
    let result = source;
    for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
        result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
    }
    return result;
}
/** The scalar node at `path`, or a thrown error naming the path, the file and the fix. */
function scalarAt(doc, path, file, input) {
    const dotted = path.join('.');
    let node = doc.contents;
    for (const [depth, key] of path.entries()) {
        if (!(0,dist/* isMap */.jh)(node)) {
            const parent = path.slice(0, depth).join('.');
            throw new Error(`${file}: ${parent} is not a mapping, so ${input} ${(0,src_text/* show */.WU)(dotted)} cannot be set in it.`);
        }
        const pair = node.items.find(item => (0,dist/* isScalar */.jn)(item.key) && String(item.key.value) === key);
        if (!pair) {
            throw new Error(`${file} has no ${dotted} (input ${input} ${(0,src_text/* show */.WU)(dotted)}): ${path.slice(0, depth + 1).join('.')} is ` +
                `missing. Add it to ${file}, or fix the path; the action does not add keys.`);
        }
        node = pair.value;
    }
    if (!(0,dist/* isScalar */.jn)(node) || !node.range) {
        throw new Error(`${file}: ${dotted} must be a single value (e.g. ${dotted}: "") to be set from ${input}.`);
    }
    return node;
}
/** Sets string values at key paths, then reads the result back: a splice that changed meaning is an error. */
function setScalars(source, file, shape, values) {
    const doc = parseMapping(source, file, shape);
    const edits = values.map(({ path, value, input }) => replaceScalar(source, scalarAt(doc, path, file, input), value));
    const result = applyEdits(source, edits);
    verifyWritten(result, file, shape, values);
    return result;
}
function verifyWritten(result, file, shape, values) {
    const written = parseMapping(result, file, shape);
    const wrong = values.filter(({ path, value }) => stringAt(written, path) !== value);
    if (wrong.length) {
        const names = wrong.map(({ path }) => path.join('.')).join(', ');
        throw new Error(`${file}: rewriting ${names} did not read back as written; the file is left unchanged.`);
    }
}

;// CONCATENATED MODULE: ./src/charts/chart.ts






const CHART_SHAPE = 'apiVersion, name, version, …';
const parseChartDocument = (source, file) => parseMapping(source, file, CHART_SHAPE);
const stringField = (doc, key) => stringAt(doc, [key]);
function parseDependencies(doc, file) {
    const node = doc.get('dependencies', true);
    if (node === undefined || node === null || ((0,dist/* isScalar */.jn)(node) && node.value === null))
        return [];
    if (!(0,dist/* isSeq */.oP)(node))
        throw new Error(`${file}: dependencies must be a list.`);
    return node.items.map((item, index) => {
        if (!(0,dist/* isMap */.jh)(item))
            throw new Error(`${file}: dependencies[${index}] must be a mapping with name and version.`);
        const field = (key) => (0,src_text/* textOf */.b6)(item.get(key));
        return { name: field('name'), version: field('version'), repository: field('repository') };
    });
}
/** Reads what the action needs from Chart.yaml text and refuses a chart that helm could not publish to OCI. */
function parseChart(source, file) {
    const doc = parseChartDocument(source, file);
    const apiVersion = stringField(doc, 'apiVersion');
    if (apiVersion !== 'v2') {
        throw new Error(`${file} has apiVersion ${(0,src_text/* show */.WU)(apiVersion)}; OCI registries take Helm 3 charts. Set apiVersion: v2 ` +
            '(and move requirements.yaml into Chart.yaml dependencies if the chart has one).');
    }
    const name = stringField(doc, 'name');
    if (name === '')
        throw new Error(`${file} has no name. Add name: <chart-name> to it.`);
    // helm pushes the chart to <namespace>/<name>, so the name must be an OCI repository path component.
    if (!PATH_COMPONENT.test(name)) {
        throw new Error(`${file} has name ${(0,src_text/* show */.WU)(name)}, which cannot be an OCI repository name. Use lowercase letters and ` +
            `digits, with single '-', '_' or '.' between them (e.g. llm-proxy).`);
    }
    return {
        name,
        version: stringField(doc, 'version'),
        appVersion: stringField(doc, 'appVersion'),
        library: stringField(doc, 'type') === 'library',
        dependencies: parseDependencies(doc, file)
    };
}
/** The dependencies a Chart.yaml lists, read leniently: a file:// dependency may be any chart helm loads. */
async function readDependencies(file) {
    return parseDependencies(parseChartDocument(await readChartText(file), file), file);
}
async function readChart(dir, input) {
    const file = external_node_path_default().join(dir, 'Chart.yaml');
    let source;
    try {
        source = await readChartText(file);
    }
    catch (error) {
        if (error.code === 'ENOENT') {
            throw new Error(`No Chart.yaml in ${dir} (input chart: ${(0,src_text/* show */.WU)(input)}). Point chart at the directory that holds Chart.yaml.`);
        }
        throw error;
    }
    return { input, dir, file, source, meta: parseChart(source, file) };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./src/inputs/paths.ts



/** Whether the real path `target` is `root` or lies below it (a directory named `..chart` does). */
function isWithin(root, target) {
    const relative = external_node_path_default().relative(root, target);
    return relative !== '..' && !relative.startsWith(`..${(external_node_path_default()).sep}`) && !external_node_path_default().isAbsolute(relative);
}
/**
 * Resolves a path input against `base` and refuses anything that leaves the workspace (`../..`, an absolute
 * path elsewhere, a symlink out): the action rewrites files there, so it must stay in the checkout.
 */
function resolveInside(workspace, base, [input, given], kind, fix) {
    const root = (0,external_node_fs_.realpathSync)(workspace);
    const wanted = external_node_path_default().resolve(base, given);
    let real;
    try {
        real = (0,external_node_fs_.realpathSync)(wanted);
    }
    catch {
        throw new Error(`Input ${input} ${(0,src_text/* show */.WU)(given)}: ${kind} ${wanted} does not exist. ${fix}`);
    }
    if (!isWithin(root, real)) {
        throw new Error(`Input ${input} ${(0,src_text/* show */.WU)(given)} resolves to ${real}, outside the workspace ${root}. Give a path inside the repository.`);
    }
    return real;
}
function resolveChartDir(workspace, chart, inputName = 'chart') {
    return resolveInside(workspace, workspace, [inputName, chart], 'directory', 'Point it at the directory that holds Chart.yaml.');
}
/** values-file is relative to the chart, like the values.yaml helm reads. */
function resolveValuesFile(workspace, chartDir, file) {
    const fix = 'Give the values file relative to the chart directory.';
    return resolveInside(workspace, chartDir, ['values-file', file], 'file', fix);
}

;// CONCATENATED MODULE: ./src/charts/containment.ts





/**
 * Where a symlink leads, as a real path. A dangling or looping link is refused here: helm fails on it when it
 * packages the chart, and by then the release's files would have been written.
 */
async function linkTarget(link) {
    try {
        return await (0,external_node_fs_promises_.realpath)(link);
    }
    catch (error) {
        const target = external_node_path_default().resolve(external_node_path_default().dirname(link), await (0,external_node_fs_promises_.readlink)(link));
        const code = error.code;
        const why = code === 'ENOENT' ? 'which does not exist' : `which cannot be resolved (${code})`;
        throw new Error(`${link} is a symlink to ${target}, ${why}; helm cannot package a chart with it. Remove the link or restore ` +
            'its target.');
    }
}
function outsideError(link, target, root) {
    return new Error(`${link} is a symlink to ${target}, outside the workspace ${root}. A chart may hold only files of the ` +
        'repository: put the file itself in its place, or point the link inside the repository.');
}
/**
 * Refuses a chart directory whose files reach out of the workspace through a symlink, before any of them is
 * read: helm follows every link when it packages a chart (files and directories alike), so a link to a file
 * of the runner's machine would be published. Links inside the workspace stay, and linked directories are
 * walked as helm walks them. Every link is checked, .helmignore'd ones too: helm's ignore rules are a
 * dialect of their own, and the price of a refused ignored link is one link moved.
 *
 * `dir` must be a real path. `walked` holds the real directories already checked, so a directory that
 * several charts or links share is walked once. Walks one directory at a time, in order: the loop check
 * relies on the trail of the one walk under way.
 */
async function checkChartTree(root, dir, walked) {
    await walk(root, dir, [dir], walked);
}
async function walk(root, dir, trail, walked) {
    if (walked.has(dir))
        return;
    walked.add(dir);
    const entries = (await (0,external_node_fs_promises_.readdir)(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
        const entryPath = external_node_path_default().join(dir, entry.name);
        if (entry.isDirectory()) {
            await walk(root, entryPath, [...trail, entryPath], walked);
            continue;
        }
        if (!entry.isSymbolicLink())
            continue;
        const target = await linkTarget(entryPath);
        if (!isWithin(root, target))
            throw outsideError(entryPath, target, root);
        if (!(await (0,external_node_fs_promises_.stat)(target)).isDirectory())
            continue;
        // A link to a directory that holds the walk's own trail: helm goes round it until the kernel stops it (too
        // many levels of symbolic links), after the release's files are written, logging every lap.
        const loop = trail.find(place => isWithin(target, place));
        if (loop) {
            throw new Error(`${entryPath} is a symlink to ${target}, which leads back to ${loop}: helm would go round that loop ` +
                'until the system stops it. Remove the link.');
        }
        await walk(root, target, [...trail, target], walked);
    }
}
/** Where a `file://` dependency points: relative to the directory of the Chart.yaml that names it, as helm reads it. */
function fileDependencyPath(chartFile, dependency) {
    return external_node_path_default().resolve(external_node_path_default().dirname(chartFile), dependency.repository.slice('file://'.length));
}
/**
 * The real directory of a `file://` dependency, refused when it lies outside the workspace (helm would bundle
 * it into the package); undefined when it does not exist, which helm reports itself.
 */
async function fileDependencyDir(root, chartFile, dependency) {
    const wanted = fileDependencyPath(chartFile, dependency);
    const real = await (0,external_node_fs_promises_.realpath)(wanted).catch(() => undefined);
    const where = real ?? wanted;
    if (!isWithin(root, where)) {
        throw new Error(`${chartFile}: dependency ${dependency.name} has repository ${(0,src_text/* show */.WU)(dependency.repository)}, which resolves to ` +
            `${where}, outside the workspace ${root}. A file:// dependency must be a chart of the repository: ` +
            'publish it and use its repository URL, or move it into the repository.');
    }
    return real;
}
/**
 * Checks a chart's file:// dependencies, and theirs, as the chart itself: helm bundles each one into the
 * package. `visited` holds the Chart.yaml files whose dependencies are checked, so a cycle ends.
 */
async function checkFileDependencies(root, chartFile, dependencies, walked, visited = new Set()) {
    visited.add(chartFile);
    for (const dependency of dependencies.filter(dep => dep.repository.startsWith('file://'))) {
        const dir = await fileDependencyDir(root, chartFile, dependency);
        if (dir === undefined || visited.has(external_node_path_default().join(dir, 'Chart.yaml')))
            continue;
        await checkChartTree(root, dir, walked);
        const file = external_node_path_default().join(dir, 'Chart.yaml');
        // helm reports a dependency it cannot read; here such a one only has no dependencies of its own to check.
        const own = await readDependencies(file).catch(() => []);
        await checkFileDependencies(root, file, own, walked, visited);
    }
}

;// CONCATENATED MODULE: ./src/build/stamp.ts







/**
 * The directories helm reads when it packages `chart`: its own, and those of its file:// dependencies and
 * theirs (`helm dependency build` packages each into charts/ with its files' times). Paths are resolved
 * against the directory of the Chart.yaml that names them, as helm resolves them.
 */
async function chartTrees(chart) {
    const dirs = [chart.dir];
    for (let index = 0; index < dirs.length; index++) {
        const dependencies = index === 0
            ? chart.meta.dependencies
            : await readDependencies(external_node_path_default().join(dirs[index], 'Chart.yaml')).catch(() => []);
        for (const dependency of dependencies.filter(dep => dep.repository.startsWith('file://'))) {
            const dir = fileDependencyPath(external_node_path_default().join(dirs[index], 'Chart.yaml'), dependency);
            if (!dirs.includes(dir))
                dirs.push(dir);
        }
    }
    return dirs;
}
/** A path and why its time could not be set, for the warning. */
const failure = (file, error) => `${file} (${error.code ?? String(error)})`;
async function stampFile(file, walk) {
    try {
        // lutimes: a file swapped for a link since it was looked at is not followed out.
        await (0,external_node_fs_promises_.lutimes)(file, walk.seconds, walk.seconds);
        walk.stamped++;
    }
    catch (error) {
        walk.failures.push(failure(file, error));
    }
}
async function stampTree(dir, walk) {
    if (walk.walked.has(dir))
        return;
    walk.walked.add(dir);
    const entries = await (0,external_node_fs_promises_.readdir)(dir, { withFileTypes: true }).catch((error) => {
        walk.failures.push(failure(dir, error));
        return [];
    });
    // Side by side: one by one, the round trips to the thread pool add up to more than the rest of a small build.
    await Promise.all(entries.map(async (entry) => {
        const entryPath = external_node_path_default().join(dir, entry.name);
        if (entry.isDirectory()) {
            // A directory's own time is not packaged (helm writes no directory entries), so only files get it.
            await stampTree(entryPath, walk);
        }
        else if (entry.isFile()) {
            await stampFile(entryPath, walk);
        }
        else if (entry.isSymbolicLink()) {
            // helm packages what a link leads to, with the time of that file, never the link's own. Links out of the
            // workspace were refused when the charts were read (charts/containment.ts); none is followed out here.
            const target = await (0,external_node_fs_promises_.realpath)(entryPath).catch(() => undefined);
            if (target === undefined || !isWithin(walk.root, target))
                return;
            const isDirectory = await (0,external_node_fs_promises_.stat)(target).then(found => found.isDirectory(), () => false);
            await (isDirectory ? stampTree(target, walk) : stampFile(target, walk));
        }
    }));
}
/**
 * Gives every file helm packages for `charts` the one time `date`. Helm 4 writes each file's modification
 * time into the package (pkg/chart/v2/util/save.go; Helm 4.1.4 ignores SOURCE_DATE_EPOCH), and a checkout's
 * files carry the time the checkout wrote them; with one time for all of them, the same sources package to
 * the same bytes. Helm 3 writes the time of packaging into every entry instead (pkg/chartutil/save.go at
 * v3.18.0: `ModTime: time.Now()`), so there nothing makes the package reproducible. The archives
 * `helm dependency build` writes into charts/ need no time of their own: helm reads the times inside an
 * archive, and those come from the files stamped here (or from the repository). Chart.lock is packaged with
 * its `generated:` time rather than the file's: a lock helm writes during the run (none committed, or one it
 * regenerates) holds the time it was written, which makes that package differ from run to run.
 *
 * A file whose time cannot be set (owned by another user, say) is no reason to stop a release: it is named
 * in a warning.
 */
async function stampCharts(charts, date) {
    await logGroup('File times', async (log) => {
        const walk = { seconds: date.seconds, root: date.workspace, walked: new Set(), stamped: 0, failures: [] };
        for (const chart of charts) {
            for (const dir of await chartTrees(chart)) {
                // A file:// dependency that is missing is helm's to report.
                const real = await (0,external_node_fs_promises_.realpath)(dir).catch(() => undefined);
                if (real !== undefined && isWithin(walk.root, real))
                    await stampTree(real, walk);
            }
        }
        const time = new Date(date.seconds * 1000).toISOString().replace('.000Z', 'Z');
        const files = walk.stamped === 1 ? '1 file' : `${walk.stamped} files`;
        log(`${files} of the charts set to ${time} (${date.from}), so that the same sources package to the same bytes.`);
        if (walk.failures.length) {
            core/* warning */.$e(`Could not set the time of ${walk.failures.length} chart files, so their packages are not reproducible: ` +
                `${walk.failures.slice(0, 5).join(', ')}${walk.failures.length > 5 ? ', …' : ''}`);
        }
    });
}

;// CONCATENATED MODULE: ./src/build/rendered-checks.ts



/** The line helm writes after each `---`, naming the template as `<chart>/templates/…`. */
const SOURCE = /^# Source: (.*)$/m;
/** A template's path in helm's error messages: `c/templates/a.yaml:3:5`, `(c/templates/a.yaml:1:4)`, `[ERROR] templates/a.yaml:`. */
const TEMPLATE_IN_ERROR = /(?:[^\s():"'`]+\/)?templates\/[^\s():"'`]+/;
const withoutChart = (template, chartName) => template.startsWith(`${chartName}/`) ? template.slice(chartName.length + 1) : template;
/** The template helm names in a failure of lint or template, relative to the chart directory. */
function failedTemplate(helmOutput, chartName) {
    const found = TEMPLATE_IN_ERROR.exec(helmOutput)?.[0];
    return found && withoutChart(found, chartName);
}
/**
 * `helm template` output cut into its documents. YAML 1.1, as Kubernetes reads manifests (sigs.k8s.io/yaml):
 * `name: on` is no string there. Repeated keys are let through, as helm lets them through.
 */
function renderedDocuments(output, chartName) {
    // Refused before the document API recurses into it: the template that made it, by the last `# Source:` before.
    const deep = (0,bounds/* yamlTooDeep */.up)(output);
    if (deep !== undefined) {
        const sources = [...output.slice(0, deep).matchAll(new RegExp(SOURCE.source, 'gm'))];
        const source = sources.at(-1)?.[1];
        const template = source === undefined ? '(no # Source: line)' : withoutChart(source, chartName);
        return [{ template, content: undefined, tooDeep: (0,bounds/* lineOf */.cA)(output, deep) }];
    }
    return (0,dist/* parseAllDocuments */.hR)(output, { version: '1.1', uniqueKeys: false }).map(doc => {
        const source = SOURCE.exec(output.slice(doc.range[0], doc.range[2]))?.[1];
        const template = source === undefined ? '(no # Source: line)' : withoutChart(source, chartName);
        if (doc.errors.length)
            return { template, content: undefined, error: doc.errors[0].message };
        try {
            return { template, content: doc.toJS() };
        }
        catch (error) {
            return { template, content: undefined, error: (0,src_text/* errorMessage */.gJ)(error) };
        }
    });
}
const isFields = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const fieldsAt = (value, key) => (isFields(value[key]) ? value[key] : {});
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUBDOMAIN = {
    valid: name => name.length <= 253 && DNS_SUBDOMAIN.test(name),
    rule: "a DNS-1123 subdomain: at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
};
const LABEL = {
    valid: name => name.length <= 63 && DNS_LABEL.test(name),
    rule: "a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit"
};
/** RBAC objects are named like path segments, so `system:metrics-reader` is fine there. */
const PATH_SEGMENT = {
    valid: name => name !== '.' && name !== '..' && !/[/%]/.test(name),
    rule: "a path segment: not '.' or '..', without '/' or '%'"
};
/** The name rules Kubernetes applies beyond the subdomain most kinds (and custom resources) take. */
const NAME_RULES = {
    Service: {
        valid: name => LABEL.valid(name) && /^[a-z]/.test(name),
        rule: "a DNS-1035 label: at most 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit"
    },
    Namespace: LABEL,
    Role: PATH_SEGMENT,
    ClusterRole: PATH_SEGMENT,
    RoleBinding: PATH_SEGMENT,
    ClusterRoleBinding: PATH_SEGMENT
};
/** Built-in kinds that live outside namespaces: a namespace set on one of them means nothing. */
const CLUSTER_SCOPED = new Set([
    'APIService',
    'ClusterRole',
    'ClusterRoleBinding',
    'CustomResourceDefinition',
    'IngressClass',
    'MutatingWebhookConfiguration',
    'Namespace',
    'PersistentVolume',
    'PriorityClass',
    'RuntimeClass',
    'StorageClass',
    'ValidatingWebhookConfiguration'
]);
/** `apps/v1` → `apps`; `v1` → the core group. apps/v1 and apps/v1beta2 serve the same objects. */
const groupOf = (apiVersion) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');
/**
 * What a cluster would refuse of the rendered documents although `helm template` let it through: a document
 * without apiVersion or kind, a name the kind does not allow (none at all, unless `generateName` asks the
 * cluster for one), and the same object twice. A resource without a namespace is in the release's
 * (`namespace`). The items of a `kind: List` (or `…List`) are resources of their own, as kubectl and helm
 * send them; the list itself needs no name. Hooks (`helm.sh/hook`, tests included) are left out of the
 * duplicate check: helm creates and deletes them on its own schedule (`hook-delete-policy`), so a hook may
 * reuse a name. Each problem is one line naming the template(s) and the resource; empty documents are skipped.
 */
function renderedProblems(documents, namespace) {
    const problems = [];
    const resources = [];
    const check = (template, content, where) => {
        if (content === null || content === undefined)
            return;
        const fields = isFields(content) ? content : {};
        const { apiVersion, kind } = fields;
        const missing = [
            typeof apiVersion === 'string' && apiVersion ? '' : 'apiVersion',
            typeof kind === 'string' && kind ? '' : 'kind'
        ].filter(Boolean);
        if (!isFields(content) || missing.length) {
            const what = isFields(content) ? `without ${missing.join(' or ')}` : 'that is no mapping';
            problems.push(`${(0,src_text/* show */.WU)(template)} renders a document ${what}${where}; Kubernetes cannot apply it.`);
            return;
        }
        const kindText = kind;
        if (kindText.endsWith('List') && Array.isArray(fields.items)) {
            fields.items.forEach((item, index) => check(template, item, ` (item ${index} of its ${kindText})`));
            return;
        }
        const metadata = fieldsAt(fields, 'metadata');
        const { name, generateName } = metadata;
        const clusterScoped = CLUSTER_SCOPED.has(kindText);
        const inNamespace = typeof metadata.namespace === 'string' && metadata.namespace ? metadata.namespace : namespace;
        const label = (shown) => [kindText, ...(clusterScoped ? [] : [inNamespace]), shown].join('/');
        if ((name === undefined || name === null || name === '') && typeof generateName === 'string' && generateName)
            return;
        const rule = NAME_RULES[kindText] ?? SUBDOMAIN;
        if (typeof name !== 'string' || !rule.valid(name)) {
            const absent = name === undefined || name === null || name === '';
            const shown = typeof name === 'string' && !absent ? name : absent ? '(no name)' : JSON.stringify(name);
            const problem = absent
                ? 'is missing'
                : typeof name === 'string'
                    ? `is not ${rule.rule}`
                    : 'is no string (YAML reads it as another type); quote it in the template';
            problems.push(`${(0,src_text/* show */.WU)(template)} renders ${(0,src_text/* show */.WU)(label(shown))}${where}, whose metadata.name ${problem}.`);
            return;
        }
        const annotations = fieldsAt(metadata, 'annotations');
        resources.push({
            template,
            label: label(name),
            key: [groupOf(apiVersion), kindText, clusterScoped ? '' : inNamespace, name].join('\0'),
            hook: typeof annotations['helm.sh/hook'] === 'string' && annotations['helm.sh/hook'] !== ''
        });
    };
    for (const document of documents) {
        if (document.tooDeep !== undefined)
            problems.push(`${(0,src_text/* show */.WU)(document.template)} renders a document nested deeper than ${bounds/* BOUNDS */.QT.depth} levels (line ` +
                `${document.tooDeep} of helm template's output); the action reads no deeper, and no cluster needs it.`);
        else if (document.error)
            problems.push(`${(0,src_text/* show */.WU)(document.template)} renders a document that is no YAML: ${(0,src_text/* show */.WU)(document.error)}.`);
        else
            check(document.template, document.content, '');
    }
    const first = new Map();
    for (const resource of resources.filter(({ hook }) => !hook)) {
        const earlier = first.get(resource.key);
        if (!earlier)
            first.set(resource.key, resource);
        else
            problems.push((earlier.template === resource.template
                ? `${(0,src_text/* show */.WU)(resource.template)} renders ${(0,src_text/* show */.WU)(resource.label)} twice`
                : `${(0,src_text/* show */.WU)(earlier.template)} and ${(0,src_text/* show */.WU)(resource.template)} both render ${(0,src_text/* show */.WU)(resource.label)}`) +
                '; a release holds each object once, so the second would fail or overwrite the first. Rename one of them.');
    }
    return problems;
}

;// CONCATENATED MODULE: ./src/build/validation.ts





/**
 * What `helm template` renders as: the release named after the chart (as the install line of the summary
 * names it) in namespace `default`, the same on every run, so a resource without a namespace is in `default`.
 */
const RELEASE_NAMESPACE = 'default';
/** chart-testing's convention: the chart's `ci/*-values.yaml`, by name, relative to the chart directory. */
async function ciValuesFiles(chartDir) {
    const entries = await (0,external_node_fs_promises_.readdir)(external_node_path_default().join(chartDir, 'ci'), { withFileTypes: true }).catch((error) => {
        if (['ENOENT', 'ENOTDIR'].includes(error.code ?? ''))
            return [];
        throw error;
    });
    return entries
        .filter(entry => (entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('-values.yaml'))
        .map(entry => `ci/${entry.name}`)
        .sort();
}
/**
 * Whether helm can take the file as `--values`: helm reads the flag as a line of CSV, so a comma, a quote or
 * a line break would cut the name into other paths (or URLs) than the file's.
 */
function valuesNameProblem(file) {
    if (!/[,"\r\n]/.test(file))
        return undefined;
    return `${(0,src_text/* show */.WU)(file)} cannot be given to helm: helm splits --values at commas, quotes and line breaks. Rename the file.`;
}
/**
 * Whether the chart is rendered: a library chart renders nothing; any other is rendered when it has ci values
 * files or a Kubernetes version is asked for. Each render is a helm process of its own (tens of milliseconds of
 * CPU), while `helm lint`, which already renders the defaults and fails on what does not render, takes a whole
 * lane at once: a chart without either is left to that lint.
 */
function rendersChart(library, ciFiles, kubeVersion) {
    return !library && (ciFiles.length > 0 || kubeVersion !== '');
}
/** `ci/x-values.yaml`, or the defaults, as a failure names them. */
const valuesLabel = (file) => (file === undefined ? "the chart's default values" : (0,src_text/* show */.WU)(file));
/** helm's failure, named by the values file and the template helm names in it. */
function helmFailure(error, chartName, file) {
    if (!(error instanceof HelmError))
        throw error;
    const template = failedTemplate(error.message, chartName);
    return `With ${valuesLabel(file)}${template ? ` (template ${(0,src_text/* show */.WU)(template)})` : ''}: ${error.message}`;
}
/** Lint (for a ci values file; the lane lints the defaults) and render with one values file, or the defaults. */
async function validateWith(helm, chart, file, options, render, log) {
    const values = {
        valuesFiles: file === undefined ? [] : [external_node_path_default().join(chart.dir, file)],
        kubeVersion: options.kubeVersion
    };
    if (file !== undefined) {
        const nameProblem = valuesNameProblem(file);
        if (nameProblem)
            return [nameProblem];
        try {
            log(transcript(await helm.lint([chart.dir], options.lintStrict, values)));
        }
        catch (error) {
            return [helmFailure(error, chart.meta.name, file)];
        }
    }
    if (!render)
        return [];
    let output;
    try {
        const result = await helm.template(chart.dir, chart.meta.name, RELEASE_NAMESPACE, values);
        output = result.stdout;
        log([`$ ${result.command}`, result.stderr.trimEnd()].filter(Boolean).join('\n'));
    }
    catch (error) {
        return [helmFailure(error, chart.meta.name, file)];
    }
    const documents = renderedDocuments(output, chart.meta.name);
    const problems = renderedProblems(documents, RELEASE_NAMESPACE);
    log(`${documents.length} document(s) rendered and checked, ${problems.length} problem(s).`);
    return problems.map(problem => `With ${valuesLabel(file)}: ${problem}`);
}
/**
 * The checks of a chart beyond the lane's `helm lint` of its defaults: `helm lint` with each of its ci values
 * files, and `helm template` with the defaults and with each of them (see rendersChart), whose documents must
 * be what a cluster takes (renderedProblems). One helm process at a time. Fails with every problem of every
 * values file, each naming the file and the template.
 */
async function validateChart(helm, chart, options, log) {
    const ciFiles = await ciValuesFiles(chart.dir);
    const render = rendersChart(chart.meta.library, ciFiles, options.kubeVersion);
    const problems = [];
    for (const file of [...(render ? [undefined] : []), ...ciFiles])
        problems.push(...(await validateWith(helm, chart, file, options, render, log)));
    if (problems.length)
        throw new Error(`Validation failed:\n${problems.join('\n')}`);
}

;// CONCATENATED MODULE: ./src/build/build.ts








/** A chart that failed before it had a package: the build's problem, not the registry's. */
function didNotBuild(outcome) {
    return Boolean(outcome.problem) && !outcome.packagePath && !outcome.digest;
}
function installCommand(outcome) {
    return `helm install ${outcome.chartName} ${outcome.location.url} --version ${outcome.version}`;
}
const packagePath = ({ chart, release }, destination) => external_node_path_default().join(destination, `${chart.meta.name}-${release.version}.tgz`);
/** `helm dependency build` (or update, for a lock the action could not move) when the chart has dependencies. */
async function buildDependencies(helm, prepared, log) {
    const { chart } = prepared;
    if (chart.meta.dependencies.length && prepared.relock) {
        log('Chart.lock pins in-repo charts this release moves and cannot be moved in place; helm regenerates it.');
        log(transcript(await helm.dependencyUpdate(chart.dir)));
    }
    else if (chart.meta.dependencies.length) {
        log(transcript(await helm.dependencyBuild(chart.dir)));
    }
}
/**
 * Lint and package of one chart side by side (they read the same files and write nothing into the chart), with
 * its validation (started by the lane); the first failure of the three is the chart's.
 */
async function lintAndPackage(helm, prepared, checks, destination, log, validated) {
    const results = await Promise.allSettled([
        helm.lint([prepared.chart.dir], checks.lintStrict, { kubeVersion: checks.kubeVersion }),
        helm.packageCharts([prepared.chart.dir], destination, checks.sign)
    ]);
    for (const result of results)
        if (result.status === 'fulfilled')
            log(transcript(result.value));
    // The validation settles before the chart's result too: none of its helm calls may outlive the build.
    const checked = await Promise.allSettled([validated]);
    for (const result of [...results, ...checked])
        if (result.status === 'rejected')
            throw result.reason;
    return packagePath(prepared, destination);
}
/**
 * The ready charts' validations (validateChart), one after the other beside the lane's lint and package: the
 * lane is one of the `parallel` places, and each render is a helm process of its own.
 */
function validateInTurn(helm, lane, ready, checks, logs) {
    let previous = Promise.resolve();
    return new Map(ready.map(index => {
        const validated = previous.then(() => validateChart(helm, lane[index].chart, checks, logs[index]));
        // Awaited with the chart's lint and package; until then a failure must not count as unhandled.
        previous = validated.catch(() => undefined);
        return [index, validated];
    }));
}
/**
 * A lane's charts: each one's dependencies in turn, then one `helm lint` and one `helm package` for all of
 * them, side by side, whose output is cut into each chart's part, and beside them each chart's validation.
 * When either call fails, each chart is linted and packaged alone: `helm package` stops at the first failure
 * and `helm lint` reports its failures together, and each chart is owed its own outcome and error. A single
 * chart is built alone from the start.
 */
async function buildTogether(helm, lane, checks, destination, logs) {
    const results = [];
    const ready = [];
    // One after the other: the lane is one of the `parallel` places.
    for (const [index, prepared] of lane.entries()) {
        await buildDependencies(helm, prepared, logs[index]).then(() => ready.push(index), (reason) => (results[index] = { status: 'rejected', reason }));
    }
    const validations = validateInTurn(helm, lane, ready, checks, logs);
    const alone = async (index) => {
        const validated = validations.get(index);
        results[index] = await lintAndPackage(helm, lane[index], checks, destination, logs[index], validated).then(value => ({ status: 'fulfilled', value }), (reason) => ({ status: 'rejected', reason }));
    };
    if (ready.length === 1)
        await alone(ready[0]);
    if (ready.length <= 1)
        return results;
    const charts = ready.map(index => ({
        dir: lane[index].chart.dir,
        packagePath: packagePath(lane[index], destination)
    }));
    const dirs = charts.map(chart => chart.dir);
    const [lint, packaged] = await Promise.allSettled([
        helm.lint(dirs, checks.lintStrict, { kubeVersion: checks.kubeVersion }),
        helm.packageCharts(dirs, destination, checks.sign)
    ]);
    if (lint.status === 'fulfilled' && packaged.status === 'fulfilled') {
        const lints = lintTranscripts(lint.value, charts);
        const packages = packageTranscripts(packaged.value, charts);
        const validated = await Promise.allSettled(ready.map(index => validations.get(index)));
        ready.forEach((index, part) => {
            logs[index](lints[part]);
            logs[index](packages[part]);
            results[index] =
                validated[part].status === 'rejected'
                    ? validated[part]
                    : { status: 'fulfilled', value: charts[part].packagePath };
        });
        return results;
    }
    const failed = [lint.status === 'rejected' && 'helm lint', packaged.status === 'rejected' && 'helm package']
        .filter(Boolean)
        .join(' and ');
    for (const index of ready) {
        logs[index](`${failed} of ${ready.length} charts failed; this chart is linted and packaged alone, for its own result.`);
        await alone(index);
    }
    return results;
}
/** One log group per chart of the lane, holding its dependency build and its part of lint and package. */
async function buildLane(helm, lane, checks, destination) {
    const lines = lane.map(() => []);
    const logs = lines.map(held => (text) => void held.push(text));
    const built = buildTogether(helm, lane, checks, destination, logs);
    return Promise.allSettled(lane.map(({ chart }, index) => logGroup(`${chart.meta.name}: build`, async (log) => {
        const result = (await built)[index];
        for (const text of lines[index])
            log(text);
        if (result.status === 'rejected')
            throw result.reason;
        return result.value;
    })));
}
/**
 * Builds the charts (`locations` in the same order) in dependency order, after the given login when a chart
 * has oci:// dependencies (they may live in that registry). Each level of the order is cut into `parallel`
 * lanes that run side by side, each linted and packaged in one helm call per step (buildTogether). Every
 * file helm packages first gets the time `sourceDate` (stampCharts). Every chart gets an outcome: a failure
 * does not stop the others from being checked, and its dependents are reported as skipped.
 */
async function buildAll(helm, options, charts, locations, loggedIn, destination, sourceDate) {
    await stampCharts(charts.map(prepared => prepared.chart), sourceDate);
    await addRepositories(helm, charts.map(prepared => prepared.chart));
    if (charts.some(({ chart }) => chart.meta.dependencies.some(dep => dep.repository.startsWith('oci://'))))
        await loggedIn;
    const byName = new Map(charts.map(prepared => [prepared.chart.meta.name, prepared]));
    const results = await scheduleLevels([...byName.keys()], new Map(charts.map(prepared => [prepared.chart.meta.name, prepared.dependsOn])), options.parallel, names => buildLane(helm, names.map(name => byName.get(name)), options, destination));
    return charts.map(({ chart, release, appVersion }, index) => {
        const result = results.get(chart.meta.name);
        return {
            chartName: chart.meta.name,
            version: release.version,
            tag: release.tag,
            appVersion,
            packagePath: result.status === 'done' ? result.value : '',
            location: locations[index],
            digest: '',
            pushed: false,
            problem: result.status === 'failed'
                ? result.error.message
                : result.status === 'skipped'
                    ? `skipped: ${result.reason}`
                    : undefined
        };
    });
}

;// CONCATENATED MODULE: ./src/files.ts



/**
 * Creates a file that must not exist yet (O_CREAT | O_EXCL): a symlink planted at its name fails the write
 * instead of redirecting it, since O_EXCL never follows a link.
 */
async function writeNewFile(file, data, mode) {
    await (0,external_node_fs_promises_.writeFile)(file, data, { flag: 'wx', mode });
}
/**
 * Replaces a file through a new one beside it, under a name nobody can predict and created exclusively, then
 * renamed over the old: a failure midway leaves the old content rather than a torn file, and a link planted in
 * the directory (a chart from a pull request can hold any) redirects nothing. The rename replaces the name
 * itself, never what a link there points at.
 */
async function replaceFile(file, data) {
    const temporary = external_node_path_default().join(external_node_path_default().dirname(file), `.${external_node_path_default().basename(file)}.${(0,external_node_crypto_.randomBytes)(12).toString('hex')}.tmp`);
    try {
        await writeNewFile(temporary, data);
        await (0,external_node_fs_promises_.rename)(temporary, file);
    }
    catch (error) {
        await (0,external_node_fs_promises_.rm)(temporary, { force: true });
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/version/templates.ts

/**
 * Fills `{{name}}` placeholders. An unknown placeholder is an error rather than left in place, because a
 * literal `{{sha}}` in an appVersion or image tag would be published and never noticed.
 */
function renderTemplate(input, template, values) {
    return template.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_match, name) => {
        if (!Object.hasOwn(values, name)) {
            const known = Object.keys(values)
                .map(key => `{{${key}}}`)
                .join(', ');
            throw new Error(`Input ${input} ${(0,src_text/* show */.WU)(template)} uses the unknown placeholder {{${name}}}; known: ${known}.`);
        }
        return values[name];
    });
}
/** The placeholders of the app-version and image-tag templates; `sha` is 7 hex, as docker/metadata-action has it. */
function placeholders(release, shaShort) {
    return {
        version: release.version,
        tag: release.tag,
        major: String(release.major),
        minor: String(release.minor),
        patch: String(release.patch),
        sha: shaShort.replace(/^sha-/, '')
    };
}

;// CONCATENATED MODULE: ./src/chart-files/artifacthub-repo.ts





/** Artifact Hub's repository metadata, beside Chart.yaml; pushed to the chart's repository under ARTIFACTHUB_TAG. */
const ARTIFACTHUB_REPO_FILE = 'artifacthub-repo.yml';
const SHAPE = 'repositoryID, owners, ignore';
const DOCS = 'https://artifacthub.io/docs/topics/repositories/helm-charts/';
/** Artifact Hub gives every repository a UUID; a repositoryID of another form can never match it. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isAbsent = (node) => node === undefined || node === null || ((0,dist/* isScalar */.jn)(node) && node.value === null);
/** A field that must be text when it is there: `required` makes an absent or empty one an error too. */
function checkText(node, where, required) {
    if (isAbsent(node)) {
        if (required)
            throw new Error(`${where} is missing.`);
        return undefined;
    }
    if (!(0,dist/* isScalar */.jn)(node) || typeof node.value !== 'string')
        throw new Error(`${where} must be text.`);
    if (required && node.value === '')
        throw new Error(`${where} is empty.`);
    return node.value;
}
/** A list of mappings, each checked by `entry`; absent is fine. */
function checkList(doc, key, fields, entry) {
    const node = doc.get(key, true);
    if (isAbsent(node))
        return;
    if (!(0,dist/* isSeq */.oP)(node))
        throw new Error(`${key} must be a list of mappings with ${fields}.`);
    node.items.forEach((item, index) => {
        const where = `${key}[${index}]`;
        if (!(0,dist/* isMap */.jh)(item))
            throw new Error(`${where} must be a mapping with ${fields}.`);
        entry(item, where);
    });
}
/**
 * Refuses what Artifact Hub would not read as its repository metadata (see DOCS): `repositoryID` a UUID, `owners`
 * a list of { name, email } with an email, `ignore` a list of { name, version } with a name. Other keys are left
 * alone, as Artifact Hub leaves them.
 */
function checkArtifactHubRepo(text, file) {
    const doc = parseMapping(text, file, SHAPE);
    try {
        const id = checkText(doc.get('repositoryID', true), 'repositoryID', false);
        if (id !== undefined && !UUID.test(id)) {
            throw new Error(`repositoryID is ${(0,src_text/* show */.WU)(id)}, not the UUID Artifact Hub gives a repository. Copy it from the repository's ` +
                'settings in Artifact Hub');
        }
        checkList(doc, 'owners', 'name and email', (item, where) => {
            checkText(item.get('name', true), `${where}.name`, false);
            checkText(item.get('email', true), `${where}.email`, true);
        });
        checkList(doc, 'ignore', 'name and version', (item, where) => {
            checkText(item.get('name', true), `${where}.name`, true);
            checkText(item.get('version', true), `${where}.version`, false);
        });
    }
    catch (error) {
        throw new Error(`${file}: ${error.message.replace(/\.$/, '')}. Artifact Hub reads it as its repository metadata ` +
            `(${SHAPE}; see ${DOCS}).`);
    }
}
/**
 * The chart's Artifact Hub metadata, read as helm reads a chart file (at most 5 MiB, UTF-8: the bytes pushed are
 * the file's) and checked; undefined when the chart has none. The chart directory was walked for links that lead
 * out of the workspace before this runs (charts/containment.ts), so the file is the repository's.
 */
async function readArtifactHubRepo(chartDir) {
    const file = external_node_path_default().join(chartDir, ARTIFACTHUB_REPO_FILE);
    let text;
    try {
        text = await readChartText(file);
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw error;
    }
    checkArtifactHubRepo(text, file);
    // Strict UTF-8 decoding that keeps a byte-order mark encodes back to the very bytes read.
    return { file, bytes: Buffer.from(text, 'utf8') };
}

;// CONCATENATED MODULE: ./src/chart-files/chart-lock.ts





// Go's encoding/json, which helm's digest is taken over: HTML-significant characters are escaped.
function goString(text) {
    return JSON.stringify(text)
        .replaceAll('<', '\\u003c')
        .replaceAll('>', '\\u003e')
        .replaceAll('&', '\\u0026')
        .replaceAll('\u2028', '\\u2028')
        .replaceAll('\u2029', '\\u2029');
}
function goValue(value) {
    if (value === null || value === undefined)
        return 'null';
    if (Array.isArray(value))
        return `[${value.map(goValue).join(',')}]`;
    if (typeof value === 'object') {
        const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([key, item]) => `${goString(key)}:${goValue(item)}`).join(',')}}`;
    }
    return typeof value === 'string' ? goString(value) : JSON.stringify(value);
}
/** helm's chart.Dependency as json.Marshal writes it: struct field order, `omitempty` fields left out when empty. */
function goDependency(requirement) {
    const text = (key) => (0,src_text/* textOf */.b6)(requirement[key]);
    const fields = [`"name":${goString(text('name'))}`];
    if (text('version'))
        fields.push(`"version":${goString(text('version'))}`);
    fields.push(`"repository":${goString(text('repository'))}`);
    if (text('condition'))
        fields.push(`"condition":${goString(text('condition'))}`);
    const tags = requirement.tags;
    if (Array.isArray(tags) && tags.length)
        fields.push(`"tags":${goValue(tags)}`);
    if (requirement.enabled === true)
        fields.push('"enabled":true');
    const importValues = requirement['import-values'];
    if (Array.isArray(importValues) && importValues.length)
        fields.push(`"import-values":${goValue(importValues)}`);
    if (text('alias'))
        fields.push(`"alias":${goString(text('alias'))}`);
    return `{${fields.join(',')}}`;
}
const goList = (items) => (items ? `[${items.map(goDependency).join(',')}]` : 'null');
/** The digest helm keeps in Chart.lock: sha256 over the JSON of [Chart.yaml dependencies, locked dependencies]. */
function lockDigest(requirements, locked) {
    const data = `[${goList(requirements)},${goList(locked)}]`;
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(data).digest('hex')}`;
}
const requirementsOf = (chartSource) => (0,dist/* parseDocument */.Tp)(chartSource).toJS()?.dependencies;
/**
 * Moves the locked versions of the given dependencies and signs the lock anew, so that `helm dependency build`
 * accepts a committed Chart.lock after a lockstep release moved in-repo charts' versions. Returns undefined when
 * the digest computed for the files as they were does not match the lock's own: then this model of helm's hash
 * does not cover the chart (a repository alias, say) or the lock was stale already, and the caller lets helm
 * regenerate the lock instead.
 */
function updateLock(lockSource, lockFile, chartBefore, chartAfter, moved) {
    (0,bounds/* checkYamlDepth */.BQ)(lockSource, lockFile);
    const doc = (0,dist/* parseDocument */.Tp)(lockSource);
    if (doc.errors.length)
        throw new Error(`${lockFile} is not valid YAML: ${doc.errors[0].message}`);
    const digestNode = doc.get('digest', true);
    const dependencies = doc.get('dependencies', true);
    if (!(0,dist/* isScalar */.jn)(digestNode) || !(0,dist/* isSeq */.oP)(dependencies))
        return undefined;
    const locked = doc.toJS().dependencies;
    if (lockDigest(requirementsOf(chartBefore), locked) !== digestNode.value)
        return undefined;
    const edits = [];
    const relocked = locked.map(entry => ({ ...entry }));
    dependencies.items.forEach((item, index) => {
        const name = (0,dist/* isMap */.jh)(item) ? String(item.get('name')) : '';
        const version = (0,dist/* isMap */.jh)(item) ? item.get('version', true) : undefined;
        if (!Object.hasOwn(moved, name))
            return;
        if (!(0,dist/* isScalar */.jn)(version))
            throw new Error(`${lockFile}: dependency ${(0,src_text/* show */.WU)(name)} has no version.`);
        edits.push(replaceScalar(lockSource, version, moved[name]));
        relocked[index].version = moved[name];
    });
    edits.push(replaceScalar(lockSource, digestNode, lockDigest(requirementsOf(chartAfter), relocked)));
    return applyEdits(lockSource, edits);
}

;// CONCATENATED MODULE: ./src/chart-files/artifacthub-annotations.ts

// Artifact Hub reads these annotations' values as YAML documents of their own, so each value is serialised
// by the yaml package: an entry's text can hold anything, `: ` and `#` included, and must stay one string.
const asYaml = (value) => (0,dist/* stringify */.As)(value, { lineWidth: 0 });
/**
 * Artifact Hub's annotations (https://artifacthub.io/docs/topics/annotations/helm/) for what the run knows of
 * the release, in the order they are added; none for what it does not know (no changes, no image, a stable
 * version, no signing key), since a missing `artifacthub.io/prerelease` reads as false.
 */
function artifactHubAnnotations(facts) {
    const annotations = [];
    if (facts.changes.length)
        annotations.push(['artifacthub.io/changes', asYaml(facts.changes)]);
    if (facts.image) {
        const { name, tag } = facts.image;
        annotations.push(['artifacthub.io/images', asYaml([{ name: name.split('/').pop(), image: `${name}:${tag}` }])]);
    }
    if (facts.prerelease)
        annotations.push(['artifacthub.io/prerelease', 'true']);
    if (facts.signKey) {
        const { fingerprint, url } = facts.signKey;
        annotations.push(['artifacthub.io/signKey', asYaml(url ? { fingerprint, url } : { fingerprint })]);
    }
    return annotations;
}

;// CONCATENATED MODULE: ./src/chart-files/changelog.ts





const CHANGELOG = 'CHANGELOG.md';
/**
 * The changelog of a chart: `CHANGELOG.md` in the chart's directory, else at the root of the workspace. The
 * first one found is the chart's, also when it has no section for the version: a chart that keeps its own
 * changelog (as a monorepo's charts often do) is not described by the repository's. The root file is
 * refused when it is a symlink out of the workspace, as a chart's files are.
 */
async function readChangelog(chartDir, workspace, version) {
    const file = [chartDir, workspace].map(dir => external_node_path_default().join(dir, CHANGELOG)).find(candidate => (0,external_node_fs_.existsSync)(candidate));
    if (!file)
        return {};
    const target = await linkTarget(file);
    if (!isWithin(await linkTarget(workspace), target))
        throw outsideError(file, target, workspace);
    const text = await readChartText(file);
    // The Markdown parser (markdown-it) is loaded only for a repository that has a changelog: most runs have none.
    const { parseChangelogSection } = await Promise.all(/* import() */[__webpack_require__.e(863), __webpack_require__.e(725)]).then(__webpack_require__.bind(__webpack_require__, 725));
    return { file, section: parseChangelogSection(text, file, version) };
}

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
;// CONCATENATED MODULE: ./src/chart-files/chart-yaml.ts





/**
 * Sets version and appVersion where they stand (see yaml-splice.ts), adding appVersion after version when missing,
 * and the version constraints of the given dependencies.
 */
function setChartVersions(source, file, versions) {
    const doc = parseChartDocument(source, file);
    const map = doc.contents;
    if (!(0,dist/* isMap */.jh)(map) || map.flow)
        throw new Error(`${file} must be a block mapping (one key per line).`);
    const valueNode = (key) => {
        const pair = map.items.find(item => (0,dist/* isScalar */.jn)(item.key) && item.key.value === key);
        if (!pair)
            return undefined;
        if (!(0,dist/* isScalar */.jn)(pair.value) || !pair.value.range || pair.value.value === null) {
            throw new Error(`${file}: ${key} must be a single value (e.g. ${key}: 1.2.3).`);
        }
        return pair.value;
    };
    const version = valueNode('version');
    const appVersion = valueNode('appVersion');
    const edits = [];
    const lineEnd = (offset) => {
        const newline = source.indexOf('\n', offset);
        return newline === -1 ? source.length : newline + 1;
    };
    const append = (offset, key, value) => {
        const separator = offset === source.length && !source.endsWith('\n') ? '\n' : '';
        edits.push({ start: offset, end: offset, text: `${separator}${key}: ${renderScalar(value, dist/* Scalar */.X5.PLAIN)}\n` });
    };
    if (version)
        edits.push(replaceScalar(source, version, versions.version));
    else
        append(source.length, 'version', versions.version);
    if (appVersion)
        edits.push(replaceScalar(source, appVersion, versions.appVersion));
    else
        append(version ? lineEnd(version.range[1]) : source.length, 'appVersion', versions.appVersion);
    const dependencies = doc.get('dependencies', true);
    const moved = Object.entries(versions.dependencies ?? {}).map(([name, constraint]) => {
        const index = (0,dist/* isSeq */.oP)(dependencies)
            ? dependencies.items.findIndex(item => (0,dist/* isMap */.jh)(item) && item.get('name') === name)
            : -1;
        const node = index === -1 ? undefined : doc.getIn(['dependencies', index, 'version'], true);
        if (!(0,dist/* isScalar */.jn)(node) || !node.range) {
            throw new Error(`${file}: dependency ${(0,src_text/* show */.WU)(name)} needs a version to set it to ${constraint}.`);
        }
        edits.push(replaceScalar(source, node, constraint));
        return { path: ['dependencies', index, 'version'], value: constraint };
    });
    const result = applyEdits(source, edits);
    verifyWritten(result, file, CHART_SHAPE, [
        { path: ['version'], value: versions.version },
        { path: ['appVersion'], value: versions.appVersion },
        ...moved
    ]);
    return result;
}
/** The manifest annotation by which ghcr.io links a package to the repository it came from. */
const SOURCE_ANNOTATION = 'org.opencontainers.image.source';
/**
 * Chart.yaml with annotation org.opencontainers.image.source set to `url`, or undefined when the chart names
 * its source itself. helm (3.18 and 4.x alike, generateOCIAnnotations in pkg/registry) sets that annotation of
 * the pushed manifest from the first entry of `sources`, then copies every Chart.yaml annotation over the
 * ones it made: a chart with either already says where it comes from, and keeps it.
 */
function linkSource(source, file, url) {
    const sources = parseChartDocument(source, file).get('sources', true);
    if ((0,dist/* isSeq */.oP)(sources) && sources.items.length > 0)
        return undefined;
    const { text, added } = addAnnotations(source, file, [[SOURCE_ANNOTATION, url]], 'or set link-source: false');
    return added.length ? text : undefined;
}
/**
 * Chart.yaml with the given annotations added, each on lines of its own (see addEntry), and the keys added:
 * an annotation the chart sets itself is the chart's word and stays as it is. The result must read back as
 * the file did plus the annotations, or nothing is added. `fix` is the way out the error offers besides
 * adding them by hand.
 */
function addAnnotations(source, file, annotations, fix) {
    const doc = parseChartDocument(source, file);
    if (!(0,dist/* isMap */.jh)(doc.contents) || doc.contents.flow)
        throw new Error(`${file} must be a block mapping (one key per line).`);
    const own = doc.get('annotations', true);
    const adding = annotations.filter(([key]) => !((0,dist/* isMap */.jh)(own) && own.has(key)));
    // One at a time, each on the text the one before made, since the first may create the annotations mapping;
    // last first, as each goes first in the mapping, so that they read in the order given.
    let text = source;
    for (const [key, value] of [...adding].reverse()) {
        text = applyEdits(text, addEntry(text, parseChartDocument(text, file), file, ['annotations', key], value));
    }
    // Read back whole: the splice must add the annotations and change nothing else the file says.
    const before = doc.toJS();
    const expected = { ...before, annotations: { ...(before.annotations ?? {}), ...Object.fromEntries(adding) } };
    if (adding.length && !(0,external_node_util_.isDeepStrictEqual)(parseChartDocument(text, file).toJS(), expected)) {
        const keys = adding.map(([key]) => key).join(', ');
        throw new Error(`${file}: adding annotation ${keys} did not read back as written; the file is left unchanged. ` +
            `Add ${keys} under annotations yourself, ${fix}.`);
    }
    return { text, added: adding.map(([key]) => key) };
}

;// CONCATENATED MODULE: ./src/chart-files/values.ts


/**
 * Writes the image tag into values.yaml where the key already stands. A missing key is an error rather
 * than added: a typo in the path would otherwise publish a chart whose templates never read the new key.
 */
function setImageTag(source, file, keyPath, tag) {
    return setScalars(source, file, 'the chart values', [{ path: keyPath, value: tag, input: 'image-tag-path' }]);
}
/** The values file with the image tag set, ready to write; nothing is written here. */
async function imageTagEdit(file, keyPath, tag) {
    return { file, text: setImageTag(await readChartText(file), file, keyPath, tag) };
}

;// CONCATENATED MODULE: ./src/chart-files/prepare.ts












/**
 * What the release writes into Chart.yaml (and Chart.lock): version, appVersion, the constraint on every
 * in-repo dependency whose version this release moves, since helm checks a file:// chart against it, the
 * repository as the chart's source when it names none, which ghcr.io links the package to, and Artifact Hub's
 * annotations: the changelog's entries for the version, the image, prerelease and the signing key.
 * Computed for every chart before any is written, so that a refusal leaves all of them untouched.
 */
async function prepareChart(planned, all, workspace, options) {
    const { chart, release, appVersion } = planned;
    const moved = {};
    for (const name of planned.dependsOn) {
        const dependency = all.find(other => other.chart.meta.name === name);
        if (dependency.release.version !== dependency.chart.meta.version)
            moved[name] = dependency.release.version;
    }
    const versioned = setChartVersions(chart.source, chart.file, {
        version: release.version,
        appVersion,
        dependencies: moved
    });
    const linked = options.sourceUrl ? linkSource(versioned, chart.file, options.sourceUrl) : undefined;
    const linkedSource = linked === undefined ? undefined : options.sourceUrl;
    // Rendered only when something uses it, so that an image-tag template nobody reads refuses nothing.
    const usesTag = options.image !== '' || options.imageTagPath.length > 0;
    const tag = usesTag ? renderTemplate('image-tag', options.imageTag, planned.placeholders) : '';
    const changelog = await readChangelog(chart.dir, workspace, release.version);
    const annotations = artifactHubAnnotations({
        changes: changelog.section?.changes ?? [],
        image: options.image ? { name: options.image, tag } : undefined,
        prerelease: release.prerelease !== '',
        signKey: options.signKey
    });
    const { text: chartYaml, added: annotationsAdded } = addAnnotations(linked ?? versioned, chart.file, annotations, 'or set them in the chart yourself: the action leaves annotations the chart sets alone');
    const values = options.imageTagPath.length ? await imageTag(planned, workspace, options, tag) : undefined;
    // Checked with push: false too, so that a pull request's dry run refuses what the tag's run would.
    const artifactHub = await readArtifactHubRepo(chart.dir);
    const lockFile = external_node_path_default().join(chart.dir, 'Chart.lock');
    const made = { ...planned, chartYaml, linkedSource, changelog, annotationsAdded, values, artifactHub };
    if (Object.keys(moved).length === 0 || !(0,external_node_fs_.existsSync)(lockFile))
        return { ...made, relock: false };
    // Chart.lock's digest covers the dependencies only, which the annotations leave alone.
    const chartLock = updateLock(await readChartText(lockFile), lockFile, chart.source, chartYaml, moved);
    return { ...made, chartLock, relock: chartLock === undefined };
}
async function imageTag(planned, workspace, options, tag) {
    const file = resolveValuesFile(workspace, planned.chart.dir, options.valuesFile);
    return { ...(await imageTagEdit(file, options.imageTagPath, tag)), tag };
}
/** Writes one chart's prepared files; returns what the log says of them. */
async function writePrepared(prepared, imageTagPath) {
    const { chart } = prepared;
    if (prepared.chartLock !== undefined)
        await replaceFile(external_node_path_default().join(chart.dir, 'Chart.lock'), prepared.chartLock);
    await replaceFile(chart.file, prepared.chartYaml);
    const source = prepared.linkedSource ? `, ${SOURCE_ANNOTATION} ${prepared.linkedSource}` : '';
    const annotations = prepared.annotationsAdded.map(key => `, ${key}`).join('');
    const lines = [
        `${chart.file}: version ${prepared.release.version}, appVersion ${prepared.appVersion}${source}${annotations}`,
        changelogLine(prepared)
    ];
    if (prepared.values) {
        await replaceFile(prepared.values.file, prepared.values.text);
        lines.push(`${prepared.values.file}: ${imageTagPath.join('.')} ${prepared.values.tag}`);
    }
    return lines.join('\n');
}
/** What the log says of the chart's changelog: where its entries came from, or why there are none. */
function changelogLine({ changelog, release }) {
    const { file, section } = changelog;
    if (!file)
        return `No ${CHANGELOG} beside the chart or at the workspace root: no release notes or changes from one.`;
    if (!section)
        return `${file} has no section for ${release.version}: no release notes or changes from it.`;
    return `${file} line ${section.line}: the section for ${release.version}, ${section.changes.length} change(s).`;
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
;// CONCATENATED MODULE: ./src/helm/home.ts





/**
 * helm's configuration for this run, all in the run's own helm home: registry credentials never land
 * in the user's helm config, and repositories the action adds do not linger there.
 *
 * Each helm call lives well under a second, yet with Go's default GOGC=100 spends about a third of its CPU
 * collecting garbage; GOGC=400 lets the short-lived heap grow instead (helm's live heap is tens of MB). A
 * GOGC the job sets wins.
 */
function helmEnv(home) {
    return {
        HELM_REGISTRY_CONFIG: external_node_path_default().join(home, 'registry-config.json'),
        HELM_REPOSITORY_CONFIG: external_node_path_default().join(home, 'repositories.yaml'),
        HELM_REPOSITORY_CACHE: external_node_path_default().join(home, 'repository-cache'),
        GOGC: process.env.GOGC || '400'
    };
}
function userRepositoryConfig() {
    if (process.env.HELM_REPOSITORY_CONFIG)
        return process.env.HELM_REPOSITORY_CONFIG;
    const configHome = process.env.XDG_CONFIG_HOME || external_node_path_default().join(external_node_os_default().homedir(), '.config');
    return external_node_path_default().join(configHome, 'helm', 'repositories.yaml');
}
/**
 * The registry config `helm registry login` would write (Docker's format, one `auths` entry for the host),
 * written by the action instead. Measured and chosen over the login for three reasons: helm (through oras-go's
 * DetectDefaultNativeStore) hands a login's credentials to `docker-credential-pass` or `-secretservice`
 * whenever they are installed and the config holds no entry yet, where deleting the file does not remove them;
 * the file is all a killed step leaves, and the post step deletes it without starting helm; and the login and
 * logout were two helm processes (about 60 ms of CPU each) on every run. The credentials are checked by the
 * action's own registry client before anything is built.
 */
function registryConfig(login) {
    if (!login)
        return '{"auths":{}}\n';
    const auth = Buffer.from(`${login.username}:${login.password}`).toString('base64');
    return `${JSON.stringify({ auths: { [login.host]: { auth } } })}\n`;
}
/**
 * Creates the 0600 registry config, with the credentials when there are any, and starts from a copy of the
 * user's repositories so that repositories an earlier step added (with their credentials) still resolve
 * dependencies.
 */
async function prepareHelmHome(home, login) {
    const env = helmEnv(home);
    await (0,external_node_fs_promises_.mkdir)(env.HELM_REPOSITORY_CACHE, { recursive: true, mode: 0o700 });
    await writeNewFile(env.HELM_REGISTRY_CONFIG, registryConfig(login), 0o600);
    await (0,external_node_fs_promises_.copyFile)(userRepositoryConfig(), env.HELM_REPOSITORY_CONFIG, external_node_fs_.constants.COPYFILE_EXCL).catch((error) => {
        if (error.code !== 'ENOENT')
            throw error;
    });
    return env;
}

;// CONCATENATED MODULE: ./src/helm/session.ts






/** The session open in this step, for a cancelled step to close; one at a time. */
let openedSession;
/** Each session's one clean-up: a cancelled step waits for the one the run has begun instead of racing it. */
const closing = new WeakMap();
/**
 * A helm home of this run's own under RUNNER_TEMP, recorded for the post step before anything goes in; with
 * `login`, its registry config holds the credentials helm pushes with.
 */
async function openSession(runnerTemp, login) {
    await (0,external_node_fs_promises_.mkdir)(runnerTemp, { recursive: true });
    const workDir = await (0,external_node_fs_promises_.mkdtemp)(external_node_path_default().join(runnerTemp, 'helm-release-'));
    const home = external_node_path_default().join(workDir, 'helm');
    core/* saveState */.LZ(state/* STATE */.c.helmHome, home);
    openedSession = { home, env: {}, packages: external_node_path_default().join(workDir, 'package') };
    openedSession.env = await prepareHelmHome(home, login);
    return openedSession;
}
/** Closes the session this step opened, if any: what a cancelled step does after stopping helm. */
async function closeOpenSession() {
    if (openedSession)
        await closeSession(openedSession);
}
function sessionHelm(session, bin, timeoutMs) {
    return new Helm(bin, session.env, timeoutMs);
}
/**
 * Deletes the run's helm home: the credentials live only in its registry config (see registryConfig), so that
 * is the whole logout.
 */
function closeSession(session) {
    let done = closing.get(session);
    if (!done)
        closing.set(session, (done = deleteHome(session.home)));
    return done;
}
async function deleteHome(home) {
    await (0,external_node_fs_promises_.rm)(home, { recursive: true, force: true });
    // Nothing left for the post step, which then does not even load.
    core/* saveState */.LZ(state/* STATE */.c.helmHome, '');
}
/** The session a killed main step left behind, as its saved state names it. */
function savedSession() {
    return { home: core/* getState */.Gu(state/* STATE */.c.helmHome) };
}

;// CONCATENATED MODULE: ./src/registry/manifest.ts
/**
 * An OCI image manifest, Docker v2 manifest or OCI index as the registry sent it: its digest from the bytes
 * received, checked against what the registry and the reference claim, and its JSON checked field by field
 * before anyone reads it (the registry is untrusted).
 */



const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** What the client asks for (Accept) and takes. */
const MANIFEST_TYPES = [OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX];
/** OCI's descriptor of "no content" (image-spec, manifest.md), standing in for an index's missing config. */
const EMPTY_DESCRIPTOR = {
    mediaType: 'application/vnd.oci.empty.v1+json',
    digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    size: 2
};
/** The digests this client can check: the two algorithms OCI registers. */
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
/** Any digest in OCI's grammar (image-spec, descriptor.md), for descriptors the client only passes on. */
const ANY_DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
/** RFC 6838 type/subtype, as OCI's schema checks it. */
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
class ManifestError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ManifestError';
    }
}
/** `algorithm:hex` of the bytes; the algorithm of a DIGEST. */
function digestOf(bytes, algorithm = 'sha256') {
    return `${algorithm}:${(0,external_node_crypto_.createHash)(algorithm).update(bytes).digest('hex')}`;
}
/** Whether bytes hash to a DIGEST (sha256 or sha512). */
function matchesDigest(bytes, digest) {
    return DIGEST.test(digest) && digestOf(bytes, digest.slice(0, digest.indexOf(':'))) === digest;
}
/** Throws ManifestError when the bytes are not a manifest of MANIFEST_TYPES or do not match what is claimed. */
function parseManifest(bytes, claims) {
    const { contentDigest, reference } = claims;
    // Shown as it is: DIGEST allows nothing but the algorithm and hex.
    if (contentDigest && DIGEST.test(contentDigest) && !matchesDigest(bytes, contentDigest)) {
        throw new ManifestError(`the manifest received does not match its Docker-Content-Digest ${contentDigest}`);
    }
    if (reference && !matchesDigest(bytes, reference)) {
        throw new ManifestError(`the manifest received does not match the digest asked for`);
    }
    const text = bytes.toString('utf8');
    const deep = (0,bounds/* jsonTooDeep */.fJ)(text);
    if (deep !== undefined) {
        throw new ManifestError(`the manifest nests deeper than ${bounds/* BOUNDS */.QT.depth} levels (line ${(0,bounds/* lineOf */.cA)(text, deep)})`);
    }
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        throw new ManifestError('the manifest is not JSON');
    }
    if (!isObject(json))
        throw new ManifestError('the manifest is not a JSON object');
    if (json.schemaVersion !== 2)
        throw new ManifestError(`the manifest has schemaVersion ${(0,src_text/* show */.WU)(String(json.schemaVersion))}, not 2`);
    const header = claims.contentType?.split(';')[0].trim().toLowerCase();
    const declared = json.mediaType;
    if (declared !== undefined && typeof declared !== 'string')
        throw new ManifestError('the manifest has a mediaType that is not text');
    if (declared !== undefined && header && MANIFEST_TYPES.includes(header) && declared !== header) {
        throw new ManifestError(`the manifest says it is ${(0,src_text/* show */.WU)(declared)} but was served as ${(0,src_text/* show */.WU)(header)}`);
    }
    const mediaType = declared ?? header ?? '';
    if (!MANIFEST_TYPES.includes(mediaType))
        throw new ManifestError(`the manifest is of the unsupported type ${(0,src_text/* show */.WU)(mediaType)}`);
    const annotations = annotationsOf(json.annotations, 'the manifest');
    const digest = digestOf(bytes);
    if (mediaType === OCI_INDEX) {
        const manifests = descriptors(json.manifests, 'manifests');
        return { digest, mediaType, config: { ...EMPTY_DESCRIPTOR }, layers: [], annotations, manifests };
    }
    return {
        digest,
        mediaType,
        config: descriptor(json.config, 'config'),
        layers: descriptors(json.layers, 'layers'),
        annotations
    };
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function descriptors(value, field) {
    if (!Array.isArray(value))
        throw new ManifestError(`the manifest's ${field} is not a list`);
    return value.map((entry, index) => descriptor(entry, `${field}[${index}]`));
}
function descriptor(value, field) {
    if (!isObject(value))
        throw new ManifestError(`the manifest's ${field} is not a descriptor`);
    const { mediaType, digest, size } = value;
    if (typeof mediaType !== 'string' || !MEDIA_TYPE.test(mediaType)) {
        throw new ManifestError(`the manifest's ${field} has no valid mediaType`);
    }
    const checkable = typeof digest === 'string' && (digest.startsWith('sha256:') || digest.startsWith('sha512:'));
    if (typeof digest !== 'string' || !ANY_DIGEST.test(digest) || (checkable && !DIGEST.test(digest))) {
        throw new ManifestError(`the manifest's ${field} has no valid digest`);
    }
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
        throw new ManifestError(`the manifest's ${field} has no valid size`);
    }
    const result = { mediaType, digest, size };
    if (value.annotations !== undefined)
        result.annotations = annotationsOf(value.annotations, `the manifest's ${field}`);
    return result;
}
function annotationsOf(value, where) {
    if (value === undefined)
        return {};
    if (!isObject(value))
        throw new ManifestError(`${where} has annotations that are not a map`);
    const entries = Object.entries(value);
    if (!entries.every(([, text]) => typeof text === 'string')) {
        throw new ManifestError(`${where} has an annotation whose value is not text`);
    }
    return Object.fromEntries(entries);
}

;// CONCATENATED MODULE: ./src/registry/artifacthub-metadata.ts

const ARTIFACTHUB_TAG = 'artifacthub.io';
const ARTIFACTHUB_CONFIG = 'application/vnd.cncf.artifacthub.config.v1+yaml';
const ARTIFACTHUB_LAYER = 'application/vnd.cncf.artifacthub.repository-metadata.layer.v1.yaml';
/** `ghcr.io/sofatutor/llm-proxy:artifacthub.io`: where the metadata of a chart's repository goes. */
const metadataRef = (location) => `${location.name}:${ARTIFACTHUB_TAG}`;
/** oras's config from /dev/null: no bytes. */
const EMPTY_CONFIG = Buffer.alloc(0);
/**
 * The manifest of the metadata artifact. No creation time (oras adds one): the same file always makes the same
 * manifest, so that its digest says whether the content changed.
 */
function metadataManifest(bytes, fileName) {
    const manifest = {
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: ARTIFACTHUB_CONFIG, digest: digestOf(EMPTY_CONFIG), size: EMPTY_CONFIG.length },
        layers: [
            {
                mediaType: ARTIFACTHUB_LAYER,
                digest: digestOf(bytes),
                size: bytes.length,
                annotations: { 'org.opencontainers.image.title': fileName }
            }
        ]
    };
    return Buffer.from(JSON.stringify(manifest));
}
/**
 * Brings the repository's `artifacthub.io` tag up to date with the file's bytes: nothing is pushed when its
 * metadata layer already holds them; otherwise the config, the layer and the manifest, in that order, so that the
 * tag never names a blob the registry lacks.
 */
async function syncMetadata(client, repository, bytes, fileName) {
    const current = await client.manifest(repository, ARTIFACTHUB_TAG);
    const layer = current?.layers.find(candidate => candidate.mediaType === ARTIFACTHUB_LAYER);
    if (current?.config.mediaType === ARTIFACTHUB_CONFIG && layer?.digest === digestOf(bytes))
        return { digest: current.digest, pushed: false };
    await client.pushBlob(repository, EMPTY_CONFIG);
    await client.pushBlob(repository, bytes);
    return {
        digest: await client.pushManifest(repository, ARTIFACTHUB_TAG, metadataManifest(bytes, fileName)),
        pushed: true
    };
}

;// CONCATENATED MODULE: ./src/registry/metadata-step.ts





/**
 * The chart repository's Artifact Hub metadata, brought up to date once the chart is in the registry (pushed or
 * kept); `sync` pushes it unless the tag holds it already, and gives undefined when the run's reader cannot push
 * (helm's). A failure is the chart's problem rather than a warning: Artifact Hub would go on reading the old owners
 * and repositoryID, which decide who may claim the repository, and nothing else would say so. The message leads
 * with what is published. A reader that cannot push only warns, with the command that does it.
 */
async function publishMetadata(outcome, metadata, sync) {
    const ref = metadataRef(outcome.location);
    try {
        await logGroup(`${outcome.chartName}: Artifact Hub metadata ${ref}`, async (log) => {
            const synced = await sync(log);
            if (!synced) {
                core/* warning */.$e(`${metadata.file} was not pushed to ${ref}: the registry's credentials are helm's only (a Docker ` +
                    'credential helper or an auth scheme the action does not speak), and helm pushes charts only. Give ' +
                    `inputs username and password, or push it yourself: oras push ${ref} --config ` +
                    `/dev/null:${ARTIFACTHUB_CONFIG} ${external_node_path_default().basename(metadata.file)}:${ARTIFACTHUB_LAYER}`);
            }
            else if (synced.pushed) {
                log(`Pushed ${metadata.file} to ${ref} (${synced.digest}), where Artifact Hub reads it.`);
            }
            else {
                log(`${ref} (${synced.digest}) already holds ${metadata.file} byte for byte: nothing pushed.`);
            }
        });
        return outcome;
    }
    catch (error) {
        return {
            ...outcome,
            problem: `${outcome.location.ref} is published (${outcome.digest}); only its Artifact Hub metadata ` +
                `(${metadata.file} to ${ref}) failed, so Artifact Hub still reads what ${ref} held before. A re-run with input ` +
                `if-exists: skip keeps the published chart and pushes the metadata.\n` +
                (0,src_text/* errorMessage */.gJ)(error)
        };
    }
}

;// CONCATENATED MODULE: ./src/registry/auth-challenge.ts
class MalformedChallengeError extends Error {
    constructor(reason) {
        super(`unreadable WWW-Authenticate header: ${reason}`);
        this.name = 'MalformedChallengeError';
    }
}
function isScheme(challenge, scheme) {
    return challenge.scheme.toLowerCase() === scheme.toLowerCase();
}
const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*/y;
const BLANKS = /[ \t]*/y;
/** Between list elements: commas with optional blanks, empty elements allowed (RFC 9110 §5.6.1). */
const SEPARATORS = /[ \t,]*/y;
/**
 * Every challenge of one or more WWW-Authenticate header values (a response may send several headers, each a
 * comma-separated list of challenges). Throws MalformedChallengeError on anything outside the grammar.
 */
function parseChallenges(headers) {
    return (Array.isArray(headers) ? headers : [headers]).flatMap(parseHeader);
}
function parseHeader(header) {
    let at = 0;
    const read = (pattern) => {
        pattern.lastIndex = at;
        const found = pattern.exec(header)?.[0] ?? '';
        at += found.length;
        return found;
    };
    const atEnd = () => at >= header.length;
    const quoted = () => {
        let value = '';
        for (at++; at < header.length; at++) {
            const char = header[at];
            if (char === '"') {
                at++;
                return value;
            }
            if (char === '\\')
                at++;
            if (at >= header.length)
                break;
            // qdtext and quoted-pair exclude control characters other than tab.
            const code = header.charCodeAt(at);
            if ((code < 0x20 && code !== 0x09) || code === 0x7f)
                throw new MalformedChallengeError('a control character');
            value += header[at];
        }
        throw new MalformedChallengeError('an unterminated quoted string');
    };
    const challenges = [];
    for (;;) {
        read(SEPARATORS);
        if (atEnd())
            return challenges;
        const scheme = read(TOKEN);
        if (!scheme)
            throw new MalformedChallengeError(`no auth scheme at character ${at + 1}`);
        // No prototype: a parameter named __proto__ stays a parameter.
        const challenge = { scheme, params: Object.create(null) };
        challenges.push(challenge);
        const blanks = read(BLANKS);
        if (atEnd() || header[at] === ',')
            continue;
        if (!blanks)
            throw new MalformedChallengeError(`no blank after the scheme at character ${at + 1}`);
        // token68: one token of its alphabet, then the end or the next challenge. `realm=x` starts a parameter instead.
        const start = at;
        const token68 = read(TOKEN68);
        read(BLANKS);
        if (token68 && (atEnd() || header[at] === ',')) {
            challenge.token68 = token68;
            continue;
        }
        at = start;
        // auth-params: name BWS "=" BWS (token / quoted-string), comma-separated. A token after a comma that is not
        // followed by "=" is the scheme of the next challenge.
        for (let first = true;; first = false) {
            const before = at;
            if (!first)
                read(SEPARATORS);
            const name = read(TOKEN);
            read(BLANKS);
            if (!name || header[at] !== '=') {
                if (first)
                    throw new MalformedChallengeError(`no parameter at character ${before + 1}`);
                at = before;
                break;
            }
            at++;
            read(BLANKS);
            const value = header[at] === '"' ? quoted() : read(TOKEN);
            if (!value && header[at - 1] !== '"')
                throw new MalformedChallengeError(`no value for parameter ${name}`);
            // A repeated parameter is an error in the grammar's spirit; the first one counts, as in most clients.
            challenge.params[name.toLowerCase()] ??= value;
            read(BLANKS);
            if (!atEnd() && header[at] !== ',')
                throw new MalformedChallengeError(`unexpected text at character ${at + 1}`);
            if (atEnd())
                break;
        }
    }
}

// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(4942);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ./src/registry/http.ts
/**
 * One request to a registry (or its token realm, or wherever it redirects): redirects followed by hand so that
 * credentials never leave the origin they are for, a time limit and a size limit on every request, and every
 * failure a RegistryHttpError classified by status code or socket error code, never by the text of a message.
 */





/** A failed request, classified by status code / socket error code, never by text. */
class RegistryHttpError extends Error {
    kind;
    /** The HTTP status of the answer, when there was one. */
    status;
    constructor(kind, message, status) {
        super(message);
        this.name = 'RegistryHttpError';
        this.kind = kind;
        this.status = status;
    }
}
/** As many as Go's and oras-go's HTTP clients follow. */
const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Enough for any registry's error JSON. */
const ERROR_BODY_BYTES = 64 * 1024;
const USER_AGENT = 'helm-release-action';
const SOCKET_KINDS = new Map([
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['EPIPE', 'reset'],
    ['ETIMEDOUT', 'timeout'],
    ['ENOTFOUND', 'unknown-host'],
    ['EAI_AGAIN', 'unknown-host'],
    // OpenSSL's "wrong version number": the server answered the TLS handshake with plain HTTP. Other TLS protocol
    // failures carry the same code, so the message gives the code with the likely cause rather than a certainty.
    ['EPROTO', 'plain-http']
]);
const SOCKET_WORDS = {
    refused: 'connection refused',
    reset: 'connection reset',
    timeout: 'connection timed out',
    'unknown-host': 'unknown host (DNS lookup failed)',
    'plain-http': 'TLS handshake failed; the server probably answers plain HTTP'
};
/**
 * The end of the connection before the whole answer arrived. Node ends the response without an error when the
 * server closes cleanly mid-body; for the caller it is a reset all the same.
 */
const prematureClose = () => Object.assign(new Error('connection closed mid-answer'), { code: 'ECONNRESET' });
/** http-client's hook into each request it sends: the request's abort signal, our time limit. */
class Deadline {
    signal;
    constructor(signal) {
        this.signal = signal;
    }
    prepareRequest(options) {
        options.signal = this.signal;
    }
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return Promise.reject(new Error('not used: 401 answers go back to the registry client'));
    }
}
/**
 * Sends a request to `url`; a GET or HEAD follows redirects. http-client is told not to follow them: it strips
 * Authorization only when the redirect goes to another host *name*, so http://registry:5000 → http://registry:6000
 * would carry the password to another port, and https → http only when allowed. oras-go had the same flaw and now
 * compares origins (scheme, host and port; GHSA-jxpm-75mh-9fp7); so does this: the header goes to every hop whose
 * origin is `authOrigin`, and to no other. Blobs on ghcr.io redirect to another host, so the hops away from the
 * origin go without credentials. A POST or PUT is not redirected by the distribution API: its 3xx is the caller's
 * to judge, and what it uploads is never sent on to a place the registry names.
 *
 * One HttpClient per request: http-client keeps one agent per client whatever the scheme, so a client that spoke
 * http:// could not follow a redirect to https://. Proxies: http-client routes through HTTPS_PROXY / HTTP_PROXY
 * unless NO_PROXY matches, and never for localhost, 127.* and [::1], which it treats as bypassed always.
 */
async function send(url, options) {
    const first = url;
    const method = options.method ?? 'GET';
    const follows = method === 'GET' || method === 'HEAD';
    for (let redirects = 0;; redirects++) {
        const request = describeRequest(method, first, url);
        const headers = {};
        if (options.accept)
            headers.accept = options.accept;
        if (options.authorization && url.origin === options.authOrigin)
            headers.authorization = options.authorization;
        // http-client sets Content-Length only for a string; a stream of the bytes keeps them binary.
        const bytes = options.body?.bytes ?? Buffer.alloc(0);
        if (method === 'POST' || method === 'PUT')
            headers['content-length'] = String(bytes.length);
        if (options.body)
            headers['content-type'] = options.body.contentType;
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), options.timeoutMs);
        let message;
        let body;
        try {
            const client = new lib/* HttpClient */.Qq(USER_AGENT, [new Deadline(controller.signal)], {
                allowRedirects: false,
                allowRetries: false,
                keepAlive: false,
                // http-client's own idle timeout (3 minutes unless set) fails without a code: never before ours.
                socketTimeout: options.timeoutMs + 1000
            });
            const data = bytes.length ? external_node_stream_.Readable.from([bytes], { objectMode: false }) : null;
            message = (await client.request(method, url.href, data, headers)).message;
            const status = message.statusCode ?? 0;
            if (follows && REDIRECTS.has(status))
                message.destroy();
            // A HEAD's Content-Length is that of what a GET would send: nothing to read, nothing to limit.
            else if (method === 'HEAD')
                body = await readBody(message, 0, false, request);
            else if (status >= 200 && status < 300)
                body = await readBody(message, options.maxBytes, true, request);
            else
                body = await readBody(message, ERROR_BODY_BYTES, false, request);
        }
        catch (error) {
            if (error instanceof RegistryHttpError)
                throw error;
            throw socketFailure(error, controller.signal.aborted, request, options.timeoutMs);
        }
        finally {
            clearTimeout(timer);
        }
        const status = message.statusCode ?? 0;
        if (body) {
            const challenges = message.headersDistinct['www-authenticate'] ?? [];
            return { status, headers: message.headers, challenges, body, url, request };
        }
        url = redirectTarget(url, message, redirects, request);
    }
}
function redirectTarget(from, message, redirects, request) {
    const status = message.statusCode;
    const fail = (why) => new RegistryHttpError('other', `${request}: HTTP ${status} ${why}`, status);
    if (redirects >= MAX_REDIRECTS)
        throw fail(`after ${MAX_REDIRECTS} redirects: too many`);
    const location = message.headers.location;
    if (!location)
        throw fail('without a Location header');
    let to;
    try {
        to = new URL(location, from);
    }
    catch {
        throw fail(`to an unreadable Location ${(0,src_text/* show */.WU)(location)}`);
    }
    if (to.protocol !== 'https:' && to.protocol !== 'http:')
        throw fail(`to ${(0,src_text/* show */.WU)(to.protocol)}, not HTTP`);
    // As http-client and browsers do: what was asked for encrypted is not fetched in clear text.
    if (from.protocol === 'https:' && to.protocol === 'http:')
        throw fail(`from https to http ${(0,src_text/* show */.WU)(where(to))}: refused`);
    return to;
}
/**
 * `GET host/path` of the first request, and where the last one went if it was redirected: the registry's paths are
 * ours, a redirect's are the registry's (quoted, and without the query, where signed URLs keep their signature).
 */
function describeRequest(method, first, url) {
    const asked = `${method} ${where(first)}`;
    return url === first ? asked : `${asked} (redirected to ${(0,src_text/* show */.WU)(where(url))})`;
}
const where = (url) => `${url.host}${url.pathname}`;
function readBody(message, limit, whole, request) {
    return new Promise((resolve, reject) => {
        const tooLarge = () => new RegistryHttpError('other', `${request}: HTTP ${message.statusCode} with an answer larger than the limit of ${limit} bytes`, message.statusCode);
        if (whole && Number(message.headers['content-length']) > limit) {
            message.destroy();
            return reject(tooLarge());
        }
        const chunks = [];
        let size = 0;
        let done = false;
        const finish = (outcome) => {
            if (!done)
                outcome();
            done = true;
        };
        message.on('data', (chunk) => {
            if (done)
                return;
            if (size + chunk.length <= limit) {
                size += chunk.length;
                chunks.push(chunk);
                return;
            }
            message.destroy();
            if (whole)
                finish(() => reject(tooLarge()));
            else
                finish(() => resolve(Buffer.concat([...chunks, chunk.subarray(0, limit - size)])));
        });
        message.once('end', () => finish(() => resolve(Buffer.concat(chunks))));
        message.once('error', error => finish(() => reject(error)));
        message.once('close', () => finish(() => reject(prematureClose())));
    });
}
/** A request that got no (complete) answer, by the socket error's code; `timedOut`: our deadline ended it. */
function socketFailure(error, timedOut, request, timeoutMs) {
    if (timedOut)
        return new RegistryHttpError('timeout', `${request}: no complete answer within ${timeoutMs} ms`);
    const raw = error?.code;
    const code = typeof raw === 'string' && /^[A-Z0-9_]{1,40}$/.test(raw) ? raw : undefined;
    const kind = (code && SOCKET_KINDS.get(code)) || 'other';
    // Node's own words for the rest (certificate errors, …) may quote the server's certificate: shown inert.
    const words = SOCKET_WORDS[kind] ?? (0,src_text/* show */.WU)((0,src_text/* errorMessage */.gJ)(error));
    return new RegistryHttpError(kind, `${request} failed: ${words}${code ? ` (${code})` : ''}`);
}
/** What a status means; the caller's retry policy and messages go by it. */
function statusKind(status) {
    if (status === 401)
        return 'unauthorized';
    if (status === 403)
        return 'denied';
    if (status === 404)
        return 'not-found';
    if (status === 429)
        return 'throttled';
    if (status >= 500 && status <= 599)
        return 'server';
    return 'other';
}
/** The `errors` of the registry's error JSON (distribution spec), or none when the body is not that. */
function registryErrors(body) {
    let parsed;
    try {
        parsed = (0,bounds/* parseJson */.qF)(body.toString('utf8'), "the registry's error");
    }
    catch {
        return [];
    }
    const errors = parsed?.errors;
    if (!Array.isArray(errors))
        return [];
    const text = (value) => (typeof value === 'string' ? value : '');
    return errors.map(entry => ({ code: text(entry?.code), message: text(entry?.message) }));
}
const SHOWN_ERRORS = 3;
/**
 * A non-2xx answer as an error: the request, the status, and what the registry said in its error JSON, each entry
 * quoted and shortened (the registry's words are untrusted and may run over lines).
 */
function statusFailure(response) {
    const { status } = response;
    const entries = registryErrors(response.body).filter(entry => entry.code || entry.message);
    const said = entries.slice(0, SHOWN_ERRORS).map(entry => (0,src_text/* show */.WU)([entry.code, entry.message].filter(Boolean).join(': ')));
    const more = entries.length > SHOWN_ERRORS ? ` and ${entries.length - SHOWN_ERRORS} more` : '';
    const saying = said.length ? `; the registry says ${said.join(', ')}${more}` : '';
    const reason = external_node_http_.STATUS_CODES[status] ? ` ${external_node_http_.STATUS_CODES[status]}` : '';
    return new RegistryHttpError(statusKind(status), `${response.request}: HTTP ${status}${reason}${saying}`, status);
}

;// CONCATENATED MODULE: ./src/registry/client.ts
/**
 * A small client of the OCI distribution API: log-in check, manifests and blobs read, and what a push of a small
 * artifact needs (blobs uploaded in one piece, a manifest put under a tag), with the registry's token (Bearer) or
 * Basic authentication. It neither retries (the caller's retry policy does) nor logs; every failure is a
 * RegistryHttpError with its FailureKind, or an UnsupportedAuthError.
 */







/** The registry asked for an auth scheme the client does not speak (not Bearer, not Basic). */
class UnsupportedAuthError extends Error {
    scheme;
    constructor(scheme, request) {
        super(`${request}: HTTP 401 asking for ${(0,src_text/* show */.WU)(scheme)} authentication; only Bearer (token) and Basic are supported`);
        this.name = 'UnsupportedAuthError';
        this.scheme = scheme;
    }
}
/** containerd's limit on a manifest. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** helm's limit on a chart's decompressed size, which its archive does not exceed. */
const DEFAULT_MAX_BLOB_BYTES = 100 * 1024 * 1024;
/** A token answer is a few kilobytes at most. */
const MAX_TOKEN_BYTES = 1024 * 1024;
/** /v2/ answers `{}`. */
const MAX_BASE_BYTES = 64 * 1024;
/** The token spec's lifetime of a token whose answer gives none; a cached token is dropped this long before. */
const DEFAULT_TOKEN_SECONDS = 60;
const TOKEN_MARGIN_SECONDS = 10;
/** Distribution's rule for a tag. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const ACTION = /^(?:[a-z]+|\*)$/;
/** What may follow "Bearer " in a header: visible ASCII, no blank. */
const TOKEN_TEXT = /^[\x21-\x7e]+$/;
const scopeText = (scope) => `${scope.resource}:${scope.actions.join(',')}`;
class RegistryClient {
    options;
    origin;
    tokens = [];
    /** Set once the registry asked for Basic: the credentials then go with every request, not after a 401 each time. */
    basicAsked = false;
    constructor(options) {
        if (!HOST.test(options.host))
            throw new Error(`Registry host ${(0,src_text/* show */.WU)(options.host)} is not host[:port].`);
        this.options = options;
        this.origin = new URL(`${options.plainHttp ? 'http' : 'https'}://${options.host}`).origin;
    }
    /**
     * GET /v2/ and, with credentials, obtain a token for `repository` with `actions` (e.g. ['pull','push']): a
     * wrong password fails here with kind 'unauthorized'. Without credentials it checks that an anonymous token is
     * handed out.
     */
    async checkCredentials(repository, actions) {
        const scope = repositoryScope(repository, actions);
        const response = await this.request(new URL('/v2/', this.origin), scope, { maxBytes: MAX_BASE_BYTES });
        if (response.status !== 200)
            throw statusFailure(response);
    }
    /**
     * GET manifest by tag or digest; undefined on a clean 404 (MANIFEST_UNKNOWN / NAME_UNKNOWN). digest = sha256 of
     * the bytes received, and checked against Docker-Content-Digest when present and against the reference when it
     * is a digest.
     */
    async manifest(repository, reference) {
        const scope = repositoryScope(repository, ['pull']);
        const byDigest = DIGEST.test(reference);
        if (!byDigest && !TAG.test(reference)) {
            throw new RegistryHttpError('invalid-reference', `${(0,src_text/* show */.WU)(reference)} is neither a tag nor a sha256/sha512 digest`);
        }
        const response = await this.request(this.url(`/v2/${repository}/manifests/${reference}`), scope, {
            accept: MANIFEST_TYPES.join(', '),
            maxBytes: MAX_MANIFEST_BYTES
        });
        if (response.status === 404 && this.isCleanMiss(response))
            return undefined;
        if (response.status !== 200)
            throw statusFailure(response);
        try {
            return parseManifest(response.body, {
                contentType: response.headers['content-type'],
                contentDigest: header(response, 'docker-content-digest'),
                reference: byDigest ? reference : undefined
            });
        }
        catch (error) {
            if (error instanceof ManifestError)
                throw new RegistryHttpError('other', `${response.request}: ${error.message}`, 200);
            throw error;
        }
    }
    /** GET a blob, checked against its digest (sha256 or sha512) and a size limit; returns the bytes. */
    async blob(repository, digest, maxBytes = DEFAULT_MAX_BLOB_BYTES) {
        const scope = repositoryScope(repository, ['pull']);
        if (!DIGEST.test(digest))
            throw new RegistryHttpError('invalid-reference', `${(0,src_text/* show */.WU)(digest)} is not a sha256/sha512 digest`);
        const response = await this.request(this.url(`/v2/${repository}/blobs/${digest}`), scope, { maxBytes });
        if (response.status !== 200)
            throw statusFailure(response);
        if (!matchesDigest(response.body, digest)) {
            const actual = digestOf(response.body, digest.slice(0, digest.indexOf(':')));
            throw new RegistryHttpError('other', `${response.request}: the blob received hashes to ${actual}, not to its digest`, 200);
        }
        return response.body;
    }
    /** HEAD a blob: whether the repository holds it (a 404 from the registry itself: it does not). */
    async hasBlob(repository, digest) {
        const scope = repositoryScope(repository, ['pull', 'push']);
        if (!DIGEST.test(digest))
            throw new RegistryHttpError('invalid-reference', `${(0,src_text/* show */.WU)(digest)} is not a sha256/sha512 digest`);
        const path = `/v2/${repository}/blobs/${digest}`;
        const response = await this.request(this.url(path), scope, { method: 'HEAD', maxBytes: 0 });
        if (response.status === 200)
            return true;
        if (response.status === 404 && response.url.origin === this.origin)
            return false;
        throw statusFailure(response);
    }
    /**
     * Uploads `bytes` as a blob of `repository` unless it holds them already: a monolithic upload (distribution
     * spec, "Pushing a blob monolithically": POST to open the upload, PUT the bytes with their digest to the
     * Location it answers). Returns the blob's sha256 digest.
     */
    async pushBlob(repository, bytes) {
        const digest = digestOf(bytes);
        if (await this.hasBlob(repository, digest))
            return digest;
        const scope = repositoryScope(repository, ['pull', 'push']);
        const opened = await this.request(this.url(`/v2/${repository}/blobs/uploads/`), scope, {
            method: 'POST',
            maxBytes: MAX_BASE_BYTES
        });
        if (opened.status !== 202)
            throw statusFailure(opened);
        const upload = this.uploadLocation(opened);
        upload.searchParams.append('digest', digest);
        const put = await this.request(upload, scope, {
            method: 'PUT',
            body: { bytes, contentType: 'application/octet-stream' },
            maxBytes: MAX_BASE_BYTES
        });
        if (put.status !== 201)
            throw statusFailure(put);
        this.checkDigest(put, digest, 'blob');
        return digest;
    }
    /**
     * PUT an OCI image manifest under `tag`; returns its digest, the sha256 of the bytes sent, which the registry's
     * Docker-Content-Digest must name when it sends one. The blobs it names must be pushed first.
     */
    async pushManifest(repository, tag, bytes) {
        const scope = repositoryScope(repository, ['pull', 'push']);
        if (!TAG.test(tag))
            throw new RegistryHttpError('invalid-reference', `${(0,src_text/* show */.WU)(tag)} is not a tag`);
        const response = await this.request(this.url(`/v2/${repository}/manifests/${tag}`), scope, {
            method: 'PUT',
            body: { bytes, contentType: OCI_MANIFEST },
            maxBytes: MAX_BASE_BYTES
        });
        if (response.status !== 201)
            throw statusFailure(response);
        const digest = digestOf(bytes);
        this.checkDigest(response, digest, 'manifest');
        return digest;
    }
    /** The same registry without credentials (for "is it public?"), with a token cache of its own. */
    anonymous() {
        return new RegistryClient({ ...this.options, credentials: undefined });
    }
    /** A path of the registry's API (repository names and references are checked before they get here). */
    url(path) {
        return new URL(path, this.origin);
    }
    /**
     * Where the registry takes an upload's bytes: its Location, relative or absolute. Only on the registry's own
     * origin, since the credentials and the bytes go there; a registry that hands the upload to another origin is
     * refused rather than followed.
     */
    uploadLocation(opened) {
        const fail = (why) => new RegistryHttpError('other', `${opened.request}: HTTP 202 ${why}`, 202);
        const location = header(opened, 'location');
        if (!location)
            throw fail('without a Location header to upload to');
        let url;
        try {
            url = new URL(location, this.origin);
        }
        catch {
            throw fail(`with an unreadable Location ${(0,src_text/* show */.WU)(location)}`);
        }
        if (url.origin !== this.origin) {
            throw fail(`sending the upload to ${(0,src_text/* show */.WU)(url.origin)}, another origin than ${this.origin}: refused`);
        }
        return url;
    }
    /** A Docker-Content-Digest that names other bytes than were sent means the registry stored something else. */
    checkDigest(response, digest, what) {
        const claimed = header(response, 'docker-content-digest');
        if (claimed === undefined || claimed === digest)
            return;
        // Shown as it is when it is a digest, which holds nothing but the algorithm and hex.
        const named = DIGEST.test(claimed) ? claimed : (0,src_text/* show */.WU)(claimed);
        throw new RegistryHttpError('other', `${response.request}: HTTP ${response.status} naming the ${what} ${named}, not ${digest} of the bytes sent`, response.status);
    }
    /**
     * A request to the registry, with what authorization it has for `scope`; a 401 from the registry (not from where
     * it redirected) is answered once with the authorization its challenge asks for. The answer to that second
     * request is the caller's to judge.
     */
    async request(url, scope, options) {
        const attempt = (authorization) => send(url, { ...options, authorization, authOrigin: this.origin, timeoutMs: this.options.timeoutMs });
        const sent = this.cachedAuthorization(scope);
        const response = await attempt(sent);
        if (response.status !== 401 || response.url.origin !== this.origin)
            return response;
        return attempt(await this.authorize(response, scope, sent));
    }
    async authorize(response, scope, sent) {
        let challenges;
        try {
            challenges = parseChallenges(response.challenges);
        }
        catch (error) {
            if (!(error instanceof MalformedChallengeError))
                throw error;
            throw new RegistryHttpError('other', `${response.request}: HTTP 401 with an ${error.message}`, 401);
        }
        const bearer = challenges.find(challenge => isScheme(challenge, 'Bearer'));
        if (bearer) {
            this.forget(sent);
            return this.token(bearer, scope, response);
        }
        if (challenges.some(challenge => isScheme(challenge, 'Basic'))) {
            const basic = this.basicAuthorization();
            // No credentials to give, or the registry refused the ones it was given.
            if (!basic || sent === basic)
                throw statusFailure(response);
            this.basicAsked = true;
            return basic;
        }
        if (challenges.length === 0)
            throw statusFailure(response);
        throw new UnsupportedAuthError(challenges[0].scheme, response.request);
    }
    /**
     * A token from the challenge's realm for `scope` (distribution's token spec): GET realm?service=…&scope=…, with
     * the credentials as Basic when there are any, none for an anonymous token.
     */
    async token(challenge, scope, challenged) {
        const fail = (why) => new RegistryHttpError('other', `${challenged.request}: HTTP 401 ${why}`, 401);
        const realm = challenge.params.realm;
        if (!realm)
            throw fail('with a Bearer challenge that names no realm');
        let url;
        try {
            url = new URL(realm);
        }
        catch {
            throw fail(`with a Bearer challenge whose realm ${(0,src_text/* show */.WU)(realm)} is not a URL`);
        }
        // The credentials go to the realm: never in clear text unless the registry itself is plain HTTP.
        if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.options.plainHttp)) {
            throw fail(`sending for a token to ${(0,src_text/* show */.WU)(`${url.protocol}//${url.host}${url.pathname}`)}, which is not https: refused`);
        }
        if (challenge.params.service !== undefined)
            url.searchParams.set('service', challenge.params.service);
        url.searchParams.set('scope', scopeText(scope));
        const answer = await send(url, {
            accept: 'application/json',
            authorization: this.basicAuthorization(),
            authOrigin: url.origin,
            timeoutMs: this.options.timeoutMs,
            maxBytes: MAX_TOKEN_BYTES
        });
        if (answer.status !== 200)
            throw statusFailure(answer);
        const { token, expiresIn } = readToken(answer);
        const authorization = `Bearer ${token}`;
        const seconds = Math.max(expiresIn - TOKEN_MARGIN_SECONDS, 0);
        this.tokens.push({ ...scope, authorization, expires: Date.now() + seconds * 1000 });
        return authorization;
    }
    /** A cached token that covers the scope, or Basic once the registry asked for it. */
    cachedAuthorization(scope) {
        if (this.basicAsked)
            return this.basicAuthorization();
        const now = Date.now();
        const covers = (token) => token.expires > now &&
            token.resource === scope.resource &&
            scope.actions.every(action => token.actions.includes(action) || token.actions.includes('*'));
        return this.tokens.find(covers)?.authorization;
    }
    /** Drops a token the registry refused, and every expired one. */
    forget(authorization) {
        const now = Date.now();
        const keep = this.tokens.filter(token => token.authorization !== authorization && token.expires > now);
        this.tokens.splice(0, this.tokens.length, ...keep);
    }
    basicAuthorization() {
        const credentials = this.options.credentials;
        if (!credentials)
            return undefined;
        return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    }
    /** A 404 that says the manifest or repository is unknown, from the registry itself, is an answer: not there. */
    isCleanMiss(response) {
        return (response.url.origin === this.origin &&
            registryErrors(response.body).some(entry => entry.code === 'MANIFEST_UNKNOWN' || entry.code === 'NAME_UNKNOWN'));
    }
}
function repositoryScope(repository, actions) {
    if (repository.length > 255 || !repository.split('/').every(part => PATH_COMPONENT.test(part))) {
        throw new RegistryHttpError('invalid-reference', `${(0,src_text/* show */.WU)(repository)} is not a repository name`);
    }
    if (actions.length === 0 || !actions.every(action => ACTION.test(action))) {
        throw new Error(`Actions ${(0,src_text/* show */.WU)(actions.join(','))} are not a scope's actions.`);
    }
    return { resource: `repository:${repository}`, actions };
}
function header(response, name) {
    const value = response.headers[name];
    return Array.isArray(value) ? value[0] : value;
}
/** `token` or, in the OAuth2 form, `access_token`; `expires_in` in seconds. */
function readToken(answer) {
    let parsed;
    try {
        parsed = (0,bounds/* parseJson */.qF)(answer.body.toString('utf8'), "the token server's answer");
    }
    catch {
        parsed = undefined;
    }
    const { token, access_token: accessToken, expires_in: expiresIn } = (parsed ?? {});
    const chosen = [token, accessToken].find(value => typeof value === 'string' && value !== '');
    if (typeof chosen !== 'string' || !TOKEN_TEXT.test(chosen)) {
        throw new RegistryHttpError('other', `${answer.request}: HTTP 200 without a usable token or access_token`, 200);
    }
    const seconds = typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_TOKEN_SECONDS;
    return { token: chosen, expiresIn: seconds };
}

;// CONCATENATED MODULE: ./src/registry/credentials.ts



/** What Docker's config (its text, undefined when there is none) holds for `host`, as helm would find it. */
function dockerAccess(configText, host) {
    if (configText === undefined)
        return { kind: 'anonymous' };
    let config;
    try {
        config = JSON.parse(configText);
    }
    catch {
        // helm fails on a config it cannot parse as well; let it say so in its own words.
        return { kind: 'credential-helper', helper: 'an unreadable Docker config' };
    }
    const helper = config.credHelpers?.[host];
    if (typeof helper === 'string' && helper)
        return { kind: 'credential-helper', helper: `docker-credential-${helper}` };
    const entry = config.auths?.[host];
    if (entry) {
        // An identity token is an OAuth refresh token (Azure), exchanged by a flow the action does not speak.
        if (typeof entry.identitytoken === 'string' && entry.identitytoken)
            return { kind: 'credential-helper', helper: 'an identity token' };
        if (typeof entry.auth === 'string' && entry.auth) {
            const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
            const colon = decoded.indexOf(':');
            if (colon > 0)
                return {
                    kind: 'docker-config',
                    credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
                };
        }
        if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.password)
            return { kind: 'docker-config', credentials: { username: entry.username, password: entry.password } };
    }
    if (typeof config.credsStore === 'string' && config.credsStore)
        return { kind: 'credential-helper', helper: `docker-credential-${config.credsStore}` };
    return { kind: 'anonymous' };
}
/** Docker's config file, where helm's fallback store reads it: `$DOCKER_CONFIG/config.json` or `~/.docker`. */
function dockerConfigPath(env) {
    return external_node_path_default().join(env.DOCKER_CONFIG || external_node_path_default().join(external_node_os_default().homedir(), '.docker'), 'config.json');
}
/** The inputs' credentials when there is a password, else what Docker's config holds for the host. */
async function readAccess(username, password, host) {
    if (password)
        return { kind: 'inputs', credentials: { username, password } };
    const text = await (0,external_node_fs_promises_.readFile)(dockerConfigPath(process.env), 'utf8').catch(() => undefined);
    return dockerAccess(text, host);
}

;// CONCATENATED MODULE: ./src/registry/if-exists.ts
/**
 * What to do given what the registry already holds at the reference; `fail` stops here. Identical content is
 * kept whatever if-exists says: a re-run of a job whose push went through has nothing left to do.
 */
function decide(ifExists, existing, ref) {
    if (existing === undefined)
        return { push: true };
    const existingDigest = existing.digest;
    if (existing.identical)
        return { push: false, digest: existingDigest, identical: true };
    if (ifExists === 'skip')
        return { push: false, digest: existingDigest, identical: false };
    if (ifExists === 'overwrite')
        return { push: true, replaces: existingDigest };
    throw new Error(`${ref} is already published (${existingDigest}); a released version is not pushed again by default. ` +
        'If this is a re-run, set input if-exists: skip to keep the published chart, or if-exists: overwrite to replace it.');
}
/** The concurrency group the README and the example workflows give a release job: one run of a ref at a time. */
const CONCURRENCY_GROUP = '${{ github.workflow }}-${{ github.ref }}';
const CONCURRENCY = `Give the release job a concurrency: group per ref (concurrency: { group: ${CONCURRENCY_GROUP} }), so that ` +
    'two runs never publish the same version at once.';
/**
 * The decision again right before the push, for a version the first look-up did not find: a push of it that
 * landed meanwhile (another run of the same tag) is refused or skipped, as it would have been.
 */
function decideBeforePush(ifExists, existing, ref) {
    if (existing === undefined || existing.identical || ifExists !== 'fail')
        return decide(ifExists, existing, ref);
    throw new Error(`${ref} was published (${existing.digest}) after this run looked it up and before it pushed: another run or ` +
        `person pushed the same version meanwhile, so this run pushed nothing (if-exists: fail). Check what the ` +
        `registry holds. ${CONCURRENCY}`);
}
/**
 * Why the verification fails, or undefined when the registry serves what this run pushed; `check` is the command
 * that shows what the registry serves. The registry has no conditional put, so another push of the same tag can
 * land between this run's push and its verification.
 */
function verificationFailure(ref, pushed, served, check) {
    if (served.digest !== pushed.digest) {
        return (`another push replaced ${ref} (now ${served.digest}) after this run pushed ${pushed.digest}. The chart this ` +
            `run pushed is no longer what the tag serves: check what the registry holds (\`${check}\`) before anything ` +
            `else. ${CONCURRENCY}`);
    }
    const mismatch = verifyMismatch(pushed, served);
    return mismatch && `Verification failed: ${ref} resolves to the pushed digest but reads ${mismatch}.`;
}
/** Why what the registry serves after the push is not what was pushed, or undefined when it is. */
function verifyMismatch(pushed, served) {
    const differs = ['digest', 'name', 'version'].filter(key => pushed[key] !== served[key]);
    if (!differs.length)
        return undefined;
    return differs.map(key => `${key} ${served[key]} instead of ${pushed[key]}`).join(', ');
}

;// CONCATENATED MODULE: ./src/registry/faults.ts
// Checked in order: auth before "not found", since helm 3.18+ reports a missing login as "basic credential not found".
const faults_PATTERNS = [
    ['invalid-reference', /invalid reference/i],
    ['unauthorized', /status code 401|401 Unauthorized|credential not found|unauthorized: authentication required/i],
    ['denied', /status code 403|403 Forbidden|\bdenied\b/i],
    ['unknown-host', /no such host/i],
    // Go's words when a registry answers plain HTTP to helm's HTTPS (helm 4 has no fallback to HTTP, 3.18 had one).
    ['plain-http', /server gave HTTP response to HTTPS client/i],
    ['refused', /connection refused/i],
    ['reset', /connection reset|broken pipe|unexpected EOF|: EOF$/im],
    ['timeout', /i\/o timeout|deadline exceeded|TLS handshake timeout|Client\.Timeout/i],
    ['throttled', /status code 429|Too Many Requests/i],
    ['server', /status code 5[0-9]{2}/i]
];
// GHCR (and Quay) may not serve a manifest for a moment after accepting it: helm's push then fails to tag it.
const UNSETTLED = /failed to perform "Tag" on destination: .*not found|manifest unknown/i;
/**
 * `ref` is the reference looked up (`host/ns/chart:tag`): helm ends a clean miss with `<ref>: not found`.
 * `afterUpload` is true for the push and the verification right after it, where a miss is the registry's
 * read-after-write delay rather than an answer.
 */
function classifyFailure(text, ref, afterUpload = false) {
    for (const [kind, pattern] of faults_PATTERNS)
        if (pattern.test(text))
            return kind;
    const missing = (ref !== undefined && text.includes(`${ref}: not found`)) || /status code 404/.test(text);
    if (afterUpload && (missing || UNSETTLED.test(text)))
        return 'read-after-write';
    return missing ? 'not-found' : 'other';
}
/**
 * The first line of the step's error: host, operation, what went wrong and the fix. A failed verification comes
 * after the push, so it leads with what is published and the re-run that keeps it, whatever went wrong.
 */
function explainFailure(kind, context) {
    if (!context.verifying)
        return explainKind(kind, context);
    const { digest, check } = context.verifying;
    const tried = context.attempts > 1 ? ` (${context.attempts} attempts)` : '';
    const what = kind === 'timeout' ? `timed out (${context.timeout}${tried})` : `failed: ${explainKind(kind, context)}`;
    return (`${context.ref} is published (${digest}); only its verification ${what}. Check what the registry serves ` +
        `with \`${check}\` or in the registry; a re-run needs input if-exists: skip, since the version exists now.`);
}
function explainKind(kind, context) {
    const { host, operation } = context;
    const tried = context.attempts > 1 ? ` (${context.attempts} attempts)` : '';
    switch (kind) {
        case 'unauthorized':
            return (`${host} refused the credentials (401) on ${operation}. Check inputs username and password (without a ` +
                `password, the login Docker's config holds for ${host}); an expired or revoked token reads the same.`);
        case 'denied':
            return host === 'ghcr.io'
                ? `ghcr.io denied ${operation} (403). Give the job "permissions: packages: write", and if the package ` +
                    `${context.chartName || 'of the chart'} already exists it may belong to another repository: grant this repository ` +
                    `write access under the package's settings (Manage Actions access).`
                : `${host} denied ${operation} (403): the credentials are valid but may not write there. Check the ` +
                    `account's permissions on the namespace in input registry.`;
        case 'unknown-host':
            return `${host} is an unknown host (DNS lookup failed) on ${operation}. Check input registry.`;
        case 'refused':
            return `Nothing accepted a connection at ${host} on ${operation}${tried}. Check input registry and that the registry is up.`;
        case 'reset':
            return `${host} dropped the connection on ${operation}${tried}. Re-run the job; if it persists, check proxies between the runner and the registry.`;
        case 'timeout':
            return `${operation} on ${host} did not finish within ${context.timeout}${tried}. Raise input timeout or re-run the job.`;
        case 'throttled':
        case 'server': {
            const what = kind === 'throttled' ? 'kept answering 429 Too Many Requests' : 'kept failing with a server error (5xx)';
            const each = context.helmRetriesHttp ? ', each retried five times by helm' : '';
            const retried = ` (${context.attempts} attempt${context.attempts > 1 ? 's' : ''}${each})`;
            return `${host} ${what} on ${operation}${retried}. The registry is in trouble; re-run the job later.`;
        }
        case 'read-after-write':
            return (`${host} did not serve the chart right after accepting its upload, on ${operation}${tried}: the ` +
                `registry is slow to show what was written (GHCR is known for it). Check whether ${context.ref ?? 'the version'} exists ` +
                `now; if it does, it is published, and a re-run needs input if-exists: skip.`);
        case 'plain-http':
            return (`${host} answered plain HTTP on ${operation}, but HTTPS was spoken (input plain-http is false). If it is a ` +
                `registry you trust on a private network, set input plain-http: true; never for one reached over the ` +
                `internet, since the password and the chart would travel unencrypted.`);
        case 'invalid-reference':
            return `${host} rejected the reference on ${operation} as invalid. Check input registry and the chart's name and version.`;
        default:
            return `${operation} on ${host} failed.`;
    }
}

;// CONCATENATED MODULE: ./src/registry/reader.ts









/** Helm's media types for a chart in an OCI registry (helm.sh/docs/topics/registries). */
const CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const CHART_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
/** The layer `helm push` adds for the `.prov` beside the package. */
const PROV_LAYER = 'application/vnd.cncf.helm.chart.provenance.v1.prov';
/** The action's own registry client: status codes, no helm process, and the chart layer's digest. */
function clientReader(client) {
    const anonymous = client.anonymous();
    const manifestOf = async (location, reference) => {
        const manifest = await client.manifest(location.repository, reference);
        if (!manifest) {
            throw new RegistryHttpError('not-found', `${location.name}@${reference}: not found`, 404);
        }
        return manifest;
    };
    const chartLayerOf = (location, layers) => {
        const layer = layers.find(candidate => candidate.mediaType === CHART_LAYER);
        if (!layer)
            throw new Error(`${location.ref} is not a Helm chart: its manifest has no ${CHART_LAYER} layer.`);
        return layer.digest;
    };
    return {
        via: 'the registry API',
        checkCredentials: location => client.checkCredentials(location.repository, ['pull', 'push']),
        async lookUp(location) {
            const manifest = await client.manifest(location.repository, location.tag);
            if (!manifest)
                return undefined;
            const layer = manifest.layers.find(candidate => candidate.mediaType === CHART_LAYER);
            return { digest: manifest.digest, chartLayer: layer?.digest };
        },
        async inspect(location) {
            const manifest = await manifestOf(location, location.tag);
            if (manifest.config.mediaType !== CHART_CONFIG) {
                throw new Error(`${location.ref} is not a Helm chart: its config is ${(0,src_text/* show */.WU)(manifest.config.mediaType)}.`);
            }
            const text = (await client.blob(location.repository, manifest.config.digest, HELM_MAX_FILE_BYTES)).toString();
            let config;
            try {
                config = (0,bounds/* parseJson */.qF)(text, 'its config');
            }
            catch (error) {
                // JSON.parse's own message quotes the text, which the registry wrote; parseJson's on depth does not.
                const why = error instanceof SyntaxError ? 'its config is not JSON' : (0,src_text/* errorMessage */.gJ)(error).replace(/\.$/, '');
                throw new Error(`${location.ref} is not a Helm chart: ${why}.`);
            }
            const field = (key) => {
                const value = config && typeof config === 'object' ? config[key] : undefined;
                return typeof value === 'string' ? value : '';
            };
            return { digest: manifest.digest, name: field('name'), version: field('version') };
        },
        async download(location, _version, digest, file, withProv = false) {
            const manifest = await manifestOf(location, digest);
            await replaceFile(file, await client.blob(location.repository, chartLayerOf(location, manifest.layers)));
            if (!withProv)
                return false;
            const provs = manifest.layers.filter(layer => layer.mediaType === PROV_LAYER);
            if (provs.length > 1) {
                throw new Error(`${location.ref}@${digest} has ${provs.length} ${PROV_LAYER} layers; a chart has one at most.`);
            }
            if (!provs.length) {
                // Whatever .prov lay there belongs to another chart.
                await (0,external_node_fs_promises_.rm)(`${file}.prov`, { force: true });
                return false;
            }
            // A provenance file is a few kilobytes: a chart's Chart.yaml and its digest, signed.
            await replaceFile(`${file}.prov`, await client.blob(location.repository, provs[0].digest, HELM_MAX_FILE_BYTES));
            return true;
        },
        async isPublic(location, digest) {
            try {
                return (await anonymous.manifest(location.repository, digest)) !== undefined;
            }
            catch (error) {
                if (error instanceof RegistryHttpError && (error.kind === 'unauthorized' || error.kind === 'denied'))
                    return false;
                throw error;
            }
        },
        syncMetadata: (location, metadata) => syncMetadata(client, location.repository, metadata.bytes, external_node_path_default().basename(metadata.file))
    };
}
/**
 * helm's way: `helm show chart` and `helm pull`, for a registry whose auth the client does not speak or whose
 * credentials only a Docker credential helper knows. It cannot tell the chart layer's digest (so identical
 * content is not recognised) nor whether the chart is public, and pushes no Artifact Hub metadata.
 */
function helmReader(helm, registry, login) {
    const { plainHttp } = registry;
    return {
        via: 'helm',
        async checkCredentials() {
            if (login)
                await helm.registryLogin(registry.host, login.username, login.password, plainHttp);
        },
        async lookUp(location, version) {
            try {
                const { digest } = await helm.showChart(location.url, version, plainHttp);
                return { digest };
            }
            catch (error) {
                if (classifyFailure((0,src_text/* errorMessage */.gJ)(error), location.ref) === 'not-found')
                    return undefined;
                throw error;
            }
        },
        inspect: (location, version) => helm.showChart(location.url, version, plainHttp),
        async download(location, version, digest, file, withProv = false) {
            await Promise.all([(0,external_node_fs_promises_.rm)(file, { force: true }), (0,external_node_fs_promises_.rm)(`${file}.prov`, { force: true })]);
            const pulled = await helm.pull(location.url, version, external_node_path_default().dirname(file), plainHttp, withProv);
            if (pulled.digest !== digest) {
                throw new Error(`${location.ref} changed while this run kept it: it was ${digest} and is now ${pulled.digest}. ` +
                    'Something else pushes to it; check the registry before re-running.');
            }
            // helm only warns when there is none.
            return (withProv &&
                (0,external_node_fs_promises_.access)(`${file}.prov`).then(() => true, () => false));
        },
        isPublic: async () => undefined,
        // helm pushes charts only, and the credentials it reads from a helper are never the action's to send.
        syncMetadata: async () => undefined
    };
}
/**
 * The client for every question, switching to helm for the rest of the run when the registry asks for an auth
 * scheme the client does not know; `onSwitch` logs why, once.
 */
function readerFor(access, client, helm, onSwitch) {
    if (access.kind === 'credential-helper') {
        onSwitch(`The registry's credentials come from ${access.helper}, which only helm runs: helm reads the registry.`);
        return helm();
    }
    let current = clientReader(client());
    const fallBack = (error) => {
        if (current.via !== 'helm') {
            onSwitch(`The registry asks for ${(0,src_text/* show */.WU)(error.scheme)} authentication, which only helm speaks: helm reads the registry.`);
            current = helm();
        }
        return current;
    };
    const each = (pick) => async (...args) => {
        try {
            return await pick(current)(...args);
        }
        catch (error) {
            if (!(error instanceof UnsupportedAuthError))
                throw error;
            return pick(fallBack(error))(...args);
        }
    };
    return {
        get via() {
            return current.via;
        },
        checkCredentials: each(reader => reader.checkCredentials),
        lookUp: each(reader => reader.lookUp),
        inspect: each(reader => reader.inspect),
        download: each(reader => reader.download),
        isPublic: each(reader => reader.isPublic),
        syncMetadata: each(reader => reader.syncMetadata)
    };
}

;// CONCATENATED MODULE: ./src/registry/retry.ts



/**
 * The action's waits between attempts: 4 s, 8 s, 16 s, then 30 s each, ±20 % so that parallel jobs do not retry
 * in step. Long enough that the default three retries outlast an outage of 20 s even when helm adds no time of its
 * own (before 3.18), short enough that they give up within about a minute.
 */
const BASE_MS = 4000;
const MAX_MS = 30_000;
const JITTER = 0.2;
/** A registry operation that failed for good, with what the failure was. */
class RegistryFailure extends Error {
    kind;
    constructor(kind, message) {
        super(message);
        this.name = 'RegistryFailure';
        this.kind = kind;
    }
}
/**
 * Faults that may pass by themselves. 429 and 5xx too when helm retries them itself: its five retries span about
 * 7 s, which a registry outage easily outlasts, so each of the action's attempts gets helm's quick retries.
 */
const TRANSIENT = new Set(['refused', 'reset', 'timeout', 'throttled', 'server', 'read-after-write']);
function isTransient(kind) {
    return TRANSIENT.has(kind);
}
/**
 * The wait before attempt `attempt + 1`, the same for the push and the action's own requests: helm prints no
 * response headers, so Retry-After is left to helm ≥ 3.18, which honours it itself on 429 (oras-go waits
 * Retry-After seconds, but at most 3 s, between its retries).
 */
function backoffMs(attempt, random = Math.random) {
    return Math.round(nominalWaitMs(attempt) * (1 - JITTER + 2 * JITTER * random()));
}
const nominalWaitMs = (attempt) => Math.min(BASE_MS * 2 ** (attempt - 1), MAX_MS);
const seconds = (ms) => `${Math.round(ms / 1000)} s`;
/** The retry budget in words, logged before the first registry call. */
function describePolicy(policy, helm) {
    const waits = Array.from({ length: policy.retries }, (_, index) => nominalWaitMs(index + 1));
    const total = waits.reduce((sum, wait) => sum + wait, 0) * (1 + JITTER);
    const own = policy.retries
        ? `up to ${policy.retries} more attempt(s) after a refused or reset connection, a timeout, HTTP 429 or 5xx, ` +
            `or a chart the registry does not serve yet right after its upload, waiting ${waits.map(seconds).join(', ')} ` +
            `(±${JITTER * 100} %) in between, at most ${seconds(total)} in all`
        : 'none (input retries: 0)';
    const http = policy.helmRetriesHttp
        ? `${helm} retries HTTP 429 and 5xx itself, five times within about 7 s on each attempt (waiting out a ` +
            'Retry-After of up to 3 s)'
        : `${helm} does not retry HTTP itself`;
    return `Registry retries: ${own}; ${http}.`;
}
/**
 * What went wrong: the status code or socket error the registry client saw, else (helm exposes neither) read
 * from helm's text. Right after an upload, "not found" is the registry's read-after-write delay.
 */
function failureKind(error, ref, afterUpload = false) {
    if (error.timedOut)
        return 'timeout';
    if (error instanceof RegistryHttpError)
        return afterUpload && error.kind === 'not-found' ? 'read-after-write' : error.kind;
    return classifyFailure((0,src_text/* errorMessage */.gJ)(error), ref, afterUpload);
}
const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms));
/**
 * Runs a registry operation, retrying transient failures; a lasting one becomes a RegistryFailure whose
 * message leads with the explanation and keeps helm's own words below it. `afterUpload`: the push and the
 * verification right after it, where the registry may not serve a fresh upload yet.
 */
async function withRetries(policy, context, log, work) {
    for (let attempt = 1;; attempt++) {
        try {
            return await work();
        }
        catch (error) {
            const text = (0,src_text/* errorMessage */.gJ)(error);
            const kind = failureKind(error, context.ref, context.afterUpload);
            if (isTransient(kind) && attempt <= policy.retries) {
                const wait = backoffMs(attempt);
                const quick = policy.helmRetriesHttp && (kind === 'server' || kind === 'throttled');
                log(`${context.operation}: attempt ${attempt} of ${policy.retries + 1} failed ` +
                    `(${kind}${quick ? ', after helm’s five quick retries' : ''}); retrying in ${wait} ms`);
                log(text);
                await sleep(wait);
                continue;
            }
            const lead = explainFailure(kind, { ...context, attempts: attempt, helmRetriesHttp: policy.helmRetriesHttp });
            throw new RegistryFailure(kind, `${lead}\n${text}`);
        }
    }
}

;// CONCATENATED MODULE: ./src/registry/signature-check.ts






/**
 * Downloads the published chart and its provenance (`download` writes the chart to the file it is given and the
 * `.prov` beside it, and tells whether the manifest has one) and checks the signature against the key with
 * `helm verify`, which every helm can run, where Helm 3.18.0 cannot pull a chart that has a provenance layer.
 * The verified `.prov` is copied beside the package, so that package-path and its `.prov` are what the registry
 * holds. Fails when the manifest carries no provenance, or it does not verify with the key.
 */
async function verifySignature(helm, published, signature, log, download) {
    const { location, packagePath, digest } = published;
    const dir = await (0,external_node_fs_promises_.mkdtemp)(external_node_path_default().join(signature.scratch, 'verify-'));
    try {
        const file = external_node_path_default().join(dir, external_node_path_default().basename(packagePath));
        if (!(await download(file, true)))
            throw new Error(`${location.ref}@${digest} carries no provenance (no ${PROV_LAYER} layer).`);
        const verified = await helm.verify(file, signature.pubring).catch((error) => {
            throw new Error(`${location.ref}@${digest}: the signature does not verify with key ${signature.fingerprint}. ${(0,src_text/* errorMessage */.gJ)(error)}`);
        });
        log(transcript(verified));
        if (verified.fingerprint.toUpperCase() !== signature.fingerprint) {
            throw new Error(`${location.ref}@${digest} is signed by key ${verified.fingerprint}, not by ${signature.fingerprint}.`);
        }
        await replaceFile(`${packagePath}.prov`, await (0,external_node_fs_promises_.readFile)(`${file}.prov`));
        log(`${location.ref}@${digest} is signed by ${verified.signedBy} (key ${verified.fingerprint}).`);
    }
    finally {
        await (0,external_node_fs_promises_.rm)(dir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/registry/visibility.ts
/**
 * The GHCR settings page of the chart's package, where its visibility is changed; undefined off ghcr.io. A
 * package is named by its path under the owner (`charts/llm-proxy`), and the page lives under `orgs/` or
 * `users/`: the event says which when the registry's owner is the repository's, else an organisation is assumed,
 * as platform teams publish from one.
 */
function packageSettingsUrl(registry, chartName, repositoryOwner) {
    if (registry.host !== 'ghcr.io')
        return undefined;
    const [owner, ...path] = [...registry.namespace.split('/').filter(Boolean), chartName];
    if (!path.length)
        return undefined;
    const isUser = repositoryOwner.type === 'User' && repositoryOwner.login.toLowerCase() === owner;
    return `https://github.com/${isUser ? 'users' : 'orgs'}/${owner}/packages/container/${encodeURIComponent(path.join('/'))}/settings`;
}
/** The notice for a chart that only a login can pull. */
function privateNotice(ref, settingsUrl) {
    return (`${ref} is private: pulling it needs a login. To let anyone pull it, change its visibility to public at ` +
        `${settingsUrl} (Danger Zone → Change visibility).`);
}

;// CONCATENATED MODULE: ./src/registry/registry-step.ts

















/**
 * Checks the credentials (when there is a password) and looks up the charts' versions, both retried under the
 * policy the inputs and the helm version give. The registry is read by the action's own client; helm only
 * pushes, and reads only where the client cannot (see readerFor).
 */
function startRegistryStep(helm, helmVersion, registry, options, charts, repositoryOwner) {
    const policy = { retries: options.retries, helmRetriesHttp: helmRetriesHttp(helmVersion) };
    printInert(describePolicy(policy, `helm ${helmVersion.text}`));
    const slot = limiter(options.parallel);
    const login = options.password ? { username: options.username, password: options.password } : undefined;
    const opened = readAccess(options.username, options.password, registry.host).then(access => {
        // A login Docker's config holds is as secret as the password input, which the runner masks already.
        if (access.kind === 'docker-config')
            core/* setSecret */.Pq(access.credentials.password);
        return readerFor(access, () => new RegistryClient({
            host: registry.host,
            plainHttp: options.plainHttp,
            credentials: 'credentials' in access ? access.credentials : undefined,
            timeoutMs: options.timeoutMs
        }), () => helmReader(helm, { host: registry.host, plainHttp: options.plainHttp }, login), reason => printInert(reason));
    });
    /**
     * `chart` is undefined for the credential check, which concerns the account rather than a chart; `extra` marks
     * the push and the verification, right after an upload. helm's own quick retries count only for helm's calls.
     */
    const attempt = (operation, chart, log, byHelm, work, extra = {}) => {
        const context = {
            host: registry.host,
            operation,
            chartName: chart?.chartName ?? '',
            timeout: (0,src_text/* formatDuration */.a3)(options.timeoutMs),
            ref: chart?.location.ref,
            ...extra
        };
        return withRetries({ ...policy, helmRetriesHttp: policy.helmRetriesHttp && byHelm }, context, log, work);
    };
    const read = async (operation, chart, log, work, extra) => {
        const reader = await opened;
        return attempt(operation, chart, log, reader.via === 'helm', () => work(reader), extra);
    };
    const checkCredentials = async () => {
        if (!login || !charts.length)
            return;
        await logGroup(`Check the credentials for ${registry.host}`, async (log) => {
            await read('the credential check', undefined, log, reader => reader.checkCredentials(charts[0].location));
            log(`${registry.host} accepts the credentials of ${options.username} (checked through ${(await opened).via}).`);
        });
    };
    /** What the chart's tag holds; undefined only on a clean "not found", never on an error. */
    const find = (chart, when = '') => {
        const { ref } = chart.location;
        return logGroup(`${chart.chartName}: look up ${ref}${when}`, async (log) => {
            const found = await read(`look-up of ${ref}`, chart, log, reader => reader.lookUp(chart.location, chart.version));
            log(found ? `${ref} exists: ${found.digest}` : `${ref} does not exist yet.`);
            return found;
        });
    };
    /**
     * The first look-up ran beside the build, which can be long before the push; a push of the same version that
     * landed since would be replaced unseen. The registry has no conditional put, so look again right before pushing
     * (if-exists fail and skip), which narrows that window to the push itself.
     */
    const lookAgain = async (chart, decision, packageDigest) => {
        if (!decision.push || options.ifExists === 'overwrite')
            return decision;
        const found = await find(chart, ' again before the push');
        // A signed push that landed meanwhile is not checked again: taken as other content.
        return decideBeforePush(options.ifExists, existing(found, packageDigest, !options.signature), chart.location.ref);
    };
    const verify = (chart, digest) => {
        const { ref } = chart.location;
        const check = ['helm show chart', chart.location.url, '--version', chart.version];
        if (options.plainHttp)
            check.push('--plain-http');
        const verifying = { digest, check: check.join(' ') };
        return logGroup(`${chart.chartName}: verify ${ref}`, async (log) => {
            const served = await read(`verification of ${ref}`, chart, log, reader => reader.inspect(chart.location, chart.version), { afterUpload: true, verifying });
            const failure = verificationFailure(ref, { digest, name: chart.chartName, version: chart.version }, served, verifying.check);
            if (failure)
                throw new Error(failure);
            log(`${ref} resolves to ${digest}: ${served.name} ${served.version}, as pushed.`);
        });
    };
    /**
     * The registry's own chart in place of the one just built, when if-exists: skip keeps different content: the
     * chart attached and reported is the one the registry holds. The blob is checked against its digest.
     */
    const fetchPublished = (outcome, digest) => logGroup(`${outcome.chartName}: download ${outcome.location.ref}`, async (log) => {
        await read(`download of ${outcome.location.ref}`, outcome, log, reader => reader.download(outcome.location, outcome.version, digest, outcome.packagePath));
        log(`${outcome.packagePath} is now the registry's ${outcome.location.ref}@${digest}.`);
        return outcome.packagePath;
    });
    /** The signature of the chart the registry holds at `digest`, checked in a log group of its own. */
    const checkSignature = (outcome, digest, signature) => logGroup(`${outcome.chartName}: signature of ${outcome.location.ref}`, log => verifySignature(helm, { ...outcome, digest }, signature, log, (file, withProv) => read(`download of ${outcome.location.ref} for its signature`, outcome, log, reader => reader.download(outcome.location, outcome.version, digest, file, withProv))));
    /** Whether anyone may pull the published chart; a GHCR package that is private gets a notice with the fix. */
    const visibility = async (outcome, digest) => {
        const { ref } = outcome.location;
        try {
            const isPublic = await logGroup(`${outcome.chartName}: visibility of ${ref}`, log => read(`anonymous look-up of ${ref}`, outcome, log, reader => reader.isPublic(outcome.location, digest)));
            const settings = packageSettingsUrl(registry, outcome.chartName, repositoryOwner);
            if (isPublic === false && settings)
                core/* notice */.lm(privateNotice(ref, settings));
            return isPublic;
        }
        catch (error) {
            core/* warning */.$e(`Could not tell whether ${ref} is public: ${(0,src_text/* errorMessage */.gJ)(error)}`);
            return undefined;
        }
    };
    const push = (outcome) => logGroup(`${outcome.chartName}: push to ${registry.url}`, async (log) => {
        const pushed = await attempt('push', outcome, log, true, () => helm.push(outcome.packagePath, registry.url, options.plainHttp), { afterUpload: true });
        log(transcript(pushed));
        return pushed.digest;
    });
    /** The version holds other content, and if-exists: skip keeps it: the registry's chart replaces this run's. */
    const keep = async (outcome, digest) => {
        core/* warning */.$e(`${outcome.location.ref} is already published (${digest}); not pushed again (if-exists: skip).`);
        const kept = { ...outcome, digest, pushed: false };
        try {
            const packagePath = await fetchPublished(outcome, digest);
            return { ...kept, packagePath, public: await visibility(outcome, digest), signed: await keptSignature(kept) };
        }
        catch (error) {
            return { ...kept, packagePath: '', problem: (0,src_text/* errorMessage */.gJ)(error) };
        }
    };
    /**
     * Whether the published chart this run keeps is signed with the key; when it is not, the `.prov` this run made
     * goes, as it belongs to another package.
     */
    const keptSignature = async (outcome) => {
        const { signature } = options;
        if (!signature)
            return undefined;
        try {
            await checkSignature(outcome, outcome.digest, signature);
            return true;
        }
        catch (error) {
            core/* warning */.$e(`${outcome.location.ref} is kept unsigned by this run's key: ${(0,src_text/* errorMessage */.gJ)(error)}`);
            await (0,external_node_fs_promises_.rm)(`${outcome.packagePath}.prov`, { force: true });
            return false;
        }
    };
    const pushAndCheck = async (outcome, replaces) => {
        let digest;
        try {
            digest = await push(outcome);
        }
        catch (error) {
            return { ...outcome, problem: (0,src_text/* errorMessage */.gJ)(error) };
        }
        if (replaces) {
            core/* warning */.$e(`Replaced the published ${outcome.location.ref}: it was ${replaces}, now ${digest} (if-exists: overwrite).`);
        }
        const problem = (check) => check.then(() => undefined, (error) => (0,src_text/* errorMessage */.gJ)(error));
        // Reads of the same manifest, side by side; visibility() settles in every case. A signed chart's signature is
        // checked whatever verify says: the output signed promises it.
        const { signature } = options;
        const [verified, isPublic, unsigned] = await Promise.all([
            options.verify ? problem(verify(outcome, digest)) : undefined,
            visibility(outcome, digest),
            signature ? problem(checkSignature(outcome, digest, signature)) : undefined
        ]);
        const problems = [verified, unsigned].filter(Boolean).join(' ');
        return {
            ...outcome,
            digest,
            pushed: true,
            public: isPublic,
            ...(signature && { signed: !unsigned }),
            ...(problems && { problem: problems })
        };
    };
    const publish = async (outcome, planned, packageDigest) => {
        let decision;
        try {
            decision = await lookAgain(outcome, planned, packageDigest);
        }
        catch (error) {
            return { ...outcome, problem: (0,src_text/* errorMessage */.gJ)(error) };
        }
        if (decision.push)
            return pushAndCheck(outcome, decision.replaces);
        if (!decision.identical)
            return keep(outcome, decision.digest);
        printInert(`${outcome.location.ref} (${decision.digest}) already holds this run's package byte for byte (chart layer ` +
            `${packageDigest}): the content is identical, so nothing is pushed.`);
        const isPublic = await visibility(outcome, decision.digest);
        // With a key, identical content includes a provenance that verified with it (see publishAll).
        return {
            ...outcome,
            digest: decision.digest,
            pushed: false,
            public: isPublic,
            ...(options.signature && { signed: true })
        };
    };
    /**
     * Whether the chart the registry holds byte for byte carries a provenance that verifies with the key (its `.prov`
     * then replaces this run's, which holds a signature of another time); without one it is other content.
     */
    const signedAlike = async (outcome, found, packageDigest) => {
        const { signature } = options;
        if (!signature || !found || found.chartLayer !== packageDigest)
            return true;
        return checkSignature(outcome, found.digest, signature).then(() => true, (error) => {
            printInert(`${outcome.location.ref} holds this run's package, but not signed with its key: ${(0,src_text/* errorMessage */.gJ)(error)}`);
            return false;
        });
    };
    /**
     * The provenance the registry serves with a chart whose signature this run did not verify (an unsigned run, a
     * chart kept or left as it was), beside its package for the GitHub Release: none, one of another key, or an
     * earlier run's. A chart the registry serves without one has no `.prov` after this.
     */
    const servedProvenance = (outcome) => logGroup(`${outcome.chartName}: provenance of ${outcome.location.ref}`, async (log) => {
        const ref = `${outcome.location.ref}@${outcome.digest}`;
        try {
            const provenance = await read(`download of ${ref}`, outcome, log, reader => reader.download(outcome.location, outcome.version, outcome.digest, outcome.packagePath, true));
            log(`${ref} ${provenance ? 'carries a provenance file' : 'carries no provenance file'}.`);
            return { ...outcome, provenance };
        }
        catch (error) {
            return { ...outcome, problem: (0,src_text/* errorMessage */.gJ)(error) };
        }
    });
    /** For the GitHub Release (create-release): whether the published chart comes with a provenance file. */
    const withProvenance = async (settled) => {
        if (!options.createRelease || !settled.digest || settled.problem)
            return settled;
        if (settled.signed)
            return { ...settled, provenance: true };
        // The manifest this run pushed unsigned has no provenance layer: nothing to download.
        if (settled.pushed)
            return { ...settled, provenance: false };
        return servedProvenance(settled);
    };
    /** A chart's publication, then its metadata when the chart is in the registry without a problem. */
    const publishWithMetadata = async (outcome, planned, packageDigest) => {
        const published = await withProvenance(await publish(outcome, planned, packageDigest));
        const metadata = charts.find(chart => chart.chartName === outcome.chartName)?.artifactHub;
        if (!metadata || !published.digest || published.problem)
            return published;
        return publishMetadata(published, metadata, log => read(`push of ${metadataRef(outcome.location)}`, outcome, log, reader => reader.syncMetadata(outcome.location, metadata)));
    };
    const loggedIn = checkCredentials();
    const lookUps = loggedIn.then(() => settleAll(charts.map(chart => slot(() => find(chart)))));
    const byName = lookUps.then(found => new Map(charts.map((chart, index) => [chart.chartName, found[index]])));
    return {
        loggedIn,
        lookedUp: byName.then(() => undefined),
        async publishAll(built) {
            const found = await byName;
            const packageDigests = await Promise.all(built.map(async (outcome) => digestOf(await (0,external_node_fs_promises_.readFile)(outcome.packagePath))));
            const signed = await Promise.all(built.map((outcome, index) => slot(() => signedAlike(outcome, found.get(outcome.chartName), packageDigests[index]))));
            const decisions = built.map((outcome, index) => decide(options.ifExists, existing(found.get(outcome.chartName), packageDigests[index], signed[index]), outcome.location.ref));
            // publish() turns every failure into the chart's problem, so all of them finish before this resolves.
            return Promise.all(built.map((outcome, index) => slot(() => publishWithMetadata(outcome, decisions[index], packageDigests[index]))));
        }
    };
}
/**
 * What the registry holds, compared with the package this run built; `signedAlike`: false when the run signs and
 * the registry's chart carries no provenance that verified with the key.
 */
function existing(found, packageDigest, signedAlike = true) {
    return found && { digest: found.digest, identical: found.chartLayer === packageDigest && signedAlike };
}

;// CONCATENATED MODULE: ./src/signing/key.ts

const EXPORT = 'gpg --armor --export-secret-keys <fingerprint>';
const ARMOR_LINE = /^-----BEGIN PGP ([A-Z ]+)-----\s*$/gm;
/** The input's problem and its fix; never quotes the key. */
const refuse = (problem, fix) => new Error(`Input signing-key ${problem}. ${fix}`);
/**
 * helm reads its passphrase file up to the first line break (bufio.ReadLine), so a trailing line break is not
 * part of the passphrase, and a passphrase with one inside could never reach helm whole.
 */
function helmPassphrase(passphrase) {
    const [first, ...rest] = passphrase.split(/\r?\n/);
    if (rest.some(line => line !== '')) {
        throw new Error('Input signing-passphrase holds a line break: helm reads its passphrase up to the first one, so it would ' +
            'never unlock the key. Change the passphrase to one without line breaks (gpg --change-passphrase).');
    }
    return first;
}
/**
 * Reads the armored private key and checks that helm can sign with it at `now`: exactly one key, with a user ID,
 * neither expired nor revoked, whose primary key (the one helm signs with) may sign, unlocked by the passphrase.
 * openpgp.js is loaded here only, so that unsigned runs do not pay for it.
 */
async function readSigningKey(armored, passphrase, now) {
    const openpgp = await __webpack_require__.e(/* import() */ 74).then(__webpack_require__.bind(__webpack_require__, 3074));
    const blocks = [...armored.matchAll(ARMOR_LINE)].map(match => match[1]);
    if (!blocks.length) {
        throw refuse('is not an ASCII-armored OpenPGP key (no "-----BEGIN PGP PRIVATE KEY BLOCK-----" line); it takes the key ' +
            'itself, not a path to it nor a binary export', `Export the key with ${EXPORT} and store the whole output as a secret.`);
    }
    if (blocks.length > 1) {
        throw refuse(`holds ${blocks.length} armored blocks; helm signs with one key`, `Export only the signing key with ${EXPORT}.`);
    }
    if (blocks[0] === 'PUBLIC KEY BLOCK') {
        throw refuse('holds a public key only, and helm signs with the private key', `Export the private key with ${EXPORT} (the public key goes to users, e.g. at signing-key-url).`);
    }
    if (blocks[0] !== 'PRIVATE KEY BLOCK') {
        throw refuse(`is a PGP ${blocks[0].toLowerCase()}, not a private key`, `Export the key with ${EXPORT}.`);
    }
    let data;
    let keys;
    try {
        // openpgp.js's own messages are not passed on: the key's text is no business of the log.
        data = (await openpgp.unarmor(armored)).data;
        keys = await openpgp.readPrivateKeys({ binaryKeys: data });
    }
    catch {
        throw refuse('is armored but does not read as an OpenPGP private key (a line lost or changed when it was copied?)', `Export it again with ${EXPORT} and store the whole output, line breaks included.`);
    }
    if (keys.length > 1) {
        throw refuse(`holds ${keys.length} keys (${keys.map(fingerprintOf).join(', ')}); helm signs with one`, `Export only the signing key with ${EXPORT}.`);
    }
    const [key] = keys;
    const fingerprint = fingerprintOf(key);
    const named = `holds key ${fingerprint}, which`;
    if (!(key.keyPacket instanceof openpgp.SecretKeyPacket) || key.keyPacket.isDummy()) {
        throw refuse(`${named} lacks its primary secret key (exported with --export-secret-subkeys?), and helm signs with the primary key`, `Export the whole key with ${EXPORT}.`);
    }
    if (await key.isRevoked(undefined, undefined, now)) {
        throw refuse(`${named} is revoked`, 'Sign with a key that is not revoked, and publish its public half.');
    }
    const expires = await key.getExpirationTime();
    if (expires instanceof Date && expires <= now) {
        throw refuse(`${named} expired on ${expires.toISOString()}`, 'Extend its expiry (gpg --quick-set-expire <fingerprint> 2y), export it again and update the secret.');
    }
    const primaryUser = await key.getPrimaryUser(now).catch(() => undefined);
    const userId = primaryUser?.user.userID?.userID ?? '';
    if (!primaryUser || !userId) {
        throw refuse(`${named} has no valid user ID, which helm finds the key by`, 'Add one (gpg --quick-add-uid <fingerprint> "Name <email>"), export the key again and update the secret.');
    }
    // Verification looks the signer up by its usage flags; a primary key without the signing flag signs charts
    // that nobody can verify. Helm signs with the primary key, never with a signing subkey.
    const flags = primaryUser.selfCertification.keyFlags?.[0];
    if (flags !== undefined && !(flags & openpgp.enums.keyFlags.signData)) {
        throw refuse(`${named} has a primary key that may only certify, not sign; helm signs with the primary key, not with a signing subkey`, 'Use a key whose primary key can sign (gpg --quick-gen-key "Name <email>" rsa3072 sign 2y).');
    }
    if (!key.isDecrypted())
        await unlock(openpgp, key, named, passphrase);
    return {
        fingerprint,
        userId,
        secretKeyring: data,
        publicKeyring: key.toPublic().write(),
        passphrase: key.isDecrypted() ? '' : helmPassphrase(passphrase),
        algorithms: [key, ...key.subkeys].map(part => ({
            ...part.getAlgorithmInfo(),
            version: part.keyPacket.version
        }))
    };
}
/** Checks the passphrase by unlocking a copy of the key in memory. */
async function unlock(openpgp, key, named, passphrase) {
    if (!passphrase) {
        throw refuse(`${named} is protected by a passphrase, and input signing-passphrase is empty`, 'Pass the passphrase as signing-passphrase, from a secret.');
    }
    try {
        await openpgp.decryptKey({ privateKey: key, passphrase: helmPassphrase(passphrase) });
    }
    catch (error) {
        if (error instanceof Error && error.message.includes('line break'))
            throw error;
        throw new Error(`Input signing-passphrase does not unlock signing-key (key ${fingerprintOf(key)}). Check that the secret ` +
            'holds the passphrase of this key.');
    }
}
const fingerprintOf = (key) => key.getFingerprint().toUpperCase();
/** What golang.org/x/crypto/openpgp, helm's library before 3.21.4, reads: v4 keys, RSA, DSA, ElGamal, NIST curves. */
const LEGACY_ALGORITHMS = new Set(['rsaEncryptSign', 'rsaEncrypt', 'rsaSign', 'dsa', 'elgamal', 'ecdsa', 'ecdh']);
const NIST_CURVES = new Set(['nistP256', 'nistP384', 'nistP521']);
/**
 * Refuses a key the chosen helm cannot read. Helm 3 before 3.21.4 reads keyrings with golang.org/x/crypto/openpgp,
 * which fails on the whole key when any part of it is Ed25519, Curve25519 or another non-NIST curve (gpg's default
 * since 2.3), or a v6 key; Helm 3.21.4 and 4 use ProtonMail's go-crypto, which reads them all.
 */
function checkHelmCanSign(key, helm) {
    if (helm.major !== 3 || atLeast(helm, 3, 21, 4))
        return;
    const unreadable = key.algorithms.find(part => part.version !== 4 ||
        !LEGACY_ALGORITHMS.has(part.algorithm) ||
        (part.curve !== undefined && !NIST_CURVES.has(part.curve)));
    if (!unreadable)
        return;
    const what = unreadable.curve ? `${unreadable.algorithm} on ${unreadable.curve}` : unreadable.algorithm;
    throw new Error(`helm ${helm.text} cannot sign with key ${key.fingerprint}: it reads keys with golang.org/x/crypto/openpgp, ` +
        `which does not know ${what}${unreadable.version !== 4 ? ` (a v${unreadable.version} key)` : ''}. Use Helm ` +
        '3.21.4 or 4 (input helm-version), or an RSA key (gpg --quick-gen-key "Name <email>" rsa3072 sign 2y).');
}

;// CONCATENATED MODULE: ./src/signing/keyring.ts



/**
 * Writes the legacy keyrings helm reads (binary OpenPGP packets: helm reads neither GnuPG 2's keybox nor an
 * agent) and the passphrase into `<home>/gnupg`, 0700, each file 0600. The passphrase file ends in a line break,
 * where helm stops reading.
 */
async function writeKeyring(home, key) {
    const dir = external_node_path_default().join(home, 'gnupg');
    await (0,external_node_fs_promises_.mkdir)(dir, { mode: 0o700 });
    const file = async (name, data) => {
        const where = external_node_path_default().join(dir, name);
        await writeNewFile(where, data, 0o600);
        return where;
    };
    const sign = { key: key.userId, keyring: await file('secring.gpg', key.secretKeyring) };
    if (key.passphrase)
        sign.passphraseFile = await file('passphrase', `${key.passphrase}\n`);
    return { sign, pubring: await file('pubring.gpg', key.publicKeyring) };
}

;// CONCATENATED MODULE: ./src/build-and-publish.ts












/**
 * In a helm session of the run's own: writes every released chart's files, builds the selected ones while
 * the registry step logs in and looks their versions up, then (when all of them built) publishes them. With a
 * signing key, its keyring lives in the session too. Every helm call has ended before the session (and its
 * credentials) goes.
 */
async function buildAndPublish(inputs, context, helmFound, prepared, registry, sourceDate, signingKey) {
    const charts = prepared.filter(chart => chart.selected);
    const targets = charts.map(({ chart, release, artifactHub }) => ({
        chartName: chart.meta.name,
        version: release.version,
        tag: release.tag,
        location: locateChart(registry, chart.meta.name, release.version),
        artifactHub
    }));
    printInert(targets.map(to => `Releasing ${to.chartName} ${to.version} (tag ${to.tag}) to ${to.location.url}`).join('\n'));
    const login = inputs.push && inputs.password
        ? { host: registry.host, username: inputs.username, password: inputs.password }
        : undefined;
    const session = await openSession(context.runnerTemp, login);
    try {
        const found = await helmFound;
        const needs = {
            push: inputs.push,
            login: inputs.push && inputs.password !== '',
            plainHttp: inputs.plainHttp,
            versions: targets.map(target => target.version)
        };
        checkHelmSupports(found.version, needs);
        if (signingKey)
            checkHelmCanSign(signingKey, found.version);
        for (const warning of credentialWarnings(found.version, needs, registry.host))
            core/* warning */.$e(warning);
        const helm = new helm_Helm(found.bin, session.env, inputs.timeoutMs);
        await logGroup('Chart.yaml', async (log) => {
            for (const chart of prepared)
                log(await writePrepared(chart, inputs.imageTagPath));
        });
        const keyring = signingKey && (await writeKeyring(session.home, signingKey));
        if (signingKey)
            printInert(`Signing with key ${signingKey.fingerprint} (${signingKey.userId}).`);
        const signature = keyring && {
            pubring: keyring.pubring,
            fingerprint: signingKey.fingerprint,
            scratch: session.home
        };
        const registryStep = inputs.push
            ? startRegistryStep(helm, found.version, registry, { ...inputs, signature }, targets, context.repositoryOwner)
            : undefined;
        const loggedIn = registryStep?.loggedIn ?? Promise.resolve();
        const locations = targets.map(target => target.location);
        // Settled, not raced: a failed look-up must not close the session while builds still run helm.
        const [built] = await settleAll([
            buildAll(helm, { ...inputs, sign: keyring?.sign }, charts, locations, loggedIn, session.packages, sourceDate),
            registryStep?.lookedUp ?? Promise.resolve()
        ]);
        // A chart that did not build stops every push: a release is all of the tag's charts or none.
        if (!registryStep || built.some(outcome => outcome.problem))
            return built;
        return await registryStep.publishAll(built);
    }
    finally {
        await closeSession(session);
    }
}

// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 1 modules
var exec = __webpack_require__(1955);
;// CONCATENATED MODULE: ./src/git.ts


/**
 * `git -C workspace …`'s output, under the allow-listed environment; a failure (or no git at all) rejects with
 * git's first line of complaint.
 */
async function git(workspace, args, env = process.env) {
    const output = await (0,exec/* getExecOutput */.H)('git', ['-C', workspace, ...args], {
        ignoreReturnCode: true,
        silent: true,
        env: childEnvironment(env, 'git')
    });
    if (output.exitCode !== 0) {
        throw new Error(output.stderr.trim().split('\n')[0] || `git ${args[0]} exited with ${output.exitCode}`);
    }
    return output.stdout;
}

;// CONCATENATED MODULE: ./src/build/source-date.ts



/**
 * The time a checkout without a commit gives its charts' files: 1980-01-01T00:00:00Z, the earliest time a ZIP
 * archive can hold and the usual stand-in of reproducible builds. Any fixed time would do; this one says
 * plainly that it is no real date.
 */
const FALLBACK_SOURCE_DATE = 315532800;
/** 9999-12-31T23:59:59Z: later times have no ISO 8601 form of four-digit years, and no checkout is that new. */
const LATEST = 253402300799;
/**
 * SOURCE_DATE_EPOCH as the reproducible-builds convention writes it (what `date +%s` prints); undefined when
 * the job does not set it, or sets it empty (`${{ }}` of a missing value). Anything else is refused: a time
 * read wrongly would make packages that only look reproducible.
 */
function parseSourceDateEpoch(value) {
    if (value === undefined || value === '')
        return undefined;
    const seconds = Number(value);
    if (!/^[0-9]+$/.test(value) || seconds > LATEST) {
        throw new Error(`SOURCE_DATE_EPOCH is ${(0,src_text/* show */.WU)(value)}; it must be a whole number of seconds since 1970-01-01 UTC (what ` +
            '`date +%s` prints, e.g. 1700000000) up to the year 9999, or unset.');
    }
    return seconds;
}
/** The committer time `git log -1 --format=%ct` prints; undefined when it printed none (no commit yet). */
function parseCommitTime(stdout) {
    const text = stdout.trim();
    return /^[0-9]+$/.test(text) ? Number(text) : undefined;
}
/** The committer time of the workspace's HEAD; undefined without a commit (or without git). */
const headCommitTime = (workspace, env) => git(workspace, ['log', '-1', '--format=%ct'], env).then(parseCommitTime, () => undefined);
/**
 * The time the released charts' files get, so that the same sources package to the same bytes: the job's
 * SOURCE_DATE_EPOCH when it sets one, else the committer time of the checked-out commit (the same for every
 * checkout of a tag, unlike the files' own times, which are when the checkout wrote them), else a fixed time.
 */
async function readSourceDate(env, workspace) {
    const root = await (0,external_node_fs_promises_.realpath)(workspace);
    const fromEnv = parseSourceDateEpoch(env.SOURCE_DATE_EPOCH);
    if (fromEnv !== undefined)
        return { seconds: fromEnv, from: 'SOURCE_DATE_EPOCH', workspace: root };
    const committed = await headCommitTime(root, env);
    if (committed !== undefined)
        return { seconds: committed, from: 'the committer time of HEAD', workspace: root };
    return { seconds: FALLBACK_SOURCE_DATE, from: 'no commit in the workspace: a fixed time', workspace: root };
}

;// CONCATENATED MODULE: ./src/cancellation.ts



let cancelledBy;
/** Whether the step is being cancelled: its helm calls then fail for that reason, which needs no error of its own. */
function isCancelled() {
    return cancelledBy !== undefined;
}
/**
 * A cancelled job: the runner sends SIGINT, then SIGTERM 7.5 s later, then kills the step. The step stops the
 * helm it started (each in a group of its own, which no signal to the step reaches), removes the credentials
 * and exits non-zero, saying what was under way; a later signal does not cut that short.
 */
function stopOnCancel() {
    const cancel = async (signal) => {
        if (cancelledBy)
            return;
        cancelledBy = signal;
        const commands = runningCommands();
        await stopRunningHelm();
        await closeOpenSession();
        const underWay = commands.length
            ? ` Stopped what helm was doing:\n${commands.join('\n')}\nA push among them may or may not have reached ` +
                'the registry: check it before re-running, and re-run with if-exists: skip to complete the release.'
            : '';
        core/* setFailed */.C1(`The step was cancelled (${signal}).${underWay}`);
        process.exit(1);
    };
    for (const signal of ['SIGINT', 'SIGTERM'])
        process.on(signal, signal => void cancel(signal));
}

// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(2088);
;// CONCATENATED MODULE: ./src/version/version.ts


const TAG_REF = 'refs/tags/';
// Longer than any real release tag; bounds what ends up in error messages.
const MAX_TAG_LENGTH = 128;
/**
 * Strict SemVer 2.0: `semver.parse` accepts a leading `v`/`=` and surrounding blanks and drops build
 * metadata from `.version`, so the parsed form is rebuilt and must equal the input to the letter.
 */
function parseStrictSemver(text) {
    const parsed = (0,semver.parse)(text, { loose: false });
    if (!parsed)
        return undefined;
    const canonical = parsed.build.length ? `${parsed.version}+${parsed.build.join('.')}` : parsed.version;
    if (canonical !== text)
        return undefined;
    return {
        version: canonical,
        major: parsed.major,
        minor: parsed.minor,
        patch: parsed.patch,
        prerelease: parsed.prerelease.join('.')
    };
}
/** `refs/tags/v1.2.3` → `v1.2.3`; a bare tag name stays as it is. */
function tagName(ref) {
    return ref.startsWith(TAG_REF) ? ref.slice(TAG_REF.length) : ref;
}
/** True when `ref` names no tag: empty, a branch, or a pull request's merge ref. */
function isUntagged(ref) {
    return ref === '' || (ref.startsWith('refs/') && !ref.startsWith(TAG_REF));
}
/**
 * The release a tag or an explicit version stands for. Returns undefined when neither names one
 * (the caller decides whether the chart's own version may stand in); throws on anything malformed.
 */
function resolveRelease(source) {
    const { tagPrefix } = source;
    if (source.version !== '') {
        const release = parseStrictSemver(source.version);
        if (!release) {
            throw new Error(`Input version ${(0,src_text/* show */.WU)(source.version)} is not a SemVer 2.0 version. ` +
                `Give it as MAJOR.MINOR.PATCH without a prefix, e.g. 1.2.3 or 1.2.3-rc.1.`);
        }
        return { ...release, tag: `${tagPrefix}${release.version}` };
    }
    const ref = source.tag;
    if (isUntagged(ref))
        return undefined;
    const expected = `${tagPrefix}MAJOR.MINOR.PATCH, e.g. ${tagPrefix}1.2.3 or ${tagPrefix}1.2.3-rc.1`;
    if (ref.length > MAX_TAG_LENGTH) {
        throw new Error(`Tag ${(0,src_text/* show */.WU)(ref)} is longer than ${MAX_TAG_LENGTH} characters. Release tags look like ${expected}.`);
    }
    const tag = tagName(ref);
    if (!tag.startsWith(tagPrefix)) {
        throw new Error(`Tag ${(0,src_text/* show */.WU)(tag)} does not start with the tag prefix ${(0,src_text/* show */.WU)(tagPrefix)}. ` +
            `Release tags look like ${expected}; set input tag-prefix if this repository tags differently.`);
    }
    const release = parseStrictSemver(tag.slice(tagPrefix.length));
    if (!release) {
        throw new Error(`Tag ${(0,src_text/* show */.WU)(tag)} is not ${(0,src_text/* show */.WU)(tagPrefix)} followed by a SemVer 2.0 version. ` +
            `Release tags look like ${expected} (no leading zeros, exactly three numbers).`);
    }
    return { ...release, tag };
}
/**
 * The release a tag stands for among several charts: `v1.2.3` releases all of them in lockstep,
 * `<chart>-v1.2.3` only that one. Undefined when no tag or version names a release.
 */
function resolveChartRelease(source, chartNames) {
    const tag = tagName(source.tag);
    try {
        const release = resolveRelease(source);
        return release && { release };
    }
    catch (lockstepError) {
        const longestFirst = [...chartNames].sort((a, b) => b.length - a.length);
        const chart = longestFirst.find(name => tag.startsWith(`${name}-${source.tagPrefix}`));
        if (source.version !== '' || tag.length > MAX_TAG_LENGTH)
            throw lockstepError;
        if (chart === undefined) {
            if (chartNames.length < 2 || (source.tagPrefix !== '' && tag.startsWith(source.tagPrefix)))
                throw lockstepError;
            throw new Error(`Tag ${(0,src_text/* show */.WU)(tag)} releases none of the charts ${chartNames.join(', ')}. Tag ${source.tagPrefix}1.2.3 ` +
                `releases them all, ${chartNames[0]}-${source.tagPrefix}1.2.3 only ${chartNames[0]}.`);
        }
        const version = tag.slice(chart.length + 1 + source.tagPrefix.length);
        const release = parseStrictSemver(version);
        if (!release) {
            throw new Error(`Tag ${(0,src_text/* show */.WU)(tag)} names chart ${chart}, but ${(0,src_text/* show */.WU)(version)} after ${(0,src_text/* show */.WU)(`${chart}-${source.tagPrefix}`)} ` +
                `is not a SemVer 2.0 version. Tags for one chart look like ${chart}-${source.tagPrefix}1.2.3.`);
        }
        return { release: { ...release, tag }, chart };
    }
}

;// CONCATENATED MODULE: ./src/charts/dependency-order.ts

/** Names of the given charts that `chart` depends on through file://, by resolving each path. */
function inRepoDependencies(chart, charts) {
    return chart.meta.dependencies
        .filter(dep => dep.repository.startsWith('file://'))
        .map(dep => charts.find(other => other.dir === fileDependencyPath(chart.file, dep)))
        .filter((other) => other !== undefined)
        .map(other => other.meta.name);
}
function findCycle(edges) {
    const state = new Map();
    const trail = [];
    const visit = (name) => {
        if (state.get(name) === 'done')
            return undefined;
        if (state.get(name) === 'open')
            return [...trail.slice(trail.indexOf(name)), name];
        state.set(name, 'open');
        trail.push(name);
        for (const next of edges.get(name) ?? []) {
            const cycle = visit(next);
            if (cycle)
                return cycle;
        }
        trail.pop();
        state.set(name, 'done');
        return undefined;
    };
    for (const name of edges.keys()) {
        const cycle = visit(name);
        if (cycle)
            return cycle;
    }
    return undefined;
}
/**
 * Orders chart names so that every chart comes after the charts it depends on; among charts that are free to
 * go, the input order is kept. A cycle is an error that names it.
 */
function dependencyOrder(edges) {
    const cycle = findCycle(edges);
    if (cycle)
        throw new Error(`The charts depend on each other in a cycle: ${cycle.join(' → ')}. Break it in Chart.yaml.`);
    const order = [];
    const placed = new Set();
    while (order.length < edges.size) {
        for (const [name, dependsOn] of edges) {
            if (!placed.has(name) && dependsOn.every(dep => placed.has(dep) || !edges.has(dep))) {
                order.push(name);
                placed.add(name);
                break;
            }
        }
    }
    return order;
}

;// CONCATENATED MODULE: ./src/charts/patterns.ts




const GLOB = /[*?[]/;
/** A glob segment as a RegExp: `*` and `?` stay within the segment, `[…]` is a character class. */
function segmentPattern(segment) {
    let source = '';
    for (let index = 0; index < segment.length; index++) {
        const char = segment[index];
        if (char === '*')
            source += '[^/]*';
        else if (char === '?')
            source += '[^/]';
        else if (char === '[') {
            const close = segment.indexOf(']', index + 1);
            if (close === -1)
                source += '\\[';
            else {
                source += `[${segment
                    .slice(index + 1, close)
                    .replace(/^!/, '^')
                    .replaceAll('\\', '\\\\')}]`;
                index = close;
            }
        }
        else
            source += char.replace(/[.+^${}()|\\]/g, '\\$&');
    }
    return new RegExp(`^${source}$`);
}
/** The most chart directories one run takes; past it, a glob has gone further than anyone meant. */
const MAX_CHARTS = 5000;
/**
 * Where a directory entry leads, when it is a directory. A symlink is followed only inside the workspace: a
 * glob that reaches a link out of it is refused rather than skipped, so that nobody wonders where a chart went.
 */
async function directoryAt(expansion, at, name) {
    const shown = external_node_path_default().join(at.shown, name);
    const real = await (0,external_node_fs_promises_.realpath)(external_node_path_default().join(at.real, name)).catch(() => undefined);
    if (real === undefined || !(await (0,external_node_fs_promises_.stat)(real).catch(() => undefined))?.isDirectory())
        return undefined;
    if (!isWithin(expansion.root, real)) {
        throw new Error(`Input charts: ${(0,src_text/* show */.WU)(expansion.pattern)} reaches ${external_node_path_default().join(expansion.root, shown)}, a symlink to ` +
            `${real}, outside the workspace ${expansion.root}. Charts come from the repository only: remove the ` +
            'link, or list the charts so that no glob reaches it.');
    }
    return { shown, real };
}
async function subdirectories(expansion, at) {
    const entries = await (0,external_node_fs_promises_.readdir)(at.real, { withFileTypes: true }).catch(() => []);
    const places = [];
    // Hidden directories and node_modules hold no charts of the repository's own.
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (entry.name.startsWith('.') || entry.name === 'node_modules')
            continue;
        if (entry.isDirectory())
            places.push({ shown: external_node_path_default().join(at.shown, entry.name), real: external_node_path_default().join(at.real, entry.name) });
        else if (entry.isSymbolicLink()) {
            const place = await directoryAt(expansion, at, entry.name);
            if (place)
                places.push(place);
        }
    }
    return places;
}
async function hasChartYaml(dir) {
    return (await (0,external_node_fs_promises_.readdir)(dir).catch(() => [])).includes('Chart.yaml');
}
function add(expansion, dir) {
    expansion.matched++;
    expansion.found.add(dir);
    if (expansion.found.size > MAX_CHARTS) {
        throw new Error(`Input charts: ${(0,src_text/* show */.WU)(expansion.pattern)} brings the chart directories past ${MAX_CHARTS}, the most one run ` +
            'releases. Narrow the glob (charts/* rather than **), or split the charts over several steps, each with ' +
            'a charts input of its own.');
    }
}
/**
 * Adds the chart directories a glob names below `at`, with `**` for any depth, in the order of a walk that
 * visits a directory before what is below it. One directory at a time: which of two ways to a directory
 * counts is then the first in that order, the same on every run.
 */
async function expandGlob(expansion, at, segments) {
    const key = `${at.real}\0${segments.length}`;
    if (expansion.seen.has(key))
        return;
    expansion.seen.add(key);
    if (segments.length === 0) {
        if (await hasChartYaml(at.real))
            add(expansion, at.shown || '.');
        return;
    }
    const [head, ...rest] = segments;
    if (head === '**') {
        await expandGlob(expansion, at, rest);
        for (const place of await subdirectories(expansion, at))
            await expandGlob(expansion, place, segments);
        return;
    }
    if (!GLOB.test(head)) {
        const place = await directoryAt(expansion, at, head);
        if (place)
            await expandGlob(expansion, place, rest);
        return;
    }
    const pattern = segmentPattern(head);
    for (const place of await subdirectories(expansion, at)) {
        if (pattern.test(external_node_path_default().basename(place.shown)))
            await expandGlob(expansion, place, rest);
    }
}
/**
 * The chart directories the `charts` input names, in its order, each once. A literal entry is taken as it is
 * (a missing Chart.yaml is reported when it is read); a glob keeps only directories holding a Chart.yaml and
 * must match at least one. No more than MAX_CHARTS in all.
 *
 * Hand-written rather than a library's: none keeps symlinks inside the workspace while refusing the ones out
 * of it. @actions/glob follows every link (one to / walks the machine) and enters hidden directories and
 * node_modules before filtering; Node's fs.glob follows no link at all and is missing from Node 20, which the
 * unit tests run on.
 */
async function expandChartPatterns(workspace, patterns) {
    const root = await (0,external_node_fs_promises_.realpath)(workspace);
    const found = new Set();
    for (const pattern of patterns) {
        const expansion = { root, pattern, found, seen: new Set(), matched: 0 };
        if (!GLOB.test(pattern)) {
            add(expansion, pattern);
            continue;
        }
        const wanted = external_node_path_default().resolve(workspace, pattern);
        if (!isWithin(workspace, wanted)) {
            throw new Error(`Input charts: ${(0,src_text/* show */.WU)(pattern)} reaches outside the workspace ${root}. Give globs relative to the repository.`);
        }
        await expandGlob(expansion, { shown: '', real: root }, external_node_path_default().relative(workspace, wanted).split((external_node_path_default()).sep).filter(Boolean));
        if (expansion.matched === 0) {
            throw new Error(`Input charts: ${(0,src_text/* show */.WU)(pattern)} matches no directory holding a Chart.yaml in ${workspace}.`);
        }
    }
    return [...found];
}

;// CONCATENATED MODULE: ./src/charts/plan.ts










/**
 * Every chart the inputs name, read only once its directory (and then its file:// dependencies) is known to
 * hold nothing from outside the workspace: reading a linked Chart.yaml could show a file of the machine in an
 * error, and helm would publish it.
 */
async function readCharts(workspace, options) {
    const dirs = await expandChartPatterns(workspace, options.chartPatterns);
    const root = await (0,external_node_fs_promises_.realpath)(workspace);
    const walked = new Set();
    const chartDirs = [];
    // One after the other: the walk's loop check follows the trail of the one walk under way.
    for (const dir of dirs) {
        const chartDir = resolveChartDir(workspace, dir, options.chartsInput);
        await checkChartTree(root, chartDir, walked);
        chartDirs.push(chartDir);
    }
    const charts = await Promise.all(chartDirs.map((chartDir, index) => readChart(chartDir, dirs[index])));
    for (const chart of charts)
        await checkFileDependencies(root, chart.file, chart.meta.dependencies, walked);
    const seen = new Map();
    for (const chart of charts) {
        const other = seen.get(chart.meta.name);
        if (other && other.dir !== chart.dir) {
            throw new Error(`Two charts are named ${chart.meta.name}: ${other.file} and ${chart.file}. Chart names must be unique.`);
        }
        seen.set(chart.meta.name, chart);
    }
    return [...seen.values()];
}
function ownRelease(chart, tagPrefix) {
    const current = parseStrictSemver(chart.meta.version);
    if (!current)
        throw new Error(`${chart.file} has version ${(0,src_text/* show */.WU)(chart.meta.version)}, which is not SemVer 2.0.`);
    return { ...current, tag: `${tagPrefix}${current.version}` };
}
/** Every name in input `only` must be one the tag releases: a typo would otherwise build and push nothing. */
function checkOnly(only, released) {
    const unknown = only.filter(name => !released.includes(name));
    if (unknown.length === 0)
        return;
    // One name reads as the input itself; of a list, the names the tag does not release.
    const which = only.length === 1 ? `is ${(0,src_text/* show */.WU)(only[0])}` : `names ${unknown.map(src_text/* show */.WU).join(', ')}`;
    throw new Error(`Input only ${which}, which this tag does not release. It releases: ${released.join(', ')}.`);
}
/**
 * Which charts the tag releases at which version, in dependency order. A dry run on a ref that is no tag (a
 * pull request) takes every chart at its own version.
 */
async function planRelease(workspace, inputs, shaShort) {
    const all = await readCharts(workspace, inputs);
    const names = all.map(chart => chart.meta.name);
    const resolved = resolveChartRelease(inputs, names);
    if (!resolved && inputs.push) {
        throw new Error(`Tag ${(0,src_text/* show */.WU)(inputs.tag)} is not a tag, so there is no version to publish. Run the action on a tag push ` +
            `(on: push: tags: ['${inputs.tagPrefix}*']), set input version, or set push: false for a dry run.`);
    }
    const released = resolved?.chart ? all.filter(chart => chart.meta.name === resolved.chart) : all;
    checkOnly(inputs.only, released.map(chart => chart.meta.name));
    const edges = new Map(released.map(chart => [chart.meta.name, inRepoDependencies(chart, released)]));
    const order = dependencyOrder(edges);
    const charts = order.map(name => {
        const chart = released.find(candidate => candidate.meta.name === name);
        const release = resolved?.release ?? ownRelease(chart, inputs.tagPrefix);
        const values = placeholders(release, shaShort);
        const appVersion = renderTemplate('app-version', inputs.appVersion, values);
        const selected = inputs.only.length === 0 || inputs.only.includes(name);
        return { chart, release, appVersion, placeholders: values, dependsOn: edges.get(name), selected };
    });
    return { charts, tagged: resolved?.release };
}
/**
 * The `matrix` output of a plan, for `strategy.matrix`: one job per chart in dependency order, or, with more
 * charts than `maxJobs` (GitHub refuses a matrix of more than 256 jobs), `maxJobs` jobs, each a contiguous run
 * of the dependency order. Since `file://` dependencies come from the checkout, the jobs need not wait for each
 * other; the runs only keep a batch's charts near the ones they share.
 */
function planMatrix(plan, maxJobs) {
    return {
        include: balancedRuns(plan.charts, maxJobs).map(batch => {
            const versions = batch.map(({ release }) => release.version);
            return {
                name: batch.map(({ chart }) => chart.meta.name).join(', '),
                chart: batch.map(({ chart }) => chart.input).join(', '),
                version: new Set(versions).size === 1 ? versions[0] : versions.join(', ')
            };
        })
    };
}

;// CONCATENATED MODULE: ./src/github-release/answers.ts
/**
 * The shapes of GitHub's answers the GitHub Release step uses, checked before any field is read: octokit hands
 * on whatever came (a truncated body as its text, say), and an unchecked answer fails later as a TypeError
 * without the re-run advice. Small typed checks rather than a schema library: five shapes, a few fields each.
 */
const answers_isFields = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
// Each kind by the words a message uses for it.
const TYPES = {
    'a number': (value) => typeof value === 'number',
    text: (value) => typeof value === 'string',
    'true or false': (value) => typeof value === 'boolean',
    'text or null': (value) => value === null || typeof value === 'string',
    absent: (value) => value === undefined
};
/** An object whose fields each have one of the kinds given; `lists` are arrays whose items pass their check. */
function shape(name, fields, lists = {}) {
    return value => {
        if (!answers_isFields(value))
            return `${name} is ${typeof value === 'string' ? 'text, not JSON' : 'no JSON object'}`;
        for (const [field, kinds] of Object.entries(fields)) {
            if (!kinds.some(kind => TYPES[kind](value[field])))
                return `${field} of ${name} is not ${kinds.join(' or ')}`;
        }
        for (const [field, check] of Object.entries(lists)) {
            const items = value[field];
            if (!Array.isArray(items))
                return `${field} of ${name} is no list`;
            const problem = items.map(check).find(Boolean);
            if (problem)
                return problem;
        }
        return undefined;
    };
}
const asset = shape('an asset', {
    id: ['a number'],
    name: ['text'],
    size: ['a number'],
    digest: ['text or null', 'absent']
});
const release = shape('the release', {
    id: ['a number'],
    tag_name: ['text'],
    draft: ['true or false'],
    html_url: ['text'],
    upload_url: ['text'],
    name: ['text or null'],
    body: ['text or null', 'absent'],
    immutable: ['true or false', 'absent']
}, { assets: asset });
const releases = value => {
    if (!Array.isArray(value))
        return `the list of releases is ${typeof value === 'string' ? 'text, not JSON' : 'no list'}`;
    return value.map(release).find(Boolean);
};
const notes = shape('the generated notes', { body: ['text'] });
/** The answers used, by method and URL: the URL as octokit has it, a template or a page's full address. */
const ANSWERS = [
    ['GET', /\/releases\/(tags\/[^/]+|\{release_id\}|\d+)$/, release],
    ['GET', /\/releases(\?.*)?$/, releases],
    ['POST', /\/releases\/generate-notes$/, notes],
    ['POST', /\/releases$/, release],
    ['PATCH', /\/releases\/(\{release_id\}|\d+)$/, release],
    // An upload goes to the release's upload_url, `…/assets{?name,label}`.
    ['POST', /\/assets(\{\?name,label\})?$/, asset]
];
/** What is wrong with GitHub's answer to a request, or undefined when it is fine or not one the step reads. */
function answerProblem(method, url, data) {
    const found = ANSWERS.find(([verb, pattern]) => verb === method && pattern.test(url));
    return found?.[2](data);
}

;// CONCATENATED MODULE: ./src/github-release/api-retry.ts


/**
 * An answer that did not arrive whole within the deadline, or arrived malformed. The message completes
 * "GitHub's answer to <call> …".
 */
class AnswerError extends Error {
    constructor(message) {
        super(message);
        this.name = 'AnswerError';
    }
}
/** How long the GitHub Release step waits for GitHub at most, over all its calls, and how often it tries one. */
const RETRY = { tries: 5, budgetMs: 60_000, firstBackoffMs: 1000 };
/** What GitHub said: the `message` of its JSON answer, without the documentation link octokit appends. */
function apiFailure(error) {
    const failure = error;
    // octokit wraps what its fetch throws as an HTTP 500 of its own; the answer never had a status.
    const answer = [error, failure.cause].find(candidate => candidate instanceof AnswerError);
    if (answer)
        return { message: answer.message, transient: true, tries: failure.tries, call: failure.call };
    const data = failure.response?.data;
    const message = typeof data?.message === 'string' ? data.message : (failure.message ?? String(error));
    return { status: failure.status, message, headers: failure.response?.headers ?? {}, tries: failure.tries };
}
/**
 * GitHub's primary and secondary rate limits: 429, or 403 with retry-after or no requests left (a 403
 * without these is a permission refused, which no wait changes).
 */
function isRateLimited(failure) {
    const headers = failure.headers ?? {};
    if (failure.status === 429)
        return true;
    return (failure.status === 403 &&
        (headers['retry-after'] !== undefined ||
            String(headers['x-ratelimit-remaining']) === '0' ||
            /rate limit/i.test(failure.message)));
}
/**
 * How long to wait before the next try of a call that failed, or undefined to give up: server errors back off
 * exponentially, rate limits wait as long as GitHub says (retry-after, else the reset of the quota, else the
 * minute GitHub's documentation asks for), and nothing waits past the step's budget.
 * @param tries   how many times the call was made
 * @param waitedMs how long the step has waited for GitHub so far
 */
function retryDelay(failure, tries, waitedMs, nowMs) {
    if (tries >= RETRY.tries)
        return undefined;
    if (failure.status === undefined) {
        if (!failure.transient)
            return undefined;
        return fits(RETRY.firstBackoffMs * 2 ** (tries - 1), waitedMs);
    }
    const headers = failure.headers ?? {};
    const retryAfter = headers['retry-after'] === undefined ? undefined : Number(headers['retry-after']) * 1000;
    const reset = Number(headers['x-ratelimit-reset']) * 1000;
    let delay;
    if (isRateLimited(failure)) {
        if (retryAfter !== undefined)
            delay = retryAfter;
        else if (String(headers['x-ratelimit-remaining']) === '0' && reset)
            delay = Math.max(0, reset - nowMs);
        else
            delay = 60_000;
    }
    else if (failure.status >= 500) {
        delay = retryAfter ?? RETRY.firstBackoffMs * 2 ** (tries - 1);
    }
    return delay === undefined ? undefined : fits(delay, waitedMs);
}
/** A wait, unless it would take the step past its budget. */
const fits = (delay, waitedMs) => Number.isNaN(delay) || waitedMs + delay > RETRY.budgetMs ? undefined : delay;
// Statuses whose answer has no body, which a Response cannot be made with.
const EMPTY = new Set([101, 204, 205, 304]);
/**
 * `fetch` with a deadline on the whole answer, headers and body: a GitHub that drips its answer is cut off at
 * `timeoutMs`, however slowly it keeps sending. The body is read here, at most BOUNDS.githubAnswerBytes of it,
 * and JSON nested deeper than BOUNDS.depth is refused before octokit parses it.
 */
function withDeadline(fetch, timeoutMs) {
    return async (url, init = {}) => {
        const deadline = AbortSignal.timeout(timeoutMs);
        const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
        try {
            const response = await fetch(url, { ...init, signal });
            const chunks = [];
            let size = 0;
            for await (const chunk of response.body ?? []) {
                size += chunk.length;
                if (size > bounds/* BOUNDS */.QT.githubAnswerBytes) {
                    throw new AnswerError(`is malformed: it is larger than ${bounds/* BOUNDS */.QT.githubAnswerBytes} bytes`);
                }
                chunks.push(chunk);
            }
            const body = Buffer.concat(chunks);
            if (/json/i.test(response.headers.get('content-type') ?? '')) {
                const text = body.toString('utf8');
                const deep = (0,bounds/* jsonTooDeep */.fJ)(text);
                if (deep !== undefined) {
                    throw new AnswerError(`is malformed: its JSON nests deeper than ${bounds/* BOUNDS */.QT.depth} levels (line ${(0,bounds/* lineOf */.cA)(text, deep)})`);
                }
            }
            const whole = new Response(EMPTY.has(response.status) ? null : body, {
                status: response.status,
                statusText: response.statusText,
                headers: response.headers
            });
            return Object.defineProperty(whole, 'url', { value: response.url });
        }
        catch (error) {
            if (!deadline.aborted)
                throw error;
            throw new AnswerError(`did not come whole within ${(0,src_text/* formatDuration */.a3)(timeoutMs)} (input timeout)`);
        }
    };
}
/** The request's URL with its parameters filled in, as a log line shows it: `{?name,label}` dropped. */
function requestPath(options) {
    return options.url
        .replace(/\{\?[^}]*\}$/, '')
        .replace(/\{(\w+)\}/g, (whole, name) => (options[name] === undefined ? whole : String(options[name])));
}
/**
 * Wraps octokit's requests (`octokit.hook.wrap('request', …)`) to retry them. Our own, not
 * @octokit/plugin-retry with @octokit/plugin-throttling: plugin-retry ignores retry-after and leaves 403 rate
 * limits alone, and plugin-throttling spaces every write a second apart and bounds no total wait, which this
 * step needs. Each try gets the deadline and its answer the check `bounds` give.
 */
function retrying(log, { timeoutMs, check } = {}) {
    let waitedMs = 0;
    return async (request, options) => {
        const path = requestPath(options);
        if (timeoutMs !== undefined) {
            // Set on the request's own options: octokit's inner hooks are bound to that object, and take no other.
            const settings = (options.request ?? {});
            Object.assign(options, {
                request: { ...settings, fetch: withDeadline(settings.fetch ?? globalThis.fetch, timeoutMs) }
            });
        }
        for (let tries = 1;; tries++) {
            try {
                const result = await request(options);
                const problem = check?.(options.method, options.url, result.data);
                if (problem)
                    throw new AnswerError(`is malformed: ${problem}`);
                return result;
            }
            catch (error) {
                const failure = apiFailure(error);
                const delay = retryDelay(failure, tries, waitedMs, Date.now());
                const call = `${options.method} ${path}`;
                if (delay === undefined)
                    throw Object.assign(error, { tries, call });
                log(failure.status === undefined
                    ? `GitHub's answer to ${call} ${failure.message}; trying again in ${Math.ceil(delay / 1000)} s.`
                    : `GitHub answered ${call} with HTTP ${failure.status} (${failure.message || 'no message'}); ` +
                        `trying again in ${Math.ceil(delay / 1000)} s.`);
                waitedMs += delay;
                await new Promise(resolve => setTimeout(resolve, delay));
            }
        }
    };
}

;// CONCATENATED MODULE: ./src/github-release/asset-swap.ts
/** The name a new chart is uploaded under until it replaces the old one: never the name users download. */
function partName(name) {
    return `${name}.part`;
}
/** The asset is the package byte for byte, by the digest GitHub computed. */
function sameAsset(asset, chart) {
    return asset.name === chart.name && asset.size === chart.size && asset.digest === `sha256:${chart.sha256}`;
}
/**
 * Keeps an asset that is the package byte for byte. The package is always the registry's chart (pushed by this
 * run, or pulled when if-exists: skip kept it), so anything else of the name is replaced.
 */
function planSwap(assets, chart) {
    const old = assets.find(asset => asset.name === chart.name);
    if (old && sameAsset(old, chart))
        return { keep: true };
    return { keep: false, old, leftover: assets.find(asset => asset.name === partName(chart.name)) };
}
/**
 * Provenance the release holds for a chart the registry serves without one now (a signed release, then an
 * unsigned overwrite): beside the new chart, `helm verify` of the pair would fail. Parts of such a file go too.
 * Assets of other names are not the action's, and stay.
 * @param packages the names of the charts attached, and whether each comes with a `.prov`
 */
function staleProvenance(assets, packages) {
    const stale = packages.filter(({ prov }) => !prov).flatMap(({ name }) => [`${name}.prov`, partName(`${name}.prov`)]);
    return assets.filter(asset => stale.includes(asset.name));
}
/**
 * Attaches the chart so that the release holds a complete one at every moment: the new chart is uploaded
 * under a part name, and only once it is complete is the old one deleted and the new one renamed.
 */
async function attachChart(calls, assets, chart, log) {
    const plan = planSwap(assets, chart);
    if (plan.keep) {
        log(`${chart.name} is attached already, for the chart the registry holds`);
        return;
    }
    const before = plan.old
        ? `The GitHub Release still holds the previous ${chart.name}.`
        : `The GitHub Release holds no ${chart.name} yet.`;
    if (plan.leftover) {
        await calls.remove(plan.leftover, before);
        log(`Deleted ${plan.leftover.name}, left by an earlier run`);
    }
    const part = await calls.upload(partName(chart.name), chart, before);
    if (plan.old) {
        await calls.remove(plan.old, `${before} The new one is attached as ${part.name}.`);
        log(`Deleted the previous ${chart.name}`);
    }
    await calls.rename(part, chart.name, `The GitHub Release holds the new chart as ${part.name}.`);
    log(`Attached ${chart.name} (${chart.size} bytes, sha256 ${chart.sha256})`);
}

;// CONCATENATED MODULE: ./src/github-release/release-body.ts
// The sections the action writes are marked so that a later run finds them in a body people may have written
// around, and replaces them instead of adding a second one. HTML comments, because GitHub renders them as nothing.
const marks = (name) => ({
    start: `<!-- helm-release-action: ${name} -->`,
    end: `<!-- /helm-release-action: ${name} -->`
});
const CHARTS = marks('charts');
const release_body_CHANGELOG = marks('changelog');
/**
 * The release notes from the charts' changelogs: a section that every released chart shares (the root
 * changelog of a repository, or one chart's own) as it is; otherwise each section under the names of the
 * charts it belongs to, so that no chart's notes read as another's. Empty when no chart has a section.
 */
function changelogNotes(sections, released) {
    const groups = new Map();
    for (const section of sections) {
        const key = `${section.file}:${section.line}`;
        const group = groups.get(key) ?? { names: [], markdown: section.markdown };
        group.names.push(section.chartName);
        groups.set(key, group);
    }
    const all = [...groups.values()];
    if (all.length === 1 && released.every(name => all[0].names.includes(name)))
        return all[0].markdown;
    return all.map(({ names, markdown }) => `## ${names.join(', ')}\n\n${markdown}`).join('\n\n');
}
/** What users need to install the charts: the install lines, then each chart's reference and digest. */
function chartSection(charts) {
    const references = charts.flatMap(chart => charts.length === 1
        ? [`Chart: \`${chart.chartRef}\``, `Digest: \`${chart.digest}\``]
        : [`- \`${chart.chartRef}\` \`${chart.digest}\``]);
    return [CHARTS.start, '```shell', ...charts.map(chart => chart.install), '```', '', ...references, CHARTS.end].join('\n');
}
/** Text without any whole marked section; a start or end marker left on its own stays. */
function without(text, { start, end }) {
    for (;;) {
        const from = text.indexOf(start);
        const to = from < 0 ? -1 : text.indexOf(end, from);
        if (to < 0)
            return text;
        text = `${text.slice(0, from)}${text.slice(to + end.length)}`;
    }
}
/**
 * Text the action puts into the body without the power to start or end one of its sections: a changelog may
 * hold an old release body, markers and all, and a marker of it would otherwise end the section early, so that
 * a re-run took the rest for notes and added it again, or kept an old chart section beside the new one. The
 * markers become other comments, which GitHub renders as nothing all the same. Applied once more, it changes
 * nothing, so a re-run writes the same body.
 */
function inert(text) {
    return text.replace(/<!-- (\/?)helm-release-action:/g, '<!-- $1helm-release-action (quoted):');
}
/**
 * A body without the action's sections: the notes, hand-written or generated by an earlier run. Every whole
 * section goes, so that a body an older version of the action left with a section inside its notes is healed.
 */
function notesOf(body) {
    return without(without(body ?? '', release_body_CHANGELOG), CHARTS).trim();
}
/**
 * The release body leads with the changelog's notes for the version, when there are any, then what users
 * need to install the charts; the other notes (GitHub's generated ones) follow.
 */
function releaseBody(charts, notes, changelog = '') {
    const lead = changelog.trim() ? [release_body_CHANGELOG.start, inert(changelog.trim()), release_body_CHANGELOG.end, ''] : [];
    return [...lead, chartSection(charts), ...(notes.trim() ? ['', inert(notes.trim())] : []), ''].join('\n');
}

;// CONCATENATED MODULE: ./src/github-release/github-release.ts







/** Refuses, before anything changes, a release the action could not create. */
function checkReleasable(repository, token) {
    const [owner, repo, ...rest] = repository.split('/');
    if (!owner || !repo || rest.length) {
        throw new Error(`create-release needs GITHUB_REPOSITORY as owner/name, and it is ${JSON.stringify(repository)}; ` +
            'the Actions runner sets it for every job.');
    }
    if (token === '') {
        throw new Error('Input github-token is empty, and create-release needs a token with the contents: write permission. ' +
            'Leave github-token at its default (github.token) or pass one.');
    }
    return { owner, repo };
}
// Every failure here comes after the push: the way out is a re-run that does not push again.
const RERUN = 'The chart is in the registry; a re-run with if-exists: skip completes the GitHub Release.';
/** GitHub's answer as a message shows it: the status and GitHub's own words, however few. */
function failureText(failure) {
    const tries = failure.tries && failure.tries > 1 ? `, after ${failure.tries} tries` : '';
    if (failure.transient)
        return `GitHub's answer to ${failure.call ?? 'the request'} ${failure.message}${tries}`;
    if (failure.status === undefined)
        return `${failure.message}${tries}`;
    return `HTTP ${failure.status}: ${failure.message || 'no message'}${tries}`;
}
/**
 * Turns GitHub's refusal into the fix: GITHUB_TOKEN is read-only for contents unless the job says otherwise,
 * and a default re-run would stop at the chart already published before it got to the release.
 * @param left what the GitHub Release holds now, when the failure left it changed
 */
function releaseError(failure, what, left, place) {
    const where = `${place.repo.owner}/${place.repo.repo} at ${place.apiUrl}`;
    const state = left ? ` ${left}` : '';
    if (isRateLimited(failure)) {
        return new Error(`GitHub's rate limit stopped the request to ${what} for ${place.tag} in ${where} (${failureText(failure)}), ` +
            `and the action waits ${RETRY.budgetMs / 1000} s for GitHub at most.${state} The chart is in the ` +
            'registry; a re-run with if-exists: skip, once the limit has passed, completes the GitHub Release.');
    }
    if (failure.status === 403) {
        return new Error(`GitHub refused to ${what} for ${place.tag} in ${where} (${failureText(failure)}). The token lacks the ` +
            'contents: write permission: add "permissions: contents: write" to the job, or pass a token that has ' +
            `it as github-token.${state} The chart is already pushed: after that, a re-run with if-exists: skip ` +
            'creates the GitHub Release without pushing it again.');
    }
    return new Error(`Could not ${what} for ${place.tag} in ${where} (${failureText(failure)}).${state} ${RERUN}`);
}
/**
 * A published immutable release keeps its assets: a chart it lacks cannot be attached to it any more, nor a
 * provenance file the registry no longer serves removed.
 */
function immutableError(release, lacking, tag, stale = []) {
    const what = [
        ...lacking.map(chart => {
            const held = release.assets.find(asset => asset.name === chart.name);
            const pushed = `sha256 ${chart.sha256}`;
            return held
                ? `its ${chart.name} is not the chart pushed (${held.digest ?? 'no digest'}, ${held.size} bytes; pushed: ${pushed}, ${chart.size} bytes)`
                : `it has no ${chart.name} (pushed: ${pushed})`;
        }),
        ...stale.map(asset => `it holds ${asset.name}, a provenance file the registry does not serve with the chart`)
    ];
    return new Error(`The GitHub Release for ${tag} (${release.html_url}) is published and immutable, and ${what.join('; ')}. ` +
        'GitHub refuses every change to the assets of an immutable release, and its tag cannot be moved or ' +
        'reused. The chart is in the registry; to attach it to a GitHub Release, release it as a new version ' +
        'with a new tag.');
}
async function readPackage(packagePath) {
    const data = await (0,external_node_fs_promises_.readFile)(packagePath);
    return {
        name: external_node_path_default().basename(packagePath),
        size: data.length,
        sha256: (0,external_node_crypto_.createHash)('sha256').update(data).digest('hex'),
        data,
        contentType: packagePath.endsWith('.prov') ? 'application/pgp-signature' : 'application/gzip'
    };
}
/**
 * Creates the release for the tag, or completes the one a person drafted or a previous run made, and attaches
 * the packaged charts. A new release is made as a draft and published once its charts are attached, so that
 * repositories with immutable releases get them. Every request has `timeoutMs` to answer whole, and every
 * answer used is checked first. Returns the release's web URL.
 */
async function createGitHubRelease(repository, token, spec, log, timeoutMs) {
    const repo = checkReleasable(repository, token);
    // Loaded only here: octokit adds start-up time every run that creates no release would pay for nothing.
    const { getOctokit } = await Promise.resolve(/* import() eager */).then(__webpack_require__.bind(__webpack_require__, 2413));
    const octokit = getOctokit(token);
    octokit.hook.wrap('request', retrying(log, { timeoutMs, check: answerProblem }));
    const place = { repo, tag: spec.tag, apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com' };
    const attempt = async (what, left, call) => {
        try {
            return await call();
        }
        catch (error) {
            throw releaseError(apiFailure(error), what, left, place);
        }
    };
    const existing = await attempt('look up the release', '', async () => {
        try {
            return (await octokit.rest.repos.getReleaseByTag({ ...repo, tag: spec.tag })).data;
        }
        catch (error) {
            if (apiFailure(error).status !== 404)
                throw error;
        }
        // GitHub answers for a tag with its published release only; a draft is found in the list.
        for await (const page of octokit.paginate.iterator(octokit.rest.repos.listReleases, { ...repo, per_page: 100 })) {
            const draft = page.data.find(release => release.draft && release.tag_name === spec.tag);
            if (draft)
                return draft;
        }
        return undefined;
    });
    const files = spec.charts.flatMap(chart => [chart.packagePath, ...(chart.provPath ? [chart.provPath] : [])]);
    const charts = await Promise.all(files.map(readPackage));
    const stale = staleProvenance(existing?.assets ?? [], spec.charts.map(chart => ({ name: external_node_path_default().basename(chart.packagePath), prov: chart.provPath !== undefined })));
    if (existing?.immutable && !existing.draft) {
        const lacking = charts.filter(chart => !planSwap(existing.assets, chart).keep);
        if (lacking.length || stale.length)
            throw immutableError(existing, lacking, spec.tag, stale);
        log(`${existing.html_url} is published and immutable, and holds these charts already; left as it is`);
        return existing.html_url;
    }
    // A body with notes keeps them (a person's draft, or an earlier run's); only one without gets GitHub's.
    const notes = notesOf(existing?.body) ||
        (await attempt('generate release notes', '', async () => {
            const generated = await octokit.rest.repos.generateReleaseNotes({
                ...repo,
                tag_name: spec.tag,
                target_commitish: spec.sha
            });
            return generated.data.body;
        }));
    const fields = {
        ...repo,
        tag_name: spec.tag,
        name: existing?.name || spec.tag,
        body: releaseBody(spec.charts, notes, spec.changelog),
        prerelease: spec.prerelease
    };
    const release = existing ??
        (await attempt('create the release', '', async () => {
            const created = await octokit.rest.repos.createRelease({ ...fields, target_commitish: spec.sha, draft: true });
            log(`Created the draft release ${created.data.html_url}`);
            return created.data;
        }));
    if (existing)
        log(`${existing.draft ? 'Completing the draft release' : 'Updating the release'} ${existing.html_url}`);
    const calls = {
        upload: (name, file, left) => attempt(`upload ${name}`, left, async () => {
            // upload_url, not the uploads.github.com default: on GitHub Enterprise uploads live under the API host.
            const uploaded = await octokit.request({
                method: 'POST',
                url: release.upload_url,
                name,
                data: file.data,
                headers: { 'content-type': file.contentType }
            });
            return uploaded.data;
        }),
        remove: (asset, left) => attempt(`delete ${asset.name}`, left, async () => {
            await octokit.rest.repos.deleteReleaseAsset({ ...repo, asset_id: asset.id });
        }),
        rename: (asset, name, left) => attempt(`rename ${asset.name} to ${name}`, left, async () => {
            await octokit.rest.repos.updateReleaseAsset({ ...repo, asset_id: asset.id, name });
        })
    };
    // First, so that the new chart is never attached beside an old chart's signature.
    for (const asset of stale) {
        await calls.remove(asset, 'The GitHub Release holds the previous charts.');
        log(`Deleted ${asset.name}: the registry serves no provenance file with the chart`);
    }
    for (const chart of charts)
        await attachChart(calls, release.assets, chart, log);
    const publishing = release.draft;
    const published = await attempt(publishing ? 'publish the release' : 'update the release', publishing
        ? 'The GitHub Release is still a draft, with every chart attached.'
        : 'The GitHub Release holds every chart; its notes are those it had.', async () => (await octokit.rest.repos.updateRelease({
        ...fields,
        release_id: release.id,
        draft: false,
        make_latest: spec.makeLatest && !spec.prerelease ? 'true' : 'false'
    })).data);
    log(`${publishing ? 'Published' : 'Updated'} the release ${published.html_url}`);
    return published.html_url;
}

;// CONCATENATED MODULE: ./src/github-release/release-step.ts




/**
 * The GitHub Release for the tag, pointing at every pushed chart, its notes led by the charts' changelog
 * sections; none for a dry run. Returns its URL.
 */
async function githubRelease(inputs, context, run, outcomes, changelogs) {
    return logGroup('GitHub Release', async (log) => {
        if (!inputs.push || !run.tagged) {
            const why = inputs.push ? 'the ref is no tag' : 'push is false';
            log(`Not creating a release: ${why}, so there is no published chart to point it at.`);
            return '';
        }
        const charts = outcomes.map(outcome => ({
            install: installCommand(outcome),
            chartRef: outcome.location.ref,
            digest: outcome.digest,
            packagePath: outcome.packagePath,
            // The registry's own provenance, when it serves one: see the registry step.
            ...(outcome.provenance && { provPath: `${outcome.packagePath}.prov` })
        }));
        const spec = {
            tag: run.tagged.tag,
            sha: context.sha,
            prerelease: run.tagged.prerelease !== '',
            makeLatest: run.image.isLatest,
            charts,
            changelog: changelogNotes(changelogs, outcomes.map(outcome => outcome.chartName))
        };
        return createGitHubRelease(context.repository, inputs.githubToken, spec, log, inputs.timeoutMs);
    });
}

// EXTERNAL MODULE: ./node_modules/@actions/io/lib/io.js
var io = __webpack_require__(8701);
;// CONCATENATED MODULE: ./src/helm/install.ts








const PLATFORMS = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const ARCHES = { x64: 'amd64', arm64: 'arm64' };
function helmArchive(version, mirror, platform, arch) {
    const os = PLATFORMS[platform];
    const cpu = ARCHES[arch];
    if (!os || !cpu) {
        throw new Error(`The action installs helm on linux, darwin and windows with x64 or arm64, not ${platform}/${arch}. ` +
            'Install helm in an earlier step and leave input helm-version empty.');
    }
    const zip = os === 'windows';
    const name = `helm-v${version}-${os}-${cpu}.${zip ? 'zip' : 'tar.gz'}`;
    return {
        name,
        url: `${mirror}/${name}`,
        checksumUrl: `${mirror}/${name}.sha256sum`,
        binary: external_node_path_default().posix.join(`${os}-${cpu}`, zip ? 'helm.exe' : 'helm'),
        zip
    };
}
/** A `.sha256sum` file: `<hex>  <file name>`, as sha256sum writes it (the name may be missing). */
function parseChecksumFile(text, name) {
    const match = /^([0-9a-fA-F]{64})(?:[ \t]+\*?(\S+))?[ \t]*$/m.exec(text);
    if (!match || (match[2] !== undefined && match[2] !== name)) {
        throw new Error(`The checksum file of ${name} does not hold a SHA-256 for it: ${JSON.stringify(text.slice(0, 200))}`);
    }
    return match[1].toLowerCase();
}
// Loaded only when a helm is to be installed: most runs use the helm on PATH and would pay its start-up for nothing.
const loadToolCache = () => Promise.resolve(/* import() eager */).then(__webpack_require__.bind(__webpack_require__, 9805));
async function download(url, what) {
    try {
        return await (await loadToolCache()).downloadTool(url);
    }
    catch (error) {
        throw new Error(`Could not download ${what} from ${url}: ${error.message}. Check inputs helm-version and helm-mirror.`);
    }
}
/** Downloads, checks and caches a helm release; returns the binary. A cached copy is used as it is. */
async function installHelm(version, mirror, log) {
    const archive = helmArchive(version, mirror, process.platform, process.arch);
    const toolCache = await loadToolCache();
    const cached = toolCache.find('helm', version);
    if (cached) {
        log(`Helm ${version} from the tool cache: ${cached}`);
        return external_node_path_default().join(cached, external_node_path_default().basename(archive.binary));
    }
    const [file, checksumFile] = await Promise.all([
        download(archive.url, `Helm ${version}`),
        download(archive.checksumUrl, `the checksum of Helm ${version}`)
    ]);
    const expected = parseChecksumFile(await (0,external_node_fs_promises_.readFile)(checksumFile, 'utf8'), archive.name);
    const actual = (0,external_node_crypto_.createHash)('sha256')
        .update(await (0,external_node_fs_promises_.readFile)(file))
        .digest('hex');
    if (actual !== expected) {
        throw new Error(`${archive.url} has SHA-256 ${actual}, but ${archive.checksumUrl} says ${expected}. Helm was not ` +
            'installed; check input helm-mirror (a proxy or mirror may have served a different file).');
    }
    log(`${archive.url}: SHA-256 ${actual} matches ${archive.checksumUrl}`);
    const unpacked = archive.zip ? await toolCache.extractZip(file) : await toolCache.extractTar(file);
    const dir = await toolCache.cacheDir(external_node_path_default().join(unpacked, external_node_path_default().dirname(archive.binary)), 'helm', version);
    return external_node_path_default().join(dir, external_node_path_default().basename(archive.binary));
}
/**
 * The helm this run uses, the requested release (installed, cached and put on PATH for later steps too) or
 * else the one on PATH, and its version. It needs nothing of the release, so the action starts it first and
 * checks it against what the release needs (checkHelmSupports) before anything changes.
 */
async function findHelm(inputs) {
    let bin;
    if (inputs.helmVersion) {
        bin = await logGroup(`Install Helm ${inputs.helmVersion}`, log => installHelm(inputs.helmVersion, inputs.helmMirror, log));
        core/* addPath */.fM(external_node_path_default().dirname(bin));
        // The archive matched the release's checksum, so the binary is that release: no `helm version` to ask.
        const installed = parseHelmVersionOutput(`v${inputs.helmVersion.replace(/^v/, '')}`);
        if (installed)
            return { bin, version: installed };
    }
    else {
        const found = await (0,io/* which */.K7)('helm', false);
        if (!found) {
            throw new Error(`helm was not found on PATH. Set input helm-version (e.g. ${RECOMMENDED_HELM}) to have the action install it, ` +
                'or install helm in an earlier step.');
        }
        bin = found;
    }
    return { bin, version: await new helm_Helm(bin, {}, inputs.timeoutMs).version() };
}

;// CONCATENATED MODULE: ./src/inputs/run-context.ts




/** What the action reads of the event payload; empty strings where it does not say. */
function readEvent(eventPath) {
    let repository;
    try {
        if (eventPath)
            repository = JSON.parse((0,external_node_fs_.readFileSync)(eventPath, 'utf8')).repository;
    }
    catch {
        repository = undefined;
    }
    const branch = repository?.default_branch;
    const type = repository?.owner?.type;
    return {
        defaultBranch: typeof branch === 'string' ? branch : '',
        ownerType: type === 'Organization' || type === 'User' ? type : ''
    };
}
/** Outside a runner (a local run, @github/local-action) git answers what the runner would have set. */
function askGit(cwd, args) {
    try {
        const env = childEnvironment(process.env, 'git');
        return (0,external_node_child_process_.execFileSync)('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    }
    catch {
        return '';
    }
}
function getRunContext() {
    const env = process.env;
    const event = readEvent(env.GITHUB_EVENT_PATH);
    const workspace = env.GITHUB_WORKSPACE || askGit(process.cwd(), ['rev-parse', '--show-toplevel']) || process.cwd();
    return {
        workspace,
        ref: env.GITHUB_REF || '',
        sha: env.GITHUB_SHA || askGit(workspace, ['rev-parse', 'HEAD']),
        repository: env.GITHUB_REPOSITORY || '',
        serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
        defaultBranch: event.defaultBranch,
        repositoryOwner: {
            login: env.GITHUB_REPOSITORY_OWNER || (env.GITHUB_REPOSITORY || '').split('/')[0],
            type: event.ownerType
        },
        runnerTemp: env.RUNNER_TEMP || external_node_os_default().tmpdir()
    };
}
/** The repository's web address, e.g. https://github.com/sofatutor/llm-proxy; empty when the run does not know it. */
function repositoryUrl(context) {
    return context.repository ? `${context.serverUrl}/${context.repository}` : '';
}

;// CONCATENATED MODULE: ./src/image/tag-history.ts


/**
 * The workspace repository's tags and whether its history is shallow (actions/checkout fetches one commit
 * and only the pushed tag unless told otherwise). A workspace without git yields the reason instead.
 */
async function readTagHistory(workspace) {
    try {
        const [shallow, tags] = await Promise.all([
            git(workspace, ['rev-parse', '--is-shallow-repository']),
            git(workspace, ['for-each-ref', '--format=%(refname:strip=2)', 'refs/tags'])
        ]);
        return { shallow: shallow.trim() === 'true', tags: tags.split('\n').filter(Boolean) };
    }
    catch (error) {
        return { error: (0,src_text/* errorMessage */.gJ)(error) };
    }
}

;// CONCATENATED MODULE: ./src/image/image-metadata.ts








const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** `sha-` + the first 7 hex of the commit, as docker/metadata-action's type=sha names it. */
function shortSha(sha) {
    if (!COMMIT.test(sha)) {
        throw new Error(`GITHUB_SHA ${(0,src_text/* show */.WU)(sha)} is not a commit SHA; the Actions runner sets it for every job, and outside a runner the workspace's git HEAD stands in.`);
    }
    return `sha-${sha.slice(0, 7)}`;
}
/** The highest stable version among tags carrying the prefix; prereleases do not move `latest`. */
function newestStable(tags, tagPrefix) {
    const versions = tags
        .filter(tag => tag.startsWith(tagPrefix))
        .map(tag => parseStrictSemver(tag.slice(tagPrefix.length)))
        .filter(release => release !== undefined && release.prerelease === '')
        .map(release => release.version);
    return versions.sort(semver.compare).at(-1);
}
/** Whether the image (and the GitHub Release) is the one `latest` should point at. */
function decideLatest(question) {
    const { mode, release, tagPrefix, history } = question;
    if (mode !== 'auto')
        return { latest: mode === 'true' };
    if (!release)
        return { latest: question.onDefaultBranch };
    if (release.prerelease !== '')
        return { latest: false };
    const fallback = (why) => ({
        latest: true,
        warning: `Cannot tell whether ${release.tag} is the newest release: ${why}. Treating it as latest because it is ` +
            'stable. Check out with fetch-depth: 0 (or fetch-tags: true) to compare with the older tags, or set ' +
            'input latest to true or false.'
    });
    if ('error' in history)
        return fallback(`the repository's tags could not be read (${history.error})`);
    const others = history.tags.filter(tag => tag.startsWith(tagPrefix) && tag !== release.tag);
    if (others.length === 0 && (history.shallow || !history.tags.includes(release.tag))) {
        return fallback(history.shallow
            ? `the checkout is shallow and holds no other ${tagPrefix}* tag`
            : `the repository holds no ${tagPrefix}* tag`);
    }
    const newest = newestStable(others, tagPrefix);
    return { latest: newest === undefined || (0,semver.compare)(release.version, newest) >= 0 };
}
/**
 * The tag names, most specific first since the first one becomes the version label: the tag, major.minor, the
 * commit, latest. A prerelease gets its tag and the commit only (and latest only when asked for explicitly),
 * since users pinned to 1.2 must not move to a prerelease; a branch push gets the commit only.
 */
function imageTagNames(release, shaShort, latest) {
    const names = [];
    if (release) {
        names.push(ociTag(release.tag));
        if (release.prerelease === '')
            names.push(`${release.major}.${release.minor}`);
    }
    names.push(shaShort);
    if (latest)
        names.push('latest');
    return names;
}
function imageLabels({ version, sha, sourceUrl }) {
    return [
        `org.opencontainers.image.version=${version}`,
        `org.opencontainers.image.revision=${sha}`,
        ...(sourceUrl ? [`org.opencontainers.image.source=${sourceUrl}`] : [])
    ];
}
/** Only `auto` on a stable release compares with the other tags; everything else is decided without git. */
function needsTagHistory(mode, release) {
    return mode === 'auto' && release !== undefined && release.prerelease === '';
}
function imageMetadata(source, release, latest) {
    const shaShort = shortSha(source.sha);
    const names = imageTagNames(release, shaShort, latest);
    return {
        shaShort,
        isLatest: latest,
        tags: source.image ? names.map(name => `${source.image}:${name}`) : [],
        labels: imageLabels({ version: names[0], sha: source.sha, sourceUrl: source.sourceUrl })
    };
}
/**
 * The Docker step's tags and labels for this run. The repository's tags are read (with git) only when
 * `latest: auto` has a stable release to compare; a fallback warns when someone consumes the result.
 */
async function resolveImageMetadata(inputs, github, release) {
    const history = needsTagHistory(inputs.latest, release)
        ? await readTagHistory(github.workspace)
        : { tags: [], shallow: false };
    const { latest, warning } = decideLatest({
        mode: inputs.latest,
        release,
        tagPrefix: inputs.tagPrefix,
        onDefaultBranch: github.defaultBranch !== '' && github.ref === `refs/heads/${github.defaultBranch}`,
        history
    });
    // A chart-only release from a shallow checkout (actions/checkout's default) should not warn every time.
    if (warning)
        (inputs.image || inputs.createRelease ? core/* warning */.$e : printInert)(warning);
    return imageMetadata({ image: inputs.image, sha: github.sha, sourceUrl: repositoryUrl(github) }, release, latest);
}

;// CONCATENATED MODULE: ./src/inputs/parse.ts




/**
 * Each input's own check: the value as the step got it (action.yml's default already applied by the runner),
 * to what the action works with, or an error that names the input, the value and what it takes.
 */
const IF_EXISTS = ['fail', 'skip', 'overwrite'];
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);
function parseBoolean(name, value) {
    if (TRUE.has(value))
        return true;
    if (FALSE.has(value))
        return false;
    throw new Error(`Input ${name} is ${(0,src_text/* show */.WU)(value)}; it takes true or false.`);
}
function parseIfExists(value) {
    const found = IF_EXISTS.find(choice => choice === value);
    if (!found)
        throw new Error(`Input if-exists is ${(0,src_text/* show */.WU)(value)}; it takes fail, skip or overwrite.`);
    return found;
}
const MAX_RETRIES = 10;
function parseRetries(value) {
    if (!/^[0-9]{1,2}$/.test(value) || Number(value) > MAX_RETRIES) {
        throw new Error(`Input retries is ${(0,src_text/* show */.WU)(value)}; it takes a whole number from 0 to ${MAX_RETRIES}.`);
    }
    return Number(value);
}
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** A Go-style duration as helm users write them (`30s`, `5m`, `1m30s`), from 1s to 6h (a job's own limit). */
function parseDuration(name, value) {
    const refuse = (why) => new Error(`Input ${name} is ${(0,src_text/* show */.WU)(value)}; ${why} It takes a duration such as 30s, 5m or 1m30s.`);
    if (!/^(?:[0-9]+(?:ms|s|m|h))+$/.test(value))
        throw refuse('that is not a duration.');
    let total = 0;
    for (const [, amount, unit] of value.matchAll(/([0-9]+)(ms|s|m|h)/g))
        total += Number(amount) * UNIT_MS[unit];
    if (total < 1000 || total > 6 * UNIT_MS.h)
        throw refuse('it must lie between 1s and 6h.');
    return total;
}
/** `3.18.1` or `v3.18.1`: an exact release, since the archive name and its checksum are per release. */
function parseHelmVersion(value) {
    if (value === '')
        return '';
    const match = /^v?((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?)$/.exec(value);
    if (!match) {
        throw new Error(`Input helm-version is ${(0,src_text/* show */.WU)(value)}; it takes an exact Helm release such as 3.21.1 or ${RECOMMENDED_HELM} (no ranges, no "latest").`);
    }
    const [, version, major, minor] = match;
    if (Number(major) < 3 || (Number(major) === 3 && Number(minor) < 8)) {
        throw new Error(`Input helm-version is ${(0,src_text/* show */.WU)(value)}; Helm before 3.8 cannot push to OCI registries. Use 3.8.0 or later, e.g. ${RECOMMENDED_HELM}.`);
    }
    return version;
}
function parseMirror(value) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash) {
        throw new Error(`Input helm-mirror is ${(0,src_text/* show */.WU)(value)}; it takes the http(s) URL Helm's release archives are under, e.g. https://get.helm.sh.`);
    }
    return value.replace(/\/+$/, '');
}
function parseParallel(value) {
    if (value === '')
        return external_node_os_default().availableParallelism();
    if (!/^[1-9][0-9]{0,3}$/.test(value)) {
        throw new Error(`Input parallel is ${(0,src_text/* show */.WU)(value)}; it takes a whole number of charts from 1, or nothing for the CPU count.`);
    }
    return Number(value);
}
/** GitHub runs at most 256 jobs from one matrix, and refuses the whole workflow run past that. */
const MAX_MATRIX_JOBS = 256;
function parseMaxJobs(value) {
    if (!/^[1-9][0-9]{0,2}$/.test(value) || Number(value) > MAX_MATRIX_JOBS) {
        throw new Error(`Input max-jobs is ${(0,src_text/* show */.WU)(value)}; it takes a whole number from 1 to ${MAX_MATRIX_JOBS}, the most jobs ` +
            'GitHub runs from one matrix.');
    }
    return Number(value);
}
/**
 * Chart names separated by commas and/or line breaks (a `plan` matrix entry holds a batch as `common, api`),
 * in the order given, each once; none means every chart. Chart names hold neither, so nothing is lost: a name
 * the tag does not release is refused by the plan, which knows the released ones.
 */
function parseOnly(value) {
    const names = value.split(/[,\r\n]/).map(name => name.trim());
    return [...new Set(names.filter(name => name !== ''))];
}
function parseLatest(value) {
    if (value === 'auto' || value === 'true' || value === 'false')
        return value;
    throw new Error(`Input latest is ${(0,src_text/* show */.WU)(value)}; it takes auto, true or false.`);
}
/**
 * The image name without a tag, lowercased (Docker refuses capitals, and `${{ github.repository }}` keeps
 * the owner's). A tag or digest in it is refused: the action appends the tags itself.
 */
function parseImage(input) {
    const image = input.trim().toLowerCase();
    if (image === '')
        return '';
    const fix = 'Give the image name without a tag, e.g. ghcr.io/sofatutor/llm-proxy.';
    if (/^[a-z][a-z0-9+.-]*:\/\//.test(image))
        throw new Error(`Input image ${(0,src_text/* show */.WU)(input)} has a scheme. ${fix}`);
    const [first, ...rest] = image.split('/');
    if (image.includes('@') || (rest.at(-1) ?? first).includes(':')) {
        throw new Error(`Input image ${(0,src_text/* show */.WU)(input)} carries a tag or digest. ${fix}`);
    }
    // As Docker reads a reference: the first part is a registry host only if it looks like one.
    const hasHost = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
    if (hasHost && !HOST.test(first))
        throw new Error(`Input image ${(0,src_text/* show */.WU)(input)} has an invalid host. ${fix}`);
    const bad = (hasHost ? rest : [first, ...rest]).find(part => !PATH_COMPONENT.test(part));
    if (bad !== undefined)
        throw new Error(`Input image ${(0,src_text/* show */.WU)(input)} has the invalid path part ${(0,src_text/* show */.WU)(bad)}. ${fix}`);
    return image;
}
const KEY = /^[A-Za-z0-9_-]+$/;
/** `image.tag` → ['image', 'tag']; keys are plain words, since helm values paths are written that way. */
function parseKeyPath(input, value) {
    const segments = value.split('.');
    if (!segments.every(segment => KEY.test(segment))) {
        throw new Error(`Input ${input} ${(0,src_text/* show */.WU)(value)} is not a dotted key path. Give the keys from the top of the values file ` +
            'down to the image tag, joined by dots, e.g. image.tag.');
    }
    return segments;
}
/** As helm reads `--kube-version` (a SemVer core, `v` optional, minor and patch may be left out). */
function parseKubeVersion(value) {
    if (value === '' || /^v?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){0,2}$/.test(value))
        return value;
    throw new Error(`Input kube-version is ${(0,src_text/* show */.WU)(value)}; it takes a Kubernetes version such as 1.31 or 1.31.2, or nothing ` +
        "for helm's default.");
}
/** Artifact Hub shows the URL to users who check a signature, so it must be one they can fetch safely. */
function parseKeyUrl(value) {
    if (value === '')
        return '';
    let url;
    try {
        url = new URL(value);
    }
    catch {
        url = undefined;
    }
    if (url?.protocol !== 'https:' || url.username || url.password) {
        throw new Error(`Input signing-key-url is ${(0,src_text/* show */.WU)(value)}; it takes an https URL of the public key without credentials, ` +
            'e.g. https://keys.openpgp.org/vks/v1/by-fingerprint/<FINGERPRINT>.');
    }
    return value;
}

;// CONCATENATED MODULE: ./src/inputs/inputs.ts


/**
 * An input that has no meaning when empty. The runner fills in action.yml's default for an input the workflow
 * leaves out, so only an explicit empty value (often an unset expression) gets here.
 */
function nonEmpty(name, example) {
    const value = core/* getInput */.V4(name);
    if (value === '')
        throw new Error(`Input ${name} is empty. Leave it out for its default, or set it, e.g. ${example}.`);
    return value;
}
/** The armored key's lines that carry key material: all but its armor lines and headers. */
function keyLines(armored) {
    return armored
        .split(/\r?\n/)
        .map(line => line.trim())
        .filter(line => line !== '' && !line.startsWith('-----') && !/^[A-Za-z-]+: /.test(line));
}
/** Every input, read and checked once, before the action changes anything; defaults come from action.yml. */
function getInputs() {
    const password = core/* getInput */.V4('password');
    const githubToken = core/* getInput */.V4('github-token');
    const signingKey = core/* getInput */.V4('signing-key');
    const signingPassphrase = core/* getInput */.V4('signing-passphrase', { trimWhitespace: false });
    // Registered first, so that no later message or log line can show them. The runner masks a multi-line
    // value only whole, so each line of the key is registered too.
    for (const secret of [password, githubToken, signingPassphrase, ...keyLines(signingKey)])
        if (secret)
            core/* setSecret */.Pq(secret);
    const input = (name) => core/* getInput */.V4(name);
    const flag = (name) => parseBoolean(name, input(name));
    const charts = core/* getMultilineInput */.q3('charts').filter(line => line !== '' && !line.startsWith('#'));
    const imageTagPath = input('image-tag-path');
    return {
        chartsInput: charts.length ? 'charts' : 'chart',
        chartPatterns: charts.length ? charts : [input('chart')],
        only: parseOnly(input('only')),
        plan: flag('plan'),
        maxJobs: parseMaxJobs(input('max-jobs')),
        parallel: parseParallel(input('parallel')),
        // Untrimmed: a tag or version with stray whitespace or a newline is refused, not silently repaired.
        tag: core/* getInput */.V4('tag', { trimWhitespace: false }),
        tagPrefix: input('tag-prefix'),
        version: core/* getInput */.V4('version', { trimWhitespace: false }),
        appVersion: nonEmpty('app-version', '{{version}}'),
        registry: input('registry'),
        username: input('username'),
        password,
        push: flag('push'),
        lintStrict: flag('lint-strict'),
        plainHttp: flag('plain-http'),
        linkSource: flag('link-source'),
        kubeVersion: parseKubeVersion(input('kube-version')),
        signingKey,
        signingPassphrase,
        signingKeyUrl: parseKeyUrl(input('signing-key-url')),
        image: parseImage(input('image')),
        latest: parseLatest(input('latest')),
        valuesFile: nonEmpty('values-file', 'values.yaml'),
        imageTagPath: imageTagPath ? parseKeyPath('image-tag-path', imageTagPath) : [],
        imageTag: nonEmpty('image-tag', '{{tag}}'),
        createRelease: flag('create-release'),
        githubToken,
        ifExists: parseIfExists(input('if-exists')),
        verify: flag('verify'),
        retries: parseRetries(input('retries')),
        timeoutMs: parseDuration('timeout', input('timeout')),
        helmVersion: parseHelmVersion(input('helm-version')),
        helmMirror: parseMirror(input('helm-mirror'))
    };
}

;// CONCATENATED MODULE: ./src/outputs/outputs.ts



/** The `charts` output: one object per released chart, in release order. */
function chartsOutput(outcomes) {
    return JSON.stringify(outcomes.map(outcome => ({
        name: outcome.chartName,
        version: outcome.version,
        'app-version': outcome.appVersion,
        'chart-url': outcome.location.url,
        'chart-repository': outcome.location.name,
        digest: outcome.digest,
        pushed: outcome.pushed,
        public: outcome.public ?? null,
        signed: Boolean(outcome.signed),
        'package-path': outcome.packagePath,
        error: outcome.problem ?? ''
    })));
}
/** Empty on a ref that is no tag: the chart is packaged at its own version, but nothing is released. */
function versionOutputs(release) {
    return {
        version: release?.version ?? '',
        tag: release?.tag ?? '',
        major: release ? String(release.major) : '',
        minor: release ? String(release.minor) : '',
        patch: release ? String(release.patch) : '',
        prerelease: release?.prerelease ?? '',
        'is-prerelease': String(Boolean(release?.prerelease)),
        'major-minor': release ? `${release.major}.${release.minor}` : ''
    };
}
function imageOutputs(image) {
    return {
        'sha-short': image.shaShort,
        'is-latest': String(image.isLatest),
        'docker-tags': image.tags.join('\n'),
        'docker-labels': image.labels.join('\n')
    };
}
/** The chart's own outputs; set when exactly one chart was released, as they mean one chart. */
function chartOutputs(outcome) {
    return {
        'chart-name': outcome.chartName,
        'chart-version': outcome.version,
        'app-version': outcome.appVersion,
        'package-path': outcome.packagePath,
        'chart-url': outcome.location.url,
        'chart-ref': outcome.location.ref,
        'chart-repository': outcome.location.name,
        digest: outcome.digest,
        pushed: String(outcome.pushed),
        public: outcome.public === undefined ? '' : String(outcome.public),
        signed: String(Boolean(outcome.signed))
    };
}
function setOutputs(outcomes, run) {
    const outputs = {
        ...versionOutputs(run.tagged),
        ...imageOutputs(run.image),
        ...(outcomes.length === 1 ? chartOutputs(outcomes[0]) : {}),
        charts: chartsOutput(outcomes),
        'signing-fingerprint': run.signingFingerprint,
        'release-url': run.releaseUrl
    };
    for (const [name, value] of Object.entries(outputs))
        core/* setOutput */.uH(name, value);
}
/** The log's last word on each chart: where it is and how to install it; a failed chart's error says the rest. */
function logOutcomes(outcomes) {
    const lines = outcomes.flatMap(outcome => {
        const install = `Install it with: ${installCommand(outcome)}`;
        if (outcome.pushed)
            return [`Published ${outcome.location.ref}@${outcome.digest}`, install];
        if (outcome.digest)
            return [`Already published: ${outcome.location.ref}@${outcome.digest}`, install];
        // With push on, a chart is pushed, kept (it has a digest) or failed: only push: false leaves it packaged.
        return outcome.problem ? [] : [`Packaged ${outcome.packagePath}; not pushed (push: false).`];
    });
    if (lines.length)
        printInert(lines.join('\n'));
}

// EXTERNAL MODULE: ./node_modules/entities/dist/escape.js
var dist_escape = __webpack_require__(8822);
;// CONCATENATED MODULE: ./src/outputs/summary.ts



/**
 * Text as markup for the summary, which core.summary writes as it is. Chart names and helm's and the
 * registry's messages are untrusted: escaped, they cannot add markup, and a line break becomes `<br>`, since a
 * blank line would end the HTML block and let the rest render as markdown.
 */
const escapeHtml = (text) => (0,dist_escape/* escapeUTF8 */.Nc)(text).replace(/\r\n|\r|\n/g, '<br>');
/** `2 of 3 charts failed`, or `… did not build` when every failed chart failed before it had a package. */
function failedCount(outcomes) {
    const failed = outcomes.filter(outcome => outcome.problem);
    const verb = failed.every(didNotBuild) ? 'did not build' : 'failed';
    return `${failed.length} of ${outcomes.length} ${outcomes.length === 1 ? 'chart' : 'charts'} ${verb}`;
}
function heading(outcomes) {
    const inRegistry = outcomes.filter(outcome => outcome.digest).length;
    if (outcomes.some(outcome => outcome.problem)) {
        return inRegistry
            ? `${failedCount(outcomes)}; ${inRegistry} in the registry`
            : `Nothing published: ${failedCount(outcomes)}`;
    }
    const what = outcomes.length === 1 ? `${outcomes[0].chartName} ${outcomes[0].version}` : `${outcomes.length} charts`;
    if (!outcomes.every(outcome => outcome.digest))
        return `Packaged ${what} (not pushed)`;
    return outcomes.some(outcome => outcome.pushed) ? `Published ${what}` : `${what}: already published (if-exists: skip)`;
}
async function writeSummary(outcomes, run) {
    // Outside a runner (a local run) there is no summary file; the outputs already carry everything.
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const rows = outcomes.map(outcome => [
        outcome.chartName,
        outcome.version,
        outcome.appVersion,
        outcome.location.ref,
        [outcome.digest, outcome.problem].filter(Boolean).join(': ') || 'not pushed'
    ]);
    const summary = core/* summary */.z
        .addHeading(escapeHtml(heading(outcomes)), 2)
        .addTable([
        ['Chart', 'Version', 'appVersion', 'Reference', 'Digest'].map(data => ({ data, header: true })),
        ...rows.map(row => row.map(escapeHtml))
    ]);
    if (outcomes.every(outcome => outcome.digest && !outcome.problem))
        summary.addCodeBlock((0,dist_escape/* escapeUTF8 */.Nc)(outcomes.map(installCommand).join('\n')), 'shell');
    if (run.signingFingerprint) {
        const signed = outcomes.filter(outcome => outcome.signed).length;
        summary.addRaw(`<p>Signed with OpenPGP key <code>${run.signingFingerprint}</code>: ${signed} of ${outcomes.length} ` +
            'published with a provenance file that verified against it; users check it with ' +
            '<code>helm pull --verify</code>.</p>', true);
    }
    if (run.releaseUrl)
        summary.addLink(escapeHtml(`GitHub Release ${run.tagged?.tag ?? ''}`), (0,dist_escape/* escapeUTF8 */.Nc)(run.releaseUrl));
    await summary.write();
}

;// CONCATENATED MODULE: ./src/outputs/report.ts



/** What the run leaves for the workflow and for people: outputs, the job summary, the log's last word. */
async function report(outcomes, run) {
    setOutputs(outcomes, run);
    await writeSummary(outcomes, run);
    logOutcomes(outcomes);
}
/**
 * Why the step fails, when a chart has a problem. With one chart that is its problem; with several, one
 * annotation per failed chart and a message that names them, says what the registry now holds, and how a
 * re-run completes the set.
 */
function problemsMessage(outcomes) {
    const failed = outcomes.filter(outcome => outcome.problem);
    if (!failed.length)
        return undefined;
    if (outcomes.length === 1)
        return failed[0].problem;
    const names = failed.map(outcome => outcome.chartName).join(', ');
    const inRegistry = outcomes.filter(outcome => outcome.digest);
    if (!inRegistry.length)
        return `${failedCount(outcomes)} (${names}); nothing was pushed.`;
    const held = inRegistry.map(outcome => `${outcome.location.ref}@${outcome.digest}`).join(', ');
    return (`${failedCount(outcomes)} (${names}). The registry now holds ${held}. ` +
        'Re-run the job with input if-exists: skip to complete the set: it keeps what is published and pushes the rest.');
}
/** Fails the step when a chart has a problem: after report(), so that outputs and summary say what happened. */
function failOnProblems(outcomes) {
    const message = problemsMessage(outcomes);
    if (!message)
        return;
    if (outcomes.length > 1)
        for (const outcome of outcomes.filter(({ problem }) => problem))
            core/* error */.z3(`${outcome.chartName}: ${outcome.problem}`);
    throw new Error(message);
}

;// CONCATENATED MODULE: ./src/post.ts




/**
 * The safety net: the main step cleans up after itself, so this only runs when it could not (it was killed).
 * helm goes first: an orphaned push must not go on after its credentials are gone, nor publish unverified.
 */
async function post() {
    const groups = savedGroups(core/* getState */.Gu(state/* STATE */.c.helmGroups));
    if (groups.length) {
        await stopGroups(groups);
        core/* warning */.$e(`The main step ended while helm still ran (process groups ${groups.join(', ')}); stopped it. A push under ` +
            'way may or may not have reached the registry: check it, and re-run with if-exists: skip to complete the release.');
    }
    if (core/* getState */.Gu(state/* STATE */.c.helmHome))
        await closeSession(savedSession());
}

;// CONCATENATED MODULE: ./src/main.ts


















// The post step's code rides in the main step's chunk, so that the bundle holds each module once.

/** `plan: true`: which charts the tag releases, for a matrix of jobs; nothing is built or changed. */
async function setMatrix(inputs, context) {
    const plan = await planRelease(context.workspace, inputs, shortSha(context.sha));
    core/* setOutput */.uH('matrix', JSON.stringify(planMatrix(plan, inputs.maxJobs)));
    printInert(plan.charts.map(({ chart, release }) => `${chart.meta.name} ${release.version} (${chart.input})`).join('\n'));
}
/** The release, step by step; every check that can refuse it runs before the first file is written. */
async function run() {
    try {
        core/* saveState */.LZ(state/* STATE */.c.isPost, 'true');
        stopOnCancel();
        const inputs = getInputs();
        const context = getRunContext();
        if (inputs.plan)
            return await setMatrix(inputs, context);
        // Finding helm needs nothing of the release, so it runs while the release is planned.
        const helmFound = findHelm(inputs);
        // Awaited in buildAndPublish(); until then this only keeps an early failure from counting as unhandled.
        helmFound.catch(() => undefined);
        // The commit's time (a git call) is read meanwhile too; a bad SOURCE_DATE_EPOCH still fails before any write.
        const sourceDateRead = readSourceDate(process.env, context.workspace);
        sourceDateRead.catch(() => undefined);
        // So is the signing key, which a bad key or passphrase refuses before any write.
        const keyRead = inputs.signingKey
            ? readSigningKey(inputs.signingKey, inputs.signingPassphrase, new Date())
            : Promise.resolve(undefined);
        keyRead.catch(() => undefined);
        const plan = await planRelease(context.workspace, inputs, shortSha(context.sha));
        const names = plan.charts.filter(chart => chart.selected).map(({ chart }) => chart.meta.name);
        const registry = parseRegistry(inputs.registry, names);
        const image = await resolveImageMetadata(inputs, context, plan.tagged);
        if (inputs.createRelease && inputs.push)
            checkReleasable(context.repository, inputs.githubToken);
        const sourceDate = await sourceDateRead;
        const signingKey = await keyRead;
        // Every file's new text is worked out before any is written, so a refusal leaves the checkout as it was.
        const sourceUrl = inputs.linkSource ? repositoryUrl(context) : '';
        const signKey = signingKey && { fingerprint: signingKey.fingerprint, url: inputs.signingKeyUrl };
        const prepared = await Promise.all(plan.charts.map(chart => prepareChart(chart, plan.charts, context.workspace, { ...inputs, sourceUrl, signKey })));
        const outcomes = await buildAndPublish(inputs, context, helmFound, prepared, registry, sourceDate, signingKey);
        const signingFingerprint = signingKey?.fingerprint ?? '';
        const runOutcome = { tagged: plan.tagged, image, releaseUrl: '', signingFingerprint };
        try {
            // A release points at every chart of the tag: none while a chart failed, which a re-run completes.
            if (inputs.createRelease && !outcomes.some(outcome => outcome.problem))
                runOutcome.releaseUrl = await githubRelease(inputs, context, runOutcome, outcomes, changelogs(prepared));
        }
        finally {
            // Whatever failed, the outputs and the summary say what the registry holds.
            await report(outcomes, runOutcome);
        }
        failOnProblems(outcomes);
    }
    catch (error) {
        // A cancelled step says so itself; the helm calls it stopped fail for that reason only.
        if (!isCancelled())
            core/* setFailed */.C1((0,src_text/* errorMessage */.gJ)(error));
    }
}
/** The released charts' changelog sections, for the GitHub Release. */
function changelogs(prepared) {
    return prepared.flatMap(({ selected, chart, changelog: { section } }) => selected && section ? [{ chartName: chart.meta.name, ...section }] : []);
}


/***/ }),

/***/ 8992:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   WU: () => (/* binding */ show),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   b6: () => (/* binding */ textOf),
/* harmony export */   gJ: () => (/* binding */ errorMessage)
/* harmony export */ });
/** Quotes a user value for an error message so that blanks, control characters and length stay visible. */
function show(value) {
    const shown = value.length > 60 ? `${value.slice(0, 60)}… (${value.length} characters)` : value;
    return JSON.stringify(shown);
}
/** A YAML or JSON field as the text a reader of the file would take it for; empty when missing or null. */
function textOf(value) {
    return value === undefined || value === null ? '' : String(value);
}
/** What a caught value says: anything can be thrown, and the step's error shows only the message. */
function errorMessage(error) {
    return error instanceof Error ? error.message : String(error);
}
/** Milliseconds the way the timeout input is written: `5m`, `1m30s`, `2s`, `1500ms`. */
function formatDuration(ms) {
    if (ms % 1000)
        return `${ms}ms`;
    const parts = [];
    let seconds = ms / 1000;
    for (const [unit, size] of [
        ['h', 3600],
        ['m', 60],
        ['s', 1]
    ]) {
        if (seconds >= size) {
            parts.push(`${Math.floor(seconds / size)}${unit}`);
            seconds %= size;
        }
    }
    return parts.join('') || '0s';
}


/***/ })

};
