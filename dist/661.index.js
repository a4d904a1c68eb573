export const id = 661;
export const ids = [661];
export const modules = {

/***/ 6264:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ft: () => (/* binding */ placeholders),
/* harmony export */   WU: () => (/* binding */ show),
/* harmony export */   Xm: () => (/* binding */ renderTemplate)
/* harmony export */ });
/** Quotes a user value for an error message so that blanks, control characters and length stay visible. */
function show(value) {
    const shown = value.length > 60 ? `${value.slice(0, 60)}… (${value.length} characters)` : value;
    return JSON.stringify(shown);
}
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
            throw new Error(`Input ${input} ${show(template)} uses the unknown placeholder {{${name}}}; known: ${known}.`);
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


/***/ }),

/***/ 9031:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f5: () => (/* binding */ Helm),
/* harmony export */   fk: () => (/* binding */ transcript),
/* harmony export */   th: () => (/* binding */ prepareHelmHome),
/* harmony export */   y4: () => (/* binding */ helmEnv)
/* harmony export */ });
/* unused harmony export HelmError */
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1955);
/* harmony import */ var _actions_io__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8701);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _registry_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2976);






const TWO_WORD_COMMANDS = new Set(['dependency', 'registry', 'repo']);
class HelmError extends Error {
    subcommand;
    exitCode;
    stderr;
    constructor(subcommand, exitCode, stdout, stderr) {
        const detail = [stderr.trim(), stdout.trim()].filter(Boolean).join('\n') || '(no output)';
        super(`helm ${subcommand} failed (exit code ${exitCode}):\n${detail}`);
        this.name = 'HelmError';
        this.subcommand = subcommand;
        this.exitCode = exitCode;
        this.stderr = stderr;
    }
}
/** The one way the action runs helm: argv arrays, output captured, failures as HelmError. */
class Helm {
    bin;
    env;
    /** `overrides` are laid over the step's own environment (HELM_* paths of this run). */
    constructor(bin, overrides) {
        this.bin = bin;
        const inherited = Object.entries(process.env).filter((entry) => entry[1] !== undefined);
        this.env = { ...Object.fromEntries(inherited), ...overrides };
    }
    static async find(overrides) {
        const bin = await (0,_actions_io__WEBPACK_IMPORTED_MODULE_1__/* .which */ .K7)('helm', false);
        if (!bin) {
            throw new Error('helm was not found on PATH. Install it in an earlier step, e.g. with azure/setup-helm.');
        }
        return new Helm(bin, overrides);
    }
    async run(args, options = {}) {
        const output = await (0,_actions_exec__WEBPACK_IMPORTED_MODULE_0__/* .getExecOutput */ .H)(this.bin, args, {
            ignoreReturnCode: true,
            silent: true,
            env: this.env,
            input: options.stdin === undefined ? undefined : Buffer.from(options.stdin)
        });
        if (output.exitCode !== 0) {
            const words = TWO_WORD_COMMANDS.has(args[0]) ? args.slice(0, 2) : args.slice(0, 1);
            throw new HelmError(words.join(' '), output.exitCode, output.stdout, output.stderr);
        }
        return { command: ['helm', ...args].join(' '), stdout: output.stdout, stderr: output.stderr };
    }
    lint(chartDir, strict) {
        return this.run(['lint', chartDir, ...(strict ? ['--strict'] : [])]);
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
    packageChart(chartDir, destination) {
        return this.run(['package', chartDir, '--destination', destination]);
    }
    registryLogin(host, username, password, plainHttp) {
        const args = ['registry', 'login', host, '--username', username, '--password-stdin'];
        return this.run(plainHttp ? [...args, '--plain-http'] : args, { stdin: password });
    }
    registryLogout(host) {
        return this.run(['registry', 'logout', host]);
    }
    async push(packagePath, registryUrl, plainHttp) {
        const result = await this.run(['push', packagePath, registryUrl, ...(plainHttp ? ['--plain-http'] : [])]);
        const digest = (0,_registry_js__WEBPACK_IMPORTED_MODULE_5__/* .parseDigest */ .m)(result.stdout, result.stderr);
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
/**
 * helm's configuration for this run, all in the run's own helm home: registry credentials never land
 * in the user's helm config, and repositories the action adds do not linger there.
 */
function helmEnv(home) {
    return {
        HELM_REGISTRY_CONFIG: node_path__WEBPACK_IMPORTED_MODULE_4___default().join(home, 'registry-config.json'),
        HELM_REPOSITORY_CONFIG: node_path__WEBPACK_IMPORTED_MODULE_4___default().join(home, 'repositories.yaml'),
        HELM_REPOSITORY_CACHE: node_path__WEBPACK_IMPORTED_MODULE_4___default().join(home, 'repository-cache')
    };
}
function userRepositoryConfig() {
    if (process.env.HELM_REPOSITORY_CONFIG)
        return process.env.HELM_REPOSITORY_CONFIG;
    const configHome = process.env.XDG_CONFIG_HOME || node_path__WEBPACK_IMPORTED_MODULE_4___default().join(node_os__WEBPACK_IMPORTED_MODULE_3___default().homedir(), '.config');
    return node_path__WEBPACK_IMPORTED_MODULE_4___default().join(configHome, 'helm', 'repositories.yaml');
}
/**
 * Creates the 0600 registry config before any login, and starts from a copy of the user's repositories so
 * that repositories an earlier step added (with their credentials) still resolve dependencies.
 */
async function prepareHelmHome(home) {
    const env = helmEnv(home);
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)(env.HELM_REPOSITORY_CACHE, { recursive: true, mode: 0o700 });
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)(env.HELM_REGISTRY_CONFIG, '{"auths":{}}\n', { mode: 0o600 });
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.copyFile)(userRepositoryConfig(), env.HELM_REPOSITORY_CONFIG).catch((error) => {
        if (error.code !== 'ENOENT')
            throw error;
    });
    return env;
}


