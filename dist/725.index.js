export const id = 725;
export const ids = [725];
export const modules = {

/***/ 725:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  parseChangelogSection: () => (/* binding */ parseChangelogSection)
});

// EXTERNAL MODULE: ./node_modules/markdown-it/dist/markdown-it.mjs + 12 modules
var markdown_it = __webpack_require__(7863);
// EXTERNAL MODULE: ./src/bounds.ts
var bounds = __webpack_require__(186);
// EXTERNAL MODULE: ./src/text.ts
var src_text = __webpack_require__(8992);
;// CONCATENATED MODULE: ./src/chart-files/changelog-scan.ts
/**
 * One pass over a changelog's lines that finds its top-level headings and link definitions, as CommonMark
 * reads them, without parsing anything else: fenced code, indented code, HTML blocks, lists and quotes are
 * stepped over so that a `## 1.2.3` inside them is no heading. Linear in the file's length, whatever it holds,
 * so that a changelog of any size within helm's 5 MiB is searched for the released version at no risk; only
 * that version's section is then parsed (changelog-section.ts).
 */
const FENCE = /^(`{3,}|~{3,})(.*)$/;
const ATX = /^(#{1,6})(?:[ \t]|$)/;
const SETEXT = /^(=+|-+)[ \t]*$/;
const BREAK = /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^([-+*]|[0-9]{1,9}[.)])([ \t]+|$)/;
const DEFINITION = /^\[((?:[^\]\\]|\\.){1,999})\]:/;
// HTML blocks (CommonMark 4.6): kinds 1 to 5 end at a text of their own, 6 and 7 at a blank line; 7 cannot
// interrupt a paragraph.
const HTML_ENDS = [
    [/^<(script|pre|style|textarea)(\s|>|$)/i, /<\/(script|pre|style|textarea)>/i],
    [/^<!--/, /-->/],
    [/^<\?/, /\?>/],
    [/^<![A-Za-z]/, />/],
    [/^<!\[CDATA\[/, /\]\]>/]
];
const HTML_BLOCK = /^<\/?(address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(\s|\/?>|$)/i;
// Tried on short lines only: a tag with its attributes fits in a few hundred characters, and the pattern would
// backtrack over a long run of blanks.
const TAG_LINE_LENGTH = 1000;
const HTML_TAG = /^(<[A-Za-z][A-Za-z0-9-]*(\s+[A-Za-z_:][\w.:-]*(\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)\s*$/;
const normalise = (label) => label.trim().replace(/\s+/g, ' ').toLowerCase();
/** An ATX heading's text: without the blanks around it and a closing run of `#` (CommonMark 4.2), in one pass. */
function atxText(rest, marker) {
    let end = rest.length;
    while (end > marker && (rest[end - 1] === ' ' || rest[end - 1] === '\t'))
        end--;
    let hashes = end;
    while (hashes > marker && rest[hashes - 1] === '#')
        hashes--;
    if (hashes < end && (hashes === marker || rest[hashes - 1] === ' ' || rest[hashes - 1] === '\t'))
        end = hashes;
    return rest.slice(marker, end).trim();
}
/** The columns of a line's leading blanks (a tab to the next multiple of 4) and the rest of it. */
function indentation(line) {
    let indent = 0;
    let index = 0;
    for (; index < line.length && (line[index] === ' ' || line[index] === '\t'); index++) {
        indent = line[index] === '\t' ? indent + 4 - (indent % 4) : indent + 1;
    }
    return { indent, rest: line.slice(index) };
}
function scanChangelog(lines) {
    const headings = [];
    const definitions = [];
    let fence;
    let html;
    /** The first line of the top-level paragraph the previous line belongs to, if it does. */
    let paragraph;
    /** Inside a list or quote: what a line must be indented by to stay in it after a blank line. */
    let container;
    let blankBefore = false;
    for (const [index, line] of lines.entries()) {
        const { indent, rest } = indentation(line);
        if (fence) {
            const close = FENCE.exec(rest);
            if (indent < 4 && close && close[1][0] === fence.char && close[1].length >= fence.length && !close[2].trim())
                fence = undefined;
            continue;
        }
        if (html) {
            if (html === 'blank' ? !rest : html.test(line))
                html = undefined;
            if (html === undefined && !rest)
                blankBefore = true;
            continue;
        }
        if (!rest) {
            paragraph = undefined;
            blankBefore = true;
            continue;
        }
        const wasBlank = blankBefore;
        blankBefore = false;
        if (container !== undefined && wasBlank && indent < container && !LIST_ITEM.test(rest) && !rest.startsWith('>'))
            container = undefined;
        const inContainer = container !== undefined && (indent >= container || !wasBlank);
        // Indented code, or a paragraph's continuation; within a list, the item's own content.
        if (indent >= 4) {
            if (!inContainer && paragraph === undefined)
                continue;
        }
        else {
            const opened = FENCE.exec(rest);
            if (opened && !(opened[1][0] === '`' && opened[2].includes('`'))) {
                fence = { char: opened[1][0], length: opened[1].length };
                paragraph = undefined;
                continue;
            }
            const atx = ATX.exec(rest);
            if (atx && (!inContainer || indent < (container ?? 0))) {
                headings.push({ line: index, depth: atx[1].length, text: atxText(rest, atx[1].length) });
                paragraph = container = undefined;
                continue;
            }
            if (paragraph !== undefined && !inContainer && SETEXT.test(rest)) {
                const text = lines.slice(paragraph, index).join('\n').trim();
                headings.push({ line: paragraph, depth: rest.startsWith('=') ? 1 : 2, text });
                paragraph = undefined;
                continue;
            }
            if (BREAK.test(rest)) {
                paragraph = container = undefined;
                continue;
            }
            const item = LIST_ITEM.exec(rest);
            if (item || rest.startsWith('>')) {
                container = item ? indent + item[1].length + Math.min(Math.max(item[2].length, 1), 4) : 4;
                paragraph = undefined;
                continue;
            }
            const ending = HTML_ENDS.find(([start]) => start.test(rest));
            if (ending ||
                HTML_BLOCK.test(rest) ||
                (paragraph === undefined && rest.length < TAG_LINE_LENGTH && HTML_TAG.test(rest))) {
                html = ending && !ending[1].test(rest.slice(1)) ? ending[1] : ending ? undefined : 'blank';
                paragraph = undefined;
                continue;
            }
            const definition = DEFINITION.exec(rest);
            if (definition && paragraph === undefined && !inContainer) {
                definitions.push({ line: index, label: normalise(definition[1]), raw: line.trim() });
                continue;
            }
        }
        if (!inContainer && paragraph === undefined)
            paragraph = index;
    }
    return { headings, definitions };
}
/** The labels of the reference links a text may use, normalised: what stands in its square brackets. */
function bracketed(text) {
    return new Set([...text.matchAll(/\[((?:[^[\]\\]|\\.){1,999})\]/g)].map(match => normalise(match[1])));
}

;// CONCATENATED MODULE: ./src/chart-files/changelog-section.ts
// The released version's section is found by a linear scan of the headings (changelog-scan.ts) and only that
// section is parsed, with markdown-it: CommonMark as GitHub reads it, in time linear in the text (its emphasis
// and link rules are; marked's are quadratic and worse), with a nesting limit instead of a recursion that
// overflows the stack. Its tokens carry their lines, which the messages name. Not the keep-a-changelog
// package: that one splits lines by their first characters (a fenced block or a nested list throws it off),
// fails on every section when one heading lacks a date, and keeps an entry as a string without its links.




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
/** Inline tokens as plain text: links become their text (their URLs go to `links`), code keeps its ticks. */
function inlineText(tokens) {
    return tokens
        .map(token => {
        if (token.type === 'code_inline')
            return `\`${token.content}\``;
        if (token.type === 'softbreak' || token.type === 'hardbreak')
            return ' ';
        return token.type === 'text' || token.type === 'html_inline' || token.type === 'image' ? token.content : '';
    })
        .join('');
}
/** An entry's paragraphs, code and nested lists (its tokens, in order) as one line of plain text. */
function blockText(tokens) {
    return tokens
        .map(token => (token.type === 'inline' ? inlineText(token.children ?? []) : token.block ? token.content : ''))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
}
/** The entry's links (http and https only; anything else is no place to send a reader), in order. */
function linksOf(tokens) {
    const links = [];
    for (const token of tokens.filter(each => each.type === 'inline')) {
        const children = token.children ?? [];
        children.forEach((child, index) => {
            const href = child.type === 'link_open' ? String(child.attrGet('href') ?? '') : '';
            if (!/^https?:\/\//i.test(href))
                return;
            const close = children.findIndex((other, after) => after > index && other.type === 'link_close');
            const name = inlineText(children.slice(index + 1, close === -1 ? children.length : close)).trim();
            links.push({ name: name || href, url: href });
        });
    }
    return links;
}
function change(kind, item) {
    const description = blockText(item);
    const links = linksOf(item);
    return links.length ? { kind, description, links } : { kind, description };
}
/** The index of the token that closes the one at `open` (its `_close` at the same level). */
const closing = (tokens, open) => tokens.findIndex((token, index) => index > open && token.level === tokens[open].level && token.nesting === -1);
/**
 * The section of `version` in a changelog in Keep a Changelog form (https://keepachangelog.com/en/1.1.0/), or
 * undefined when it has none (`[Unreleased]` is never a version). Every entry must stand in a list under one
 * of the six kinds of change: anything else in the section is an error naming the file and the line, since
 * the section would otherwise reach Artifact Hub without it, or as something it is not.
 */
function parseChangelogSection(text, file, version) {
    const lines = text.split(/\r?\n/);
    const { headings, definitions } = scanChangelog(lines);
    const matching = headings.filter(heading => heading.depth === 2 && headingVersion(heading.text) === version);
    if (matching.length === 0)
        return undefined;
    if (matching.length > 1) {
        throw new Error(`${file} has ${matching.length} sections for ${version}, at lines ${matching.map(({ line }) => line + 1).join(', ')}. ` +
            'Keep one.');
    }
    const [heading] = matching;
    const next = headings.find(({ line, depth }) => line > heading.line && depth <= 2);
    // The heading's own lines: one, or a setext heading's text and underline.
    const first = heading.line + (heading.depth === 2 && /^ {0,3}-+[ \t]*$/.test(lines[heading.line + 1] ?? '') ? 2 : 1);
    const body = lines.slice(first, next ? next.line : lines.length);
    const at = (index) => `${file} line ${first + index + 1}`;
    // Link definitions are the file's, wherever they stand (usually at its end, after the last section): those
    // the section uses follow it, so that its reference links work in the GitHub Release too.
    const own = new Set(definitions.map(({ line }) => line - first));
    const labels = bracketed(body.filter((_line, index) => !own.has(index)).join('\n'));
    const used = definitions.filter(({ label }) => labels.has(label)).map(({ raw }) => raw);
    const source = [...body, '', ...used].join('\n');
    const size = Buffer.byteLength(source);
    if (size > bounds/* BOUNDS */.QT.changelogSectionBytes) {
        throw new Error(`${file} line ${heading.line + 1}: the section for ${version} is ${size} bytes with the link definitions it ` +
            `uses, more than the ${bounds/* BOUNDS */.QT.changelogSectionBytes} (64 KiB) the action reads of one section. Shorten it, ` +
            'or link to the details.');
    }
    const tokens = new markdown_it/* default */.A('default', {
        html: true,
        linkify: true,
        maxNesting: bounds/* BOUNDS */.QT.markdownDepth + 2
    }).parse(source, {});
    const deep = tokens.find(token => token.level > bounds/* BOUNDS */.QT.markdownDepth);
    if (deep) {
        throw new Error(`${at(deep.map?.[0] ?? 0)}: the section for ${version} nests quotes and lists deeper than ` +
            `${bounds/* BOUNDS */.QT.markdownDepth} levels, and the action reads no deeper. Flatten it.`);
    }
    const changes = [];
    let kind;
    const covered = new Set();
    for (let index = 0; index < tokens.length; index++) {
        const token = tokens[index];
        if (token.level !== 0 || !token.map)
            continue;
        for (let line = token.map[0]; line < token.map[1]; line++)
            covered.add(line);
        const end = token.nesting === 1 ? closing(tokens, index) : index;
        if (token.type === 'heading_open' && token.tag === 'h3') {
            const title = tokens[index + 1].content.trim();
            kind = KINDS[title.toLowerCase()];
            if (!kind) {
                throw new Error(`${at(token.map[0])}: ${(0,src_text/* show */.WU)(`### ${title}`)} is not one of Keep a Changelog's kinds of change. Use ### Added, ` +
                    '### Changed, ### Deprecated, ### Removed, ### Fixed or ### Security: Artifact Hub knows only these.');
            }
        }
        else if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') {
            if (!kind) {
                throw new Error(`${at(token.map[0])}: an entry of ${version} stands under no kind of change. Put it under ### Added, ` +
                    '### Changed, ### Deprecated, ### Removed, ### Fixed or ### Security.');
            }
            for (let item = index + 1; item < end; item = closing(tokens, item) + 1) {
                const entry = change(kind, tokens.slice(item + 1, closing(tokens, item)));
                if (!entry.description)
                    throw new Error(`${at(tokens[item].map?.[0] ?? 0)}: an entry of ${version} is empty.`);
                changes.push(entry);
            }
        }
        else if (token.type === 'heading_open') {
            throw new Error(`${at(token.map[0])}: ${(0,src_text/* show */.WU)(body[token.map[0]].trim())} is no heading of a Keep a Changelog section; ` +
                `the kinds of change of ${version} are ### headings.`);
        }
        // Prose, code, quotes and link definitions go to the GitHub Release as they are, and to no entry.
        index = end;
    }
    // The section as the file has it, but for its link definitions (the lines no block covers that are not
    // blank), which follow it with the others it uses.
    const markdown = body.filter((line, index) => covered.has(index) || !line.trim()).join('\n');
    return {
        file,
        line: heading.line + 1,
        markdown: [markdown.trim(), ...(used.length ? ['', ...used] : [])].join('\n').trim(),
        changes
    };
}


/***/ })

};
