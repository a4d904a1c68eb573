export const id = 198;
export const ids = [198];
export const modules = {

/***/ 198:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parseChangelogSection: () => (/* binding */ parseChangelogSection)
/* harmony export */ });
/* harmony import */ var marked__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8022);
/* harmony import */ var _text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8992);
// marked's lexer, not the keep-a-changelog package: that one splits lines by their first characters (a fenced
// block or a nested list throws it off), fails on every section when one heading lacks a date, and keeps an
// entry as a string without its links or line. marked reads CommonMark as GitHub does, resolves reference
// links, and its top-level tokens spell out the file in order, so their raw text counts the lines.


/** Keep a Changelog's kinds of change, by their heading; Artifact Hub's `artifacthub.io/changes` knows these. */
const KINDS = {
    added: 'added',
    changed: 'changed',
    deprecated: 'deprecated',
    removed: 'removed',
    fixed: 'fixed',
    security: 'security'
};
/** `## [1.2.3] - 2026-11-26`, `## 1.2.3`, `## [v1.2.3]`, `## 1.2.3 [YANKED]`: the version a heading names. */
function headingVersion(text) {
    const match = /^\[?v?([^\]\s]+)\]?(?:\s.*)?$/.exec(text.trim());
    return match ? match[1] : '';
}
/** Inline text as plain text: links become their text (their URLs go to `links`), code keeps its ticks. */
function inlineText(tokens) {
    return tokens
        .map(token => {
        if (token.type === 'codespan')
            return `\`${token.text}\``;
        if (token.type === 'br')
            return ' ';
        if (token.type === 'html')
            return token.raw;
        if ('tokens' in token && token.tokens)
            return inlineText(token.tokens);
        return 'text' in token ? String(token.text) : '';
    })
        .join('');
}
/** An entry's paragraphs and nested lists as one line of plain text. */
function blockText(tokens) {
    return tokens
        .map(token => {
        if (token.type === 'list')
            return token.items.map(item => blockText(item.tokens)).join(' ');
        if ('tokens' in token && token.tokens)
            return inlineText(token.tokens);
        return 'text' in token ? String(token.text) : '';
    })
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
}
/** The entry's links (http and https only; anything else is no place to send a reader), in order. */
function linksOf(tokens) {
    return tokens.flatMap(token => {
        if (token.type === 'link') {
            const link = token;
            return /^https?:\/\//i.test(link.href)
                ? [{ name: inlineText(link.tokens).trim() || link.href, url: link.href }]
                : [];
        }
        if (token.type === 'list')
            return token.items.flatMap(item => linksOf(item.tokens));
        return 'tokens' in token && token.tokens ? linksOf(token.tokens) : [];
    });
}
function change(kind, item) {
    const description = blockText(item.tokens);
    const links = linksOf(item.tokens);
    return links.length ? { kind, description, links } : { kind, description };
}
const countLines = (text) => text.split('\n').length - 1;
/**
 * The section of `version` in a changelog in Keep a Changelog form (https://keepachangelog.com/en/1.1.0/), or
 * undefined when it has none (`[Unreleased]` is never a version). Every entry must stand in a list under one
 * of the six kinds of change: anything else in the section is an error naming the file and the line, since
 * the section would otherwise reach Artifact Hub without it, or as something it is not.
 */
function parseChangelogSection(text, file, version) {
    const tokens = new marked__WEBPACK_IMPORTED_MODULE_0__/* .Lexer */ .JG({ gfm: true }).lex(text);
    const starts = [];
    let line = 1;
    for (const token of tokens) {
        starts.push(line);
        line += countLines(token.raw);
    }
    const isVersionHeading = (token) => token.type === 'heading' && token.depth <= 2;
    const matching = tokens.flatMap((token, index) => isVersionHeading(token) &&
        token.depth === 2 &&
        headingVersion(token.text) === version
        ? [index]
        : []);
    if (matching.length === 0)
        return undefined;
    const at = (index) => `${file} line ${starts[index]}`;
    if (matching.length > 1) {
        throw new Error(`${file} has ${matching.length} sections for ${version}, at lines ${matching.map(index => starts[index]).join(', ')}. ` +
            'Keep one.');
    }
    const [heading] = matching;
    const next = tokens.findIndex((token, index) => index > heading && isVersionHeading(token));
    const body = tokens.slice(heading + 1, next === -1 ? tokens.length : next);
    const changes = [];
    let kind;
    for (const [offset, token] of body.entries()) {
        const index = heading + 1 + offset;
        if (token.type === 'heading' && token.depth === 3) {
            const title = token.text.trim();
            kind = KINDS[title.toLowerCase()];
            if (!kind) {
                throw new Error(`${at(index)}: ${(0,_text_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(`### ${title}`)} is not one of Keep a Changelog's kinds of change. Use ### Added, ` +
                    '### Changed, ### Deprecated, ### Removed, ### Fixed or ### Security: Artifact Hub knows only these.');
            }
        }
        else if (token.type === 'list') {
            if (!kind) {
                throw new Error(`${at(index)}: an entry of ${version} stands under no kind of change. Put it under ### Added, ` +
                    '### Changed, ### Deprecated, ### Removed, ### Fixed or ### Security.');
            }
            let itemLine = starts[index];
            for (const item of token.items) {
                const entry = change(kind, item);
                if (!entry.description)
                    throw new Error(`${file} line ${itemLine}: an entry of ${version} is empty.`);
                changes.push(entry);
                itemLine += countLines(item.raw);
            }
        }
        else if (token.type === 'heading') {
            throw new Error(`${at(index)}: ${(0,_text_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(token.raw.trim())} is no heading of a Keep a Changelog section; ` +
                `the kinds of change of ${version} are ### headings.`);
        }
        // Prose, code, quotes and link definitions go to the GitHub Release as they are, and to no entry.
    }
    // Link definitions are the file's, wherever they stand (usually at its end, after the last section): those
    // the section uses follow it, so that its reference links work in the GitHub Release too.
    const markdown = body
        .filter(token => token.type !== 'def')
        .map(token => token.raw)
        .join('');
    const definitions = tokens
        .filter(token => token.type === 'def')
        .filter(token => markdown.toLowerCase().includes(`[${token.tag.toLowerCase()}]`))
        .map(token => token.raw.trimEnd());
    return {
        file,
        line: starts[heading],
        markdown: [markdown.trim(), ...(definitions.length ? ['', ...definitions] : [])].join('\n').trim(),
        changes
    };
}


/***/ })

};