/***/ }),

/***/ 6661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cleanUp: () => (/* binding */ cleanUp),
/* harmony export */   mayUseCredentialHelper: () => (/* binding */ mayUseCredentialHelper),
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7264);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _helm_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9031);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2462);




/**
 * Whether the credentials may live outside the registry config file: helm hands them to a native credential
 * helper when the config names one (credsStore, credHelpers). An unreadable config counts as "may".
 */
function mayUseCredentialHelper(registryConfig) {
    if (registryConfig === undefined)
        return true;
    try {
        const config = JSON.parse(registryConfig);
        return Boolean(config.credsStore) || Object.keys(config.credHelpers ?? {}).length > 0;
    }
    catch {
        return true;
    }
}
/**
 * Logs out and deletes the run's helm home. Logging out matters beyond the file when helm handed the
 * credentials to a native credential helper; when the file holds them, deleting it is the whole logout.
 * A failed logout only warns; the files go regardless.
 */
async function cleanUp(session) {
    try {
        const env = (0,_helm_js__WEBPACK_IMPORTED_MODULE_2__/* .helmEnv */ .y4)(session.home);
        const config = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(env.HELM_REGISTRY_CONFIG, 'utf8').catch(() => undefined);
        if (session.host && mayUseCredentialHelper(config)) {
            const helm = new _helm_js__WEBPACK_IMPORTED_MODULE_2__/* .Helm */ .f5(session.helmBin, env);
            await helm
                .registryLogout(session.host)
                .catch((error) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Could not log out of ${session.host}: ${error.message}`));
        }
    }
    finally {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(session.home, { recursive: true, force: true });
    }
}
/** The safety net: the main step cleans up after itself, so this only runs when it could not (it was killed). */
async function post() {
    await cleanUp({
        home: _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_state_js__WEBPACK_IMPORTED_MODULE_3__/* .STATE */ .c.helmHome),
        helmBin: _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_state_js__WEBPACK_IMPORTED_MODULE_3__/* .STATE */ .c.helm),
        host: _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_state_js__WEBPACK_IMPORTED_MODULE_3__/* .STATE */ .c.registryHost)
    });
}


/***/ }),

/***/ 2976:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NU: () => (/* binding */ locateChart),
/* harmony export */   SH: () => (/* binding */ PATH_COMPONENT),
/* harmony export */   jg: () => (/* binding */ HOST),
/* harmony export */   l5: () => (/* binding */ parseRegistry),
/* harmony export */   m: () => (/* binding */ parseDigest),
/* harmony export */   uR: () => (/* binding */ ociTag)
/* harmony export */ });
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6264);

// Host and path rules of OCI references, shared with image names (docker.ts).
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DIGEST_LINE = /^Digest:\s*(sha256:[0-9a-f]{64})\s*$/m;
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
        throw new Error(`Input registry ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .show */ .WU)(input)} has a scheme other than oci://. ${fix}`);
    }
    const bare = trimmed
        .replace(/^oci:\/\//i, '')
        .replace(/\/+$/, '')
        .toLowerCase();
    const [host, ...segments] = bare.split('/');
    if (!HOST.test(host))
        throw new Error(`Input registry ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .show */ .WU)(input)} does not start with a valid host name. ${fix}`);
    const bad = segments.find(segment => !PATH_COMPONENT.test(segment));
    if (bad !== undefined) {
        throw new Error(`Input registry ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .show */ .WU)(input)} has the invalid path part ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .show */ .WU)(bad)}. ${fix}`);
    }
    const chartName = chartNames.find(name => name === segments.at(-1));
    if (chartName !== undefined) {
        const parent = ['oci:/', host, ...segments.slice(0, -1)].join('/');
        throw new Error(`Input registry ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .show */ .WU)(input)} already ends in the chart name ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .show */ .WU)(chartName)}, and helm appends the ` +
            `chart name itself: the chart would land at ${bare}/${chartName}. Set registry to ${parent} instead.`);
    }
    const namespace = segments.join('/');
    return { host, namespace, url: `oci://${bare}` };
}
/** OCI tags cannot hold '+', so helm publishes build metadata with '_' in its place. */
function ociTag(version) {
    return version.replaceAll('+', '_');
}
function locateChart(registry, name, version) {
    const repository = [registry.host, registry.namespace, name].filter(part => part !== '').join('/');
    return { url: `oci://${repository}`, ref: `${repository}:${ociTag(version)}` };
}
/** The digest helm prints after a push or pull; helm 4.2.0 and older print it on stderr, later ones on stdout. */
function parseDigest(stdout, stderr) {
    return DIGEST_LINE.exec(`${stdout}\n${stderr}`)?.[1];
}


/***/ })

};
