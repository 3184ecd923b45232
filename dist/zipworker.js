import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: ./src/errors.ts
class ModguardError extends Error {
    code;
    kind;
    local;
    constructor(code, kind, message, options) {
        super(message, options !== undefined && 'cause' in options ? { cause: options.cause } : undefined);
        this.name = new.target.name;
        this.code = code;
        this.kind = kind;
        this.local = options?.local;
    }
}
/** UsageError reports a command called wrong: unknown flag, missing argument, bad value. */
class UsageError extends ModguardError {
    constructor(message) {
        super('USAGE', 'usage', message);
    }
}
/**
 * InputError is an input file that cannot be used (unreadable, malformed, missing): exit
 * status 2 like a usage error, but the command line was right, so no usage is printed.
 */
class InputError extends ModguardError {
    constructor(message) {
        super('INPUT', 'usage', message);
    }
}
/** errorMessage renders anything thrown as one line, for reports and stderr. */
function errors_errorMessage(err) {
    if (err instanceof Error)
        return err.message;
    return `non-Error thrown: ${String(err)}`;
}

;// CONCATENATED MODULE: ./src/go/errors.ts

/**
 * GoError reports Go vocabulary that the go command itself would refuse. It is
 * always kind 'invalid'; the message names `file:line` when a location is given.
 */
class errors_GoError extends ModguardError {
    file;
    line;
    constructor(code, message, location = {}, options) {
        super(code, 'invalid', withLocation(message, location), options);
        this.file = location.file;
        this.line = location.line;
    }
}
function withLocation(message, { file, line }) {
    if (file === undefined)
        return message;
    if (line === undefined)
        return `${file}: ${message}`;
    return `${file}:${line}: ${message}`;
}
/**
 * quote renders a string as Go's %q (strconv.Quote) does, for error messages: printable
 * characters as themselves, the rest escaped. A byte that is not UTF-8, spelled as a
 * lone surrogate U+DC80–U+DCFF (see spellBytes), is the \xNN Go writes for it.
 */
function errors_quote(s) {
    return `"${s.replace(UNPRINTABLE, escapeChar)}"`;
}
// Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space.
const UNPRINTABLE = /["\\]|[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/gu;
const SHORT_ESCAPES = {
    '"': '\\"',
    '\\': '\\\\',
    '\x07': '\\a',
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\v': '\\v',
};
function escapeChar(c) {
    const short = SHORT_ESCAPES[c];
    if (short !== undefined)
        return short;
    const cp = c.codePointAt(0) ?? 0;
    if (cp < 0x80)
        return `\\x${hex(cp, 2)}`;
    if (cp >= 0xdc80 && cp <= 0xdcff)
        return `\\x${hex(cp - 0xdc00, 2)}`;
    if (cp >= 0xd800 && cp <= 0xdfff)
        return '\\ufffd';
    return cp > 0xffff ? `\\U${hex(cp, 8)}` : `\\u${hex(cp, 4)}`;
}
const hex = (n, width) => n.toString(16).padStart(width, '0');

;// CONCATENATED MODULE: ./src/go/pathmatch.ts
/**
 * pathMatch is Go's path.Match (go1.19 src/path/match.go), ported over UTF-8 bytes so
 * that `?` and `[...]` consume whole runes and literal bytes compare as Go does.
 *
 *   pattern: { term }
 *   term:    '*' (any run of non-/ characters) | '?' (one non-/ character)
 *            | '[' [ '^' ] { range } ']' | c (matches c, not '*', '?', '\\', '[')
 *            | '\\' c (matches c)
 *   range:   c | c '-' c
 *
 * A malformed pattern (Go's ErrBadPattern) never matches here: module.MatchPrefixPatterns,
 * the only caller, ignores the error and treats the glob as not matching.
 */
function pathmatch_pathMatch(pattern, name) {
    const result = match(utf8(pattern), utf8(name));
    return result === true;
}
/** isBadPattern reports whether path.Match would return ErrBadPattern for pattern against name. */
function isBadPattern(pattern, name) {
    return match(utf8(pattern), utf8(name)) === BAD;
}
const BAD = 'bad';
const encoder = new TextEncoder();
function utf8(s) {
    return encoder.encode(s);
}
const STAR = 0x2a;
const SLASH = 0x2f;
function match(patternIn, nameIn) {
    let pattern = patternIn;
    let name = nameIn;
    pattern: while (pattern.length > 0) {
        const { star, chunk, rest } = scanChunk(pattern);
        pattern = rest;
        if (star && chunk.length === 0)
            return !name.includes(SLASH);
        const first = matchChunk(chunk, name);
        if (first !== BAD && first !== false && (first.length === 0 || pattern.length > 0)) {
            name = first;
            continue;
        }
        if (first === BAD)
            return BAD;
        if (star) {
            for (let i = 0; i < name.length && name[i] !== SLASH; i++) {
                const t = matchChunk(chunk, name.subarray(i + 1));
                if (t === BAD)
                    return BAD;
                if (t === false)
                    continue;
                if (pattern.length === 0 && t.length > 0)
                    continue;
                name = t;
                continue pattern;
            }
        }
        return restIsValid(pattern) ? false : BAD;
    }
    return name.length === 0;
}
/** restIsValid is Match's final syntax check of the unmatched remainder of the pattern. */
function restIsValid(patternIn) {
    let pattern = patternIn;
    while (pattern.length > 0) {
        const { chunk, rest } = scanChunk(pattern);
        pattern = rest;
        if (matchChunk(chunk, new Uint8Array(0)) === BAD)
            return false;
    }
    return true;
}
function scanChunk(patternIn) {
    let pattern = patternIn;
    let star = false;
    while (pattern.length > 0 && pattern[0] === STAR) {
        pattern = pattern.subarray(1);
        star = true;
    }
    let inRange = false;
    let i = 0;
    scan: for (; i < pattern.length; i++) {
        switch (pattern[i]) {
            case 0x5c: // '\\'
                if (i + 1 < pattern.length)
                    i++;
                break;
            case 0x5b: // '['
                inRange = true;
                break;
            case 0x5d: // ']'
                inRange = false;
                break;
            case STAR:
                if (!inRange)
                    break scan;
                break;
        }
    }
    return { star, chunk: pattern.subarray(0, i), rest: pattern.subarray(i) };
}
/** matchChunk matches chunk against the start of s: the rest of s, false, or BAD. */
function matchChunk(chunkIn, sIn) {
    let chunk = chunkIn;
    let s = sIn;
    let failed = false;
    while (chunk.length > 0) {
        if (!failed && s.length === 0)
            failed = true;
        const c = chunk[0];
        if (c === 0x5b) {
            let r = 0;
            if (!failed) {
                const d = decodeRune(s);
                r = d.rune;
                s = s.subarray(d.size);
            }
            const cls = matchClass(chunk.subarray(1), r);
            if (cls === BAD)
                return BAD;
            chunk = cls.rest;
            if (!cls.matched)
                failed = true;
        }
        else if (c === 0x3f) {
            if (!failed) {
                if (s[0] === SLASH)
                    failed = true;
                s = s.subarray(decodeRune(s).size);
            }
            chunk = chunk.subarray(1);
        }
        else {
            if (c === 0x5c) {
                chunk = chunk.subarray(1);
                if (chunk.length === 0)
                    return BAD;
            }
            if (!failed) {
                if (chunk[0] !== s[0])
                    failed = true;
                s = s.subarray(1);
            }
            chunk = chunk.subarray(1);
        }
    }
    return failed ? false : s;
}
/** matchClass parses "[^lo-hi...]" after its '[' and tests r against it. */
function matchClass(chunkIn, r) {
    let chunk = chunkIn;
    let negated = false;
    if (chunk.length > 0 && chunk[0] === 0x5e) {
        negated = true;
        chunk = chunk.subarray(1);
    }
    let matched = false;
    for (let nrange = 0;; nrange++) {
        if (chunk.length > 0 && chunk[0] === 0x5d && nrange > 0) {
            return { matched: matched !== negated, rest: chunk.subarray(1) };
        }
        const lo = getEsc(chunk);
        if (lo === BAD)
            return BAD;
        chunk = lo.rest;
        let hi = lo.rune;
        if (chunk[0] === 0x2d) {
            const h = getEsc(chunk.subarray(1));
            if (h === BAD)
                return BAD;
            chunk = h.rest;
            hi = h.rune;
        }
        if (lo.rune <= r && r <= hi)
            matched = true;
    }
}
function getEsc(chunkIn) {
    let chunk = chunkIn;
    if (chunk.length === 0 || chunk[0] === 0x2d || chunk[0] === 0x5d)
        return BAD;
    if (chunk[0] === 0x5c) {
        chunk = chunk.subarray(1);
        if (chunk.length === 0)
            return BAD;
    }
    const { rune, size } = decodeRune(chunk);
    if (rune === RUNE_ERROR && size === 1)
        return BAD;
    const rest = chunk.subarray(size);
    if (rest.length === 0)
        return BAD;
    return { rune, rest };
}
const RUNE_ERROR = 0xfffd;
/** decodeRune is utf8.DecodeRuneInString: the first rune of b and its byte size (RuneError, 1 when invalid). */
function decodeRune(b) {
    const b0 = b[0];
    if (b0 === undefined)
        return { rune: RUNE_ERROR, size: 0 };
    if (b0 < 0x80)
        return { rune: b0, size: 1 };
    const size = b0 >= 0xf0 && b0 < 0xf5 ? 4 : b0 >= 0xe0 && b0 < 0xf0 ? 3 : b0 >= 0xc2 && b0 < 0xe0 ? 2 : 0;
    if (size === 0 || b.length < size)
        return { rune: RUNE_ERROR, size: 1 };
    let rune = b0 & (0xff >> (size + 1));
    for (let i = 1; i < size; i++) {
        const bi = b[i] ?? 0;
        if ((bi & 0xc0) !== 0x80)
            return { rune: RUNE_ERROR, size: 1 };
        rune = (rune << 6) | (bi & 0x3f);
    }
    const min = size === 2 ? 0x80 : size === 3 ? 0x800 : 0x10000;
    if (rune < min || rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) {
        return { rune: RUNE_ERROR, size: 1 };
    }
    return { rune, size };
}

;// CONCATENATED MODULE: ./src/go/strings.ts
/**
 * Go string semantics the rest of src/go needs. Go strings are UTF-8 bytes and
 * JavaScript strings are UTF-16 code units; these helpers make the difference explicit.
 */
/**
 * compareStrings orders two strings as Go's `<` does: by UTF-8 bytes, which is
 * code point order (not UTF-16 code unit order). Returns -1, 0 or +1.
 */
function strings_compareStrings(a, b) {
    if (a === b)
        return 0;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
        const x = a.charCodeAt(i);
        const y = b.charCodeAt(i);
        if (x === y)
            continue;
        // Surrogates (U+D800–U+DFFF) stand for code points above U+FFFF, so they sort
        // after U+E000–U+FFFF in UTF-8 although their code units are smaller.
        return rank(x) < rank(y) ? -1 : +1;
    }
    return a.length < b.length ? -1 : a.length > b.length ? +1 : 0;
}
function rank(unit) {
    return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit;
}
/** isValidUtf8 reports whether s has no lone surrogate, i.e. whether it encodes as valid UTF-8. */
function isValidUtf8(s) {
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0xd800 || c > 0xdfff)
            continue;
        const next = s.charCodeAt(i + 1);
        if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff))
            return false;
        i++;
    }
    return true;
}
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/**
 * spellBytes spells bytes as a string without losing one, as Go sees them when it ranges
 * over a string (utf8.DecodeRune): each valid UTF-8 sequence is its character, and each
 * byte that does not begin one (RuneError, width 1) is a lone surrogate U+DC80–U+DCFF,
 * which no valid text holds. So two byte strings that are not UTF-8 stay apart (Go
 * compares file names as bytes: a file in `\xff/` is not in the nested module at
 * `\xfe/`); quote() writes such a byte as the \xNN Go's %q writes; and isValidUtf8 (so
 * CheckPath and CheckFilePath) is false, as Go refuses the bytes, where TextDecoder would
 * have made all of them U+FFFD.
 */
function strings_spellBytes(bytes) {
    try {
        return strictUtf8.decode(bytes);
    }
    catch {
        // spelled sequence by sequence below
    }
    let out = '';
    let run = 0; // where the current run of valid sequences began
    for (let i = 0; i < bytes.length;) {
        const n = sequenceLength(bytes, i);
        if (n > 0) {
            i += n;
            continue;
        }
        out +=
            strictUtf8.decode(bytes.subarray(run, i)) + String.fromCharCode(0xdc00 + (bytes[i] ?? 0));
        run = ++i;
    }
    return out + strictUtf8.decode(bytes.subarray(run));
}
/**
 * sequenceLength is the length of the valid UTF-8 sequence at bytes[i], or 0 when none
 * begins there: an overlong form, a surrogate, a code point above U+10FFFF, a stray
 * continuation byte or a truncated sequence (Go unicode/utf8 DecodeRune's accept ranges).
 */
function sequenceLength(bytes, i) {
    const c = bytes[i] ?? 0;
    if (c < 0x80)
        return 1;
    let n;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c === 0xe0)
            lo = 0xa0;
        if (c === 0xed)
            hi = 0x9f;
    }
    else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c === 0xf0)
            lo = 0x90;
        if (c === 0xf4)
            hi = 0x8f;
    }
    else
        return 0;
    if (i + n > bytes.length)
        return 0;
    const second = bytes[i + 1] ?? 0;
    if (second < lo || second > hi)
        return 0;
    for (let k = 2; k < n; k++) {
        const b = bytes[i + k] ?? 0;
        if (b < 0x80 || b > 0xbf)
            return 0;
    }
    return n;
}
/**
 * isGoSpace reports unicode.IsSpace (Go unicode/graphic.go): the ASCII spaces
 * \t \n \v \f \r and space, U+0085, U+00A0, and the Unicode White_Space separators.
 * Unlike JavaScript's \s it excludes U+FEFF.
 */
function strings_isGoSpace(c) {
    switch (c) {
        case 0x09:
        case 0x0a:
        case 0x0b:
        case 0x0c:
        case 0x0d:
        case 0x20:
        case 0x85:
        case 0xa0:
        case 0x1680:
        case 0x2028:
        case 0x2029:
        case 0x202f:
        case 0x205f:
        case 0x3000:
            return true;
        default:
            return c >= 0x2000 && c <= 0x200a;
    }
}
/** fields splits s around runs of unicode.IsSpace, as Go's strings.Fields does. */
function strings_fields(s) {
    const out = [];
    let start = -1;
    for (let i = 0; i < s.length; i++) {
        if (strings_isGoSpace(s.charCodeAt(i))) {
            if (start >= 0)
                out.push(s.slice(start, i));
            start = -1;
        }
        else if (start < 0) {
            start = i;
        }
    }
    if (start >= 0)
        out.push(s.slice(start));
    return out;
}
/** trimSpace removes leading and trailing unicode.IsSpace, as Go's strings.TrimSpace does. */
function strings_trimSpace(s) {
    let i = 0;
    let j = s.length;
    while (i < j && strings_isGoSpace(s.charCodeAt(i)))
        i++;
    while (j > i && strings_isGoSpace(s.charCodeAt(j - 1)))
        j--;
    return s.slice(i, j);
}
/** equalFoldAscii is strings.EqualFold restricted to ASCII letters (enough for fixed ASCII names). */
function equalFoldAscii(a, b) {
    if (a.length !== b.length)
        return false;
    for (let i = 0; i < a.length; i++) {
        let x = a.charCodeAt(i);
        let y = b.charCodeAt(i);
        if (x >= 0x41 && x <= 0x5a)
            x += 0x20;
        if (y >= 0x41 && y <= 0x5a)
            y += 0x20;
        if (x !== y)
            return false;
    }
    return true;
}
/** hasControlChar reports an ASCII control character (< 0x20 or 0x7f), which net/url refuses in a URL. */
function hasControlChar(s) {
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c === 0x7f)
            return true;
    }
    return false;
}

;// CONCATENATED MODULE: ./src/go/semver.ts
/**
 * Semantic versions as the go command reads them: exactly golang.org/x/mod/semver
 * (semver.go). Versions start with "v"; "v1" and "v1.2" are shorthands for
 * "v1.0.0" and "v1.2.0"; build metadata is kept but ignored in comparisons.
 * Every function is total: an invalid version is an answer (""/false), not an error.
 */

/** isValid reports whether v is a valid semantic version (semver.IsValid). */
function isValid(v) {
    return parse(v) !== undefined;
}
/**
 * canonical returns v in canonical form, "" when invalid (semver.Canonical): the
 * shorthands are completed and build metadata is dropped ("v1.2.3+meta" → "v1.2.3").
 */
function canonical(v) {
    const p = parse(v);
    if (p === undefined)
        return '';
    if (p.build !== '')
        return v.slice(0, v.length - p.build.length);
    return v + p.short;
}
/** major returns "vN" for a valid v, else "" (semver.Major). */
function major(v) {
    const p = parse(v);
    return p === undefined ? '' : v.slice(0, 1 + p.major.length);
}
/** majorMinor returns "vN.M" for a valid v, else "" (semver.MajorMinor). */
function majorMinor(v) {
    const p = parse(v);
    if (p === undefined)
        return '';
    const i = 1 + p.major.length;
    const j = i + 1 + p.minor.length;
    if (j <= v.length && v[i] === '.' && v.slice(i + 1, j) === p.minor)
        return v.slice(0, j);
    return `${v.slice(0, i)}.${p.minor}`;
}
/** prerelease returns the "-pre" part of a valid v (with its dash), else "" (semver.Prerelease). */
function prerelease(v) {
    return parse(v)?.prerelease ?? '';
}
/** build returns the "+build" part of a valid v (with its plus), else "" (semver.Build). */
function build(v) {
    return parse(v)?.build ?? '';
}
/**
 * compare returns -1, 0 or +1 as v < w, v == w, v > w (semver.Compare). An invalid
 * version is smaller than every valid one and equal to every invalid one.
 */
function compare(v, w) {
    const pv = parse(v);
    const pw = parse(w);
    if (pv === undefined && pw === undefined)
        return 0;
    if (pv === undefined)
        return -1;
    if (pw === undefined)
        return +1;
    return (compareInt(pv.major, pw.major) ||
        compareInt(pv.minor, pw.minor) ||
        compareInt(pv.patch, pw.patch) ||
        comparePrerelease(pv.prerelease, pw.prerelease));
}
/** max returns the larger of the canonical forms of v and w (semver.Max); w on a tie. */
function max(v, w) {
    const cv = canonical(v);
    const cw = canonical(w);
    return compare(cv, cw) > 0 ? cv : cw;
}
/** compareForSort is semver.ByVersion's Less as a comparator: compare, then ties by bytes. */
function compareForSort(v, w) {
    return compare(v, w) || compareStrings(v, w);
}
/**
 * sort sorts list in place by semver.Sort's order (semver.ByVersion): by compare,
 * invalid versions first (compare ranks them lowest), ties by Go string order. Returns list.
 */
function sort(list) {
    return list.sort(compareForSort);
}
function parse(v) {
    if (v === '' || v[0] !== 'v')
        return undefined;
    const maj = semver_parseInt(v, 1);
    if (maj === undefined)
        return undefined;
    const major = v.slice(1, maj);
    if (maj === v.length)
        return { major, minor: '0', patch: '0', short: '.0.0', prerelease: '', build: '' };
    if (v[maj] !== '.')
        return undefined;
    const min = semver_parseInt(v, maj + 1);
    if (min === undefined)
        return undefined;
    const minor = v.slice(maj + 1, min);
    if (min === v.length)
        return { major, minor, patch: '0', short: '.0', prerelease: '', build: '' };
    if (v[min] !== '.')
        return undefined;
    const pat = semver_parseInt(v, min + 1);
    if (pat === undefined)
        return undefined;
    return parseTail(v, pat, { major, minor, patch: v.slice(min + 1, pat) });
}
function parseTail(v, start, nums) {
    let i = start;
    let prerelease = '';
    let build = '';
    if (v[i] === '-') {
        const end = parseIdents(v, i, true);
        if (end === undefined)
            return undefined;
        prerelease = v.slice(i, end);
        i = end;
    }
    if (v[i] === '+') {
        const end = parseIdents(v, i, false);
        if (end === undefined)
            return undefined;
        build = v.slice(i, end);
        i = end;
    }
    if (i !== v.length)
        return undefined;
    // Fields listed, not spread: V8 takes microseconds to spread into a literal here.
    const { major, minor, patch } = nums;
    return { major, minor, patch, short: '', prerelease, build };
}
/** parseInt returns the end of the decimal number at v[start], no leading zero (semver.go parseInt). */
function semver_parseInt(v, start) {
    let i = start;
    while (i < v.length && isDigit(v.charCodeAt(i)))
        i++;
    if (i === start)
        return undefined;
    if (v[start] === '0' && i !== start + 1)
        return undefined;
    return i;
}
/**
 * parseIdents scans "-a.b" (prerelease, up to "+") or "+a.b" (build, to the end) at
 * v[start]: non-empty dot-separated identifiers of [0-9A-Za-z-]; prerelease numeric
 * identifiers may not have leading zeros (semver.go parsePrerelease, parseBuild).
 */
function parseIdents(v, start, pre) {
    let i = start + 1;
    let identStart = i;
    for (; i < v.length && !(pre && v[i] === '+'); i++) {
        const c = v.charCodeAt(i);
        if (c === 0x2e) {
            if (identStart === i || (pre && isBadNum(v.slice(identStart, i))))
                return undefined;
            identStart = i + 1;
        }
        else if (!isIdentChar(c)) {
            return undefined;
        }
    }
    if (identStart === i || (pre && isBadNum(v.slice(identStart, i))))
        return undefined;
    return i;
}
function isDigit(c) {
    return c >= 0x30 && c <= 0x39;
}
function isIdentChar(c) {
    return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || isDigit(c) || c === 0x2d;
}
function isNum(s) {
    for (let i = 0; i < s.length; i++)
        if (!isDigit(s.charCodeAt(i)))
            return false;
    return true;
}
function isBadNum(s) {
    return s.length > 1 && s[0] === '0' && isNum(s);
}
function compareInt(x, y) {
    if (x === y)
        return 0;
    if (x.length !== y.length)
        return x.length < y.length ? -1 : +1;
    return x < y ? -1 : +1;
}
/** comparePrerelease orders "-a.b" strings by semver precedence; "" (a release) is largest. */
function comparePrerelease(x, y) {
    if (x === y)
        return 0;
    if (x === '')
        return +1;
    if (y === '')
        return -1;
    const xs = x.slice(1).split('.');
    const ys = y.slice(1).split('.');
    const n = Math.min(xs.length, ys.length);
    for (let i = 0; i < n; i++) {
        const c = compareIdent(xs[i] ?? '', ys[i] ?? '');
        if (c !== 0)
            return c;
    }
    return xs.length < ys.length ? -1 : +1;
}
function compareIdent(dx, dy) {
    if (dx === dy)
        return 0;
    const ix = isNum(dx);
    const iy = isNum(dy);
    if (ix !== iy)
        return ix ? -1 : +1;
    if (ix && dx.length !== dy.length)
        return dx.length < dy.length ? -1 : +1;
    return dx < dy ? -1 : +1;
}

;// CONCATENATED MODULE: ./src/go/unicode-letters.ts
/**
 * isGoLetter is unicode.IsLetter as Go 1.19 has it (Unicode 13.0.0), so that
 * CheckFilePath accepts exactly the letters the baseline go command accepts, whatever
 * Unicode version the JavaScript engine's \p{L} follows (Node 20 ships a newer one).
 * The ranges (above U+007F) are generated by Go itself (test/interop/go/xmodref, op
 * "letterRanges") and checked against it in test/interop/go/xmod.test.ts.
 */
function isGoLetter(cp) {
    if (cp < 0x80)
        return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
    let lo = 0;
    let hi = RANGES.length / 2;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cp < (RANGES[2 * mid] ?? 0))
            hi = mid;
        else if (cp > (RANGES[2 * mid + 1] ?? 0))
            lo = mid + 1;
        else
            return true;
    }
    return false;
}
/** GO_LETTER_UNICODE_VERSION is the Unicode version of the table (Go 1.19 unicode.Version). */
const GO_LETTER_UNICODE_VERSION = '13.0.0';
/** GO_LETTER_RANGES is the table as Go prints it: comma-separated hex "lo-hi" or "cp". */
const GO_LETTER_RANGES = [
    'aa,b5,ba,c0-d6,d8-f6,f8-2c1,2c6-2d1,2e0-2e4,2ec,2ee,370-374,376-377,37a-37d,37f,386,',
    '388-38a,38c,38e-3a1,3a3-3f5,3f7-481,48a-52f,531-556,559,560-588,5d0-5ea,5ef-5f2,',
    '620-64a,66e-66f,671-6d3,6d5,6e5-6e6,6ee-6ef,6fa-6fc,6ff,710,712-72f,74d-7a5,7b1,',
    '7ca-7ea,7f4-7f5,7fa,800-815,81a,824,828,840-858,860-86a,8a0-8b4,8b6-8c7,904-939,93d,',
    '950,958-961,971-980,985-98c,98f-990,993-9a8,9aa-9b0,9b2,9b6-9b9,9bd,9ce,9dc-9dd,',
    '9df-9e1,9f0-9f1,9fc,a05-a0a,a0f-a10,a13-a28,a2a-a30,a32-a33,a35-a36,a38-a39,a59-a5c,',
    'a5e,a72-a74,a85-a8d,a8f-a91,a93-aa8,aaa-ab0,ab2-ab3,ab5-ab9,abd,ad0,ae0-ae1,af9,',
    'b05-b0c,b0f-b10,b13-b28,b2a-b30,b32-b33,b35-b39,b3d,b5c-b5d,b5f-b61,b71,b83,b85-b8a,',
    'b8e-b90,b92-b95,b99-b9a,b9c,b9e-b9f,ba3-ba4,ba8-baa,bae-bb9,bd0,c05-c0c,c0e-c10,',
    'c12-c28,c2a-c39,c3d,c58-c5a,c60-c61,c80,c85-c8c,c8e-c90,c92-ca8,caa-cb3,cb5-cb9,cbd,',
    'cde,ce0-ce1,cf1-cf2,d04-d0c,d0e-d10,d12-d3a,d3d,d4e,d54-d56,d5f-d61,d7a-d7f,d85-d96,',
    'd9a-db1,db3-dbb,dbd,dc0-dc6,e01-e30,e32-e33,e40-e46,e81-e82,e84,e86-e8a,e8c-ea3,ea5,',
    'ea7-eb0,eb2-eb3,ebd,ec0-ec4,ec6,edc-edf,f00,f40-f47,f49-f6c,f88-f8c,1000-102a,103f,',
    '1050-1055,105a-105d,1061,1065-1066,106e-1070,1075-1081,108e,10a0-10c5,10c7,10cd,',
    '10d0-10fa,10fc-1248,124a-124d,1250-1256,1258,125a-125d,1260-1288,128a-128d,',
    '1290-12b0,12b2-12b5,12b8-12be,12c0,12c2-12c5,12c8-12d6,12d8-1310,1312-1315,',
    '1318-135a,1380-138f,13a0-13f5,13f8-13fd,1401-166c,166f-167f,1681-169a,16a0-16ea,',
    '16f1-16f8,1700-170c,170e-1711,1720-1731,1740-1751,1760-176c,176e-1770,1780-17b3,',
    '17d7,17dc,1820-1878,1880-1884,1887-18a8,18aa,18b0-18f5,1900-191e,1950-196d,',
    '1970-1974,1980-19ab,19b0-19c9,1a00-1a16,1a20-1a54,1aa7,1b05-1b33,1b45-1b4b,',
    '1b83-1ba0,1bae-1baf,1bba-1be5,1c00-1c23,1c4d-1c4f,1c5a-1c7d,1c80-1c88,1c90-1cba,',
    '1cbd-1cbf,1ce9-1cec,1cee-1cf3,1cf5-1cf6,1cfa,1d00-1dbf,1e00-1f15,1f18-1f1d,',
    '1f20-1f45,1f48-1f4d,1f50-1f57,1f59,1f5b,1f5d,1f5f-1f7d,1f80-1fb4,1fb6-1fbc,1fbe,',
    '1fc2-1fc4,1fc6-1fcc,1fd0-1fd3,1fd6-1fdb,1fe0-1fec,1ff2-1ff4,1ff6-1ffc,2071,207f,',
    '2090-209c,2102,2107,210a-2113,2115,2119-211d,2124,2126,2128,212a-212d,212f-2139,',
    '213c-213f,2145-2149,214e,2183-2184,2c00-2c2e,2c30-2c5e,2c60-2ce4,2ceb-2cee,',
    '2cf2-2cf3,2d00-2d25,2d27,2d2d,2d30-2d67,2d6f,2d80-2d96,2da0-2da6,2da8-2dae,',
    '2db0-2db6,2db8-2dbe,2dc0-2dc6,2dc8-2dce,2dd0-2dd6,2dd8-2dde,2e2f,3005-3006,',
    '3031-3035,303b-303c,3041-3096,309d-309f,30a1-30fa,30fc-30ff,3105-312f,3131-318e,',
    '31a0-31bf,31f0-31ff,3400-4dbf,4e00-9ffc,a000-a48c,a4d0-a4fd,a500-a60c,a610-a61f,',
    'a62a-a62b,a640-a66e,a67f-a69d,a6a0-a6e5,a717-a71f,a722-a788,a78b-a7bf,a7c2-a7ca,',
    'a7f5-a801,a803-a805,a807-a80a,a80c-a822,a840-a873,a882-a8b3,a8f2-a8f7,a8fb,',
    'a8fd-a8fe,a90a-a925,a930-a946,a960-a97c,a984-a9b2,a9cf,a9e0-a9e4,a9e6-a9ef,',
    'a9fa-a9fe,aa00-aa28,aa40-aa42,aa44-aa4b,aa60-aa76,aa7a,aa7e-aaaf,aab1,aab5-aab6,',
    'aab9-aabd,aac0,aac2,aadb-aadd,aae0-aaea,aaf2-aaf4,ab01-ab06,ab09-ab0e,ab11-ab16,',
    'ab20-ab26,ab28-ab2e,ab30-ab5a,ab5c-ab69,ab70-abe2,ac00-d7a3,d7b0-d7c6,d7cb-d7fb,',
    'f900-fa6d,fa70-fad9,fb00-fb06,fb13-fb17,fb1d,fb1f-fb28,fb2a-fb36,fb38-fb3c,fb3e,',
    'fb40-fb41,fb43-fb44,fb46-fbb1,fbd3-fd3d,fd50-fd8f,fd92-fdc7,fdf0-fdfb,fe70-fe74,',
    'fe76-fefc,ff21-ff3a,ff41-ff5a,ff66-ffbe,ffc2-ffc7,ffca-ffcf,ffd2-ffd7,ffda-ffdc,',
    '10000-1000b,1000d-10026,10028-1003a,1003c-1003d,1003f-1004d,10050-1005d,10080-100fa,',
    '10280-1029c,102a0-102d0,10300-1031f,1032d-10340,10342-10349,10350-10375,10380-1039d,',
    '103a0-103c3,103c8-103cf,10400-1049d,104b0-104d3,104d8-104fb,10500-10527,10530-10563,',
    '10600-10736,10740-10755,10760-10767,10800-10805,10808,1080a-10835,10837-10838,1083c,',
    '1083f-10855,10860-10876,10880-1089e,108e0-108f2,108f4-108f5,10900-10915,10920-10939,',
    '10980-109b7,109be-109bf,10a00,10a10-10a13,10a15-10a17,10a19-10a35,10a60-10a7c,',
    '10a80-10a9c,10ac0-10ac7,10ac9-10ae4,10b00-10b35,10b40-10b55,10b60-10b72,10b80-10b91,',
    '10c00-10c48,10c80-10cb2,10cc0-10cf2,10d00-10d23,10e80-10ea9,10eb0-10eb1,10f00-10f1c,',
    '10f27,10f30-10f45,10fb0-10fc4,10fe0-10ff6,11003-11037,11083-110af,110d0-110e8,',
    '11103-11126,11144,11147,11150-11172,11176,11183-111b2,111c1-111c4,111da,111dc,',
    '11200-11211,11213-1122b,11280-11286,11288,1128a-1128d,1128f-1129d,1129f-112a8,',
    '112b0-112de,11305-1130c,1130f-11310,11313-11328,1132a-11330,11332-11333,11335-11339,',
    '1133d,11350,1135d-11361,11400-11434,11447-1144a,1145f-11461,11480-114af,114c4-114c5,',
    '114c7,11580-115ae,115d8-115db,11600-1162f,11644,11680-116aa,116b8,11700-1171a,',
    '11800-1182b,118a0-118df,118ff-11906,11909,1190c-11913,11915-11916,11918-1192f,1193f,',
    '11941,119a0-119a7,119aa-119d0,119e1,119e3,11a00,11a0b-11a32,11a3a,11a50,11a5c-11a89,',
    '11a9d,11ac0-11af8,11c00-11c08,11c0a-11c2e,11c40,11c72-11c8f,11d00-11d06,11d08-11d09,',
    '11d0b-11d30,11d46,11d60-11d65,11d67-11d68,11d6a-11d89,11d98,11ee0-11ef2,11fb0,',
    '12000-12399,12480-12543,13000-1342e,14400-14646,16800-16a38,16a40-16a5e,16ad0-16aed,',
    '16b00-16b2f,16b40-16b43,16b63-16b77,16b7d-16b8f,16e40-16e7f,16f00-16f4a,16f50,',
    '16f93-16f9f,16fe0-16fe1,16fe3,17000-187f7,18800-18cd5,18d00-18d08,1b000-1b11e,',
    '1b150-1b152,1b164-1b167,1b170-1b2fb,1bc00-1bc6a,1bc70-1bc7c,1bc80-1bc88,1bc90-1bc99,',
    '1d400-1d454,1d456-1d49c,1d49e-1d49f,1d4a2,1d4a5-1d4a6,1d4a9-1d4ac,1d4ae-1d4b9,1d4bb,',
    '1d4bd-1d4c3,1d4c5-1d505,1d507-1d50a,1d50d-1d514,1d516-1d51c,1d51e-1d539,1d53b-1d53e,',
    '1d540-1d544,1d546,1d54a-1d550,1d552-1d6a5,1d6a8-1d6c0,1d6c2-1d6da,1d6dc-1d6fa,',
    '1d6fc-1d714,1d716-1d734,1d736-1d74e,1d750-1d76e,1d770-1d788,1d78a-1d7a8,1d7aa-1d7c2,',
    '1d7c4-1d7cb,1e100-1e12c,1e137-1e13d,1e14e,1e2c0-1e2eb,1e800-1e8c4,1e900-1e943,1e94b,',
    '1ee00-1ee03,1ee05-1ee1f,1ee21-1ee22,1ee24,1ee27,1ee29-1ee32,1ee34-1ee37,1ee39,1ee3b,',
    '1ee42,1ee47,1ee49,1ee4b,1ee4d-1ee4f,1ee51-1ee52,1ee54,1ee57,1ee59,1ee5b,1ee5d,1ee5f,',
    '1ee61-1ee62,1ee64,1ee67-1ee6a,1ee6c-1ee72,1ee74-1ee77,1ee79-1ee7c,1ee7e,1ee80-1ee89,',
    '1ee8b-1ee9b,1eea1-1eea3,1eea5-1eea9,1eeab-1eebb,20000-2a6dd,2a700-2b734,2b740-2b81d,',
    '2b820-2cea1,2ceb0-2ebe0,2f800-2fa1d,30000-3134a',
].join('');
const RANGES = GO_LETTER_RANGES.split(',').flatMap((r) => {
    const [lo = '', hi = lo] = r.split('-');
    return [Number.parseInt(lo, 16), Number.parseInt(hi, 16)];
});

;// CONCATENATED MODULE: ./src/go/escape.ts
/**
 * Case-encoding of module paths and versions for proxies and caches
 * (golang.org/x/mod/module module.go EscapePath…UnescapeVersion; GO-FACTS §3): every
 * upper-case ASCII letter becomes "!" plus its lower-case form, so paths stay
 * distinct on case-insensitive file systems.
 */


/** escapePath returns the safe encoding of a valid module path (module.EscapePath); throws GoError for an invalid one. */
function escapePath(path) {
    const known = escapedPaths.get(path);
    if (known !== undefined)
        return known;
    checkPath(path);
    const escaped = escapeString(path);
    // A pure function of a string: valid paths are remembered (a bounded map), since a check
    // escapes each module's path for every request it sends and every file it names.
    if (escapedPaths.size >= ESCAPED_PATHS)
        escapedPaths.clear();
    escapedPaths.set(path, escaped);
    return escaped;
}
/** ESCAPED_PATHS bounds how many valid module paths escapePath remembers. */
const ESCAPED_PATHS = 4096;
const escapedPaths = new Map();
/** escapeVersion returns the safe encoding of a version (module.EscapeVersion): a valid file-path element without "!". */
function escapeVersion(v) {
    if (elemProblem(v, 'file') !== undefined || v.includes('!')) {
        throw new GoError('INVALID_VERSION', `version ${quote(v)} invalid: disallowed version string`);
    }
    return escapeString(v);
}
/** unescapePath decodes an escaped module path and checks the result (module.UnescapePath). */
function unescapePath(escaped) {
    const path = unescapeString(escaped);
    if (path === undefined) {
        throw new GoError('INVALID_ESCAPE', `invalid escaped module path ${quote(escaped)}`);
    }
    try {
        checkPath(path);
    }
    catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new GoError('INVALID_ESCAPE', `invalid escaped module path ${quote(escaped)}: ${reason}`, {}, { cause: err });
    }
    return path;
}
/** unescapeVersion decodes an escaped version and checks it is a valid file-path element (module.UnescapeVersion). */
function unescapeVersion(escaped) {
    const v = unescapeString(escaped);
    if (v === undefined) {
        throw new GoError('INVALID_ESCAPE', `invalid escaped version ${quote(escaped)}`);
    }
    const reason = elemProblem(v, 'file');
    if (reason !== undefined) {
        throw new GoError('INVALID_ESCAPE', `invalid escaped version ${quote(v)}: ${reason}`);
    }
    return v;
}
function escapeString(s) {
    let out = '';
    for (const r of s) {
        if (r === '!' || r >= '\u0080') {
            // Only a non-ASCII version gets here: module.go reports "internal error: inconsistency".
            throw new GoError('INVALID_VERSION', `version ${quote(s)} invalid: not ASCII`);
        }
        out += r >= 'A' && r <= 'Z' ? `!${r.toLowerCase()}` : r;
    }
    return out;
}
function unescapeString(escaped) {
    let out = '';
    let bang = false;
    for (const r of escaped) {
        if (r >= '\u0080')
            return undefined;
        if (bang) {
            bang = false;
            if (r < 'a' || r > 'z')
                return undefined;
            out += r.toUpperCase();
        }
        else if (r === '!') {
            bang = true;
        }
        else if (r >= 'A' && r <= 'Z') {
            return undefined;
        }
        else {
            out += r;
        }
    }
    return bang ? undefined : out;
}

;// CONCATENATED MODULE: ./src/go/module.ts
/**
 * Module paths and versions as the go command checks them: golang.org/x/mod/module
 * (module.go) v0.7.0. Check functions throw GoError; predicates return booleans.
 */






const CODES = {
    module: 'INVALID_PATH',
    import: 'INVALID_IMPORT_PATH',
    file: 'INVALID_FILE_PATH',
};
/**
 * BAD_WINDOWS_NAMES are the element stems refused on every platform because
 * Windows reserves them (module.go badWindowsNames). COM0/LPT0 were added and then
 * reverted upstream (golang/mod 6686f41, 232e49f), so they are absent here too.
 */
// prettier-ignore
const BAD_WINDOWS_NAMES = [
    'CON', 'PRN', 'AUX', 'NUL',
    'COM1', 'COM2', 'COM3', 'COM4', 'COM5', 'COM6', 'COM7', 'COM8', 'COM9',
    'LPT1', 'LPT2', 'LPT3', 'LPT4', 'LPT5', 'LPT6', 'LPT7', 'LPT8', 'LPT9',
];
const FILE_NAME_PUNCT = '!#$%&()+,-.=@[]^_{}~ ';
/**
 * checkPath throws unless path is a valid module path (module.CheckPath): ASCII
 * letters, digits and `-._~` in slash-separated elements; a first element with a dot
 * and only lower-case letters, digits, `-` and `.`; a well-formed /vN suffix.
 */
function module_checkPath(path) {
    const reason = pathProblem(path, 'module') ?? firstElemProblem(path);
    if (reason !== undefined)
        throw invalidPath('module', path, reason);
}
/** firstElemProblem is checkPath's rules for the first element and the version suffix. */
function firstElemProblem(path) {
    let i = path.indexOf('/');
    if (i < 0)
        i = path.length;
    if (i === 0)
        return 'leading slash';
    const first = path.slice(0, i);
    if (!first.includes('.'))
        return 'missing dot in first path element';
    if (path[0] === '-')
        return 'leading dash in first path element';
    for (const r of first) {
        if (!firstPathOK(r))
            return `invalid char ${errors_quote(r)} in first path element`;
    }
    if (!module_splitPathVersion(path).ok)
        return 'invalid version';
    return undefined;
}
/** checkImportPath throws unless path is a valid import path (module.CheckImportPath): module rules plus `+`, any first element. */
function checkImportPath(path) {
    const reason = pathProblem(path, 'import');
    if (reason !== undefined)
        throw invalidPath('import', path, reason);
}
/**
 * checkFilePath throws unless path is a valid file path inside a module zip
 * (module.CheckFilePath; GO-FACTS §2.2): ASCII letters, digits, space and
 * `!#$%&()+,-.=@[]^_{}~`, or a letter by Go 1.19's unicode.IsLetter (Unicode 13); leading dots and dashes allowed.
 */
function module_checkFilePath(path) {
    const reason = pathProblem(path, 'file');
    if (reason !== undefined)
        throw invalidPath('file', path, reason);
}
/** isValidPath, isValidImportPath and isValidFilePath are the checks as predicates. */
function isValidPath(path) {
    try {
        module_checkPath(path);
        return true;
    }
    catch (err) {
        if (err instanceof GoError)
            return false;
        throw err;
    }
}
function isValidImportPath(path) {
    return pathProblem(path, 'import') === undefined;
}
function isValidFilePath(path) {
    return pathProblem(path, 'file') === undefined;
}
function invalidPath(kind, path, reason) {
    return new errors_GoError(CODES[kind], `malformed ${kind} path ${errors_quote(path)}: ${reason}`);
}
/** pathProblem is module.go checkPath: the reason path is invalid for kind, or undefined. */
function pathProblem(path, kind) {
    if (!isValidUtf8(path))
        return 'invalid UTF-8';
    if (path === '')
        return 'empty string';
    if (path[0] === '-' && kind !== 'file')
        return 'leading dash';
    if (path.includes('//'))
        return 'double slash';
    if (path.endsWith('/'))
        return 'trailing slash';
    for (const elem of path.split('/')) {
        const reason = module_elemProblem(elem, kind);
        if (reason !== undefined)
            return reason;
    }
    return undefined;
}
/** elemProblem is module.go checkElem: the reason one path element is invalid for kind. */
function module_elemProblem(elem, kind) {
    if (elem === '')
        return 'empty path element';
    if (/^\.+$/.test(elem))
        return `invalid path element ${errors_quote(elem)}`;
    if (elem[0] === '.' && kind === 'module')
        return 'leading dot in path element';
    if (elem.endsWith('.'))
        return 'trailing dot in path element';
    const ascii = ASCII_OK[kind];
    for (let i = 0; i < elem.length; i++) {
        const c = elem.charCodeAt(i);
        if (c < 0x80 && ascii[c] === 1)
            continue;
        const r = String.fromCodePoint(elem.codePointAt(i) ?? c);
        if (!charOK(r, kind))
            return `invalid char ${errors_quote(r)}`;
        i += r.length - 1;
    }
    const dot = elem.indexOf('.');
    const short = dot >= 0 ? elem.slice(0, dot) : elem;
    // Every reserved name has 3 or 4 characters.
    if ((short.length === 3 || short.length === 4) &&
        BAD_WINDOWS_NAMES.some((bad) => equalFoldAscii(bad, short))) {
        return `${errors_quote(short)} disallowed as path element component on Windows`;
    }
    if (kind !== 'file' && /~[0-9]+$/.test(short)) {
        return 'trailing tilde and digits in path element';
    }
    return undefined;
}
function charOK(r, kind) {
    switch (kind) {
        case 'module':
            return modPathOK(r);
        case 'import':
            return modPathOK(r) || r === '+';
        case 'file':
            return fileNameOK(r);
    }
}
/** ASCII_OK marks, per path kind, the ASCII characters charOK allows (a table, for speed). */
const ASCII_OK = {
    module: asciiTable('module'),
    import: asciiTable('import'),
    file: asciiTable('file'),
};
function asciiTable(kind) {
    const table = new Uint8Array(0x80);
    for (let c = 0; c < 0x80; c++)
        table[c] = charOK(String.fromCharCode(c), kind) ? 1 : 0;
    return table;
}
function isAlnum(r) {
    return (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z');
}
function firstPathOK(r) {
    return r === '-' || r === '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z');
}
function modPathOK(r) {
    return isAlnum(r) || r === '-' || r === '.' || r === '_' || r === '~';
}
function fileNameOK(r) {
    const c = r.codePointAt(0) ?? 0;
    if (c < 0x80)
        return isAlnum(r) || FILE_NAME_PUNCT.includes(r);
    return isGoLetter(c);
}
/**
 * splitPathVersion splits a module path into prefix and major-version suffix
 * (module.SplitPathVersion): "/vN" (N ≥ 2) or, for gopkg.in, ".vN[-unstable]".
 * ok is false for a malformed suffix such as "/v1", "/v0" or "/v2.0".
 */
function module_splitPathVersion(path) {
    if (path.startsWith('gopkg.in/'))
        return splitGopkgIn(path);
    let i = path.length;
    let dot = false;
    while (i > 0 && isDigitOrDot(path[i - 1])) {
        if (path[i - 1] === '.')
            dot = true;
        i--;
    }
    if (i <= 1 || i === path.length || path[i - 1] !== 'v' || path[i - 2] !== '/') {
        return { prefix: path, pathMajor: '', ok: true };
    }
    const prefix = path.slice(0, i - 2);
    const pathMajor = path.slice(i - 2);
    if (dot || pathMajor.length <= 2 || pathMajor[2] === '0' || pathMajor === '/v1') {
        return { prefix: path, pathMajor: '', ok: false };
    }
    return { prefix, pathMajor, ok: true };
}
function isDigitOrDot(c) {
    return c !== undefined && ((c >= '0' && c <= '9') || c === '.');
}
function splitGopkgIn(path) {
    let i = path.length;
    if (path.endsWith('-unstable'))
        i -= '-unstable'.length;
    while (i > 0 && (path[i - 1] ?? '') >= '0' && (path[i - 1] ?? '') <= '9')
        i--;
    if (i <= 1 || path[i - 1] !== 'v' || path[i - 2] !== '.') {
        return { prefix: path, pathMajor: '', ok: false };
    }
    const prefix = path.slice(0, i - 2);
    const pathMajor = path.slice(i - 2);
    if (pathMajor.length <= 2 || (pathMajor[2] === '0' && pathMajor !== '.v0')) {
        return { prefix: path, pathMajor: '', ok: false };
    }
    return { prefix, pathMajor, ok: true };
}
/**
 * checkPathMajor throws unless version v suits the path's major suffix
 * (module.CheckPathMajor): "" takes v0, v1 and +incompatible; "/vN" and ".vN" take
 * vN; gopkg.in ".v1" also takes the v0.0.0- pseudo-versions early vgo wrote.
 */
function module_checkPathMajor(v, pathMajor) {
    const reason = pathMajorProblem(v, pathMajor);
    if (reason !== undefined) {
        throw new GoError('INVALID_VERSION', `version ${quote(v)} invalid: ${reason}`);
    }
}
/** matchPathMajor reports whether checkPathMajor(v, pathMajor) would pass. */
function matchPathMajor(v, pathMajor) {
    return pathMajorProblem(v, pathMajor) === undefined;
}
function pathMajorProblem(v, pathMajor) {
    let want = pathMajor;
    if (want.startsWith('.v') && want.endsWith('-unstable'))
        want = want.slice(0, -'-unstable'.length);
    if (v.startsWith('v0.0.0-') && want === '.v1')
        return undefined;
    const m = major(v);
    if (want === '') {
        if (m === 'v0' || m === 'v1' || build(v) === '+incompatible')
            return undefined;
        want = 'v0 or v1';
    }
    else if (want[0] === '/' || want[0] === '.') {
        if (m === want.slice(1))
            return undefined;
        want = want.slice(1);
    }
    return `should be ${want}, not ${m}`;
}
/**
 * pathMajorPrefix returns the major version ("v2") named by a path suffix ("/v2",
 * ".v2", ".v2-unstable"), "" for "" (module.PathMajorPrefix). A malformed suffix is
 * a programming error upstream (panic); here it throws GoError INVALID_VERSION.
 */
function pathMajorPrefix(pathMajor) {
    if (pathMajor === '')
        return '';
    if (pathMajor[0] !== '/' && pathMajor[0] !== '.') {
        throw new GoError('INVALID_VERSION', `pathMajor suffix ${quote(pathMajor)} lacks separator`);
    }
    let pm = pathMajor;
    if (pm.startsWith('.v') && pm.endsWith('-unstable'))
        pm = pm.slice(0, -'-unstable'.length);
    const m = pm.slice(1);
    if (m !== semver.major(m)) {
        throw new GoError('INVALID_VERSION', `pathMajor suffix ${quote(pathMajor)} is not a valid major version`);
    }
    return m;
}
/** canonicalVersion is semver.canonical keeping a "+incompatible" build suffix (module.CanonicalVersion). */
function module_canonicalVersion(v) {
    const cv = canonical(v);
    return build(v) === '+incompatible' ? `${cv}+incompatible` : cv;
}
/**
 * check throws unless path is a valid module path and version a valid semantic
 * version matching the path's major suffix (module.Check).
 */
function check(path, version) {
    module_checkPath(path);
    if (!isValid(version)) {
        throw new errors_GoError('INVALID_VERSION', `${path}@${version}: invalid version: not a semantic version`);
    }
    const reason = pathMajorProblem(version, module_splitPathVersion(path).pathMajor);
    if (reason !== undefined) {
        throw new errors_GoError('INVALID_VERSION', `${path}@${version}: invalid version: ${reason}`);
    }
}
/**
 * compareModuleVersions is module.Sort's order: path by Go string order, then version
 * by semver (ignoring a "/go.mod"-style suffix), then the suffix ("" first).
 */
function compareModuleVersions(a, b) {
    if (a.path !== b.path)
        return compareStrings(a.path, b.path);
    const [vi, fi] = splitSuffix(a.version);
    const [vj, fj] = splitSuffix(b.version);
    if (vi !== vj)
        return semver.compare(vi, vj);
    return compareStrings(fi, fj);
}
function splitSuffix(v) {
    const k = v.indexOf('/');
    return k >= 0 ? [v.slice(0, k), v.slice(k)] : [v, ''];
}
/** sortModuleVersions sorts list in place by compareModuleVersions (module.Sort) and returns it. */
function sortModuleVersions(list) {
    return list.sort(compareModuleVersions);
}
/**
 * matchPrefixPatterns reports whether any comma-separated glob matches a prefix of
 * target (module.MatchPrefixPatterns; GO-FACTS §4): a glob with N slashes is matched
 * by path.Match against target's first N+1 elements; a trailing "/" is trimmed,
 * empty entries skipped, malformed globs ignored, and nothing is trimmed of spaces.
 */
function matchPrefixPatterns(globs, target) {
    for (const entry of globs.split(',')) {
        const glob = entry.endsWith('/') ? entry.slice(0, -1) : entry;
        if (glob === '')
            continue;
        const prefix = leadingElements(target, countSlashes(glob) + 1);
        if (prefix !== undefined && pathMatch(glob, prefix))
            return true;
    }
    return false;
}
function countSlashes(s) {
    let n = 0;
    for (const c of s)
        if (c === '/')
            n++;
    return n;
}
/** leadingElements returns the first n slash-separated elements of target, or undefined when it has fewer. */
function leadingElements(target, n) {
    let seen = 0;
    for (let i = 0; i < target.length; i++) {
        if (target[i] !== '/')
            continue;
        seen++;
        if (seen === n)
            return target.slice(0, i);
    }
    return seen === n - 1 ? target : undefined;
}

;// CONCATENATED MODULE: ./src/go/fold.ts
/**
 * Go simple case folding, as golang.org/x/mod/zip uses it to find names that collide
 * on case-insensitive file systems (x/mod zip/zip.go:943 strToFold; GO-FACTS §2.2).
 *
 * FOLD_RUNS is generated from Go 1.19 (Unicode 13.0.0) by test/interop/hash/foldtable;
 * the interop test regenerates it and compares. Each run [start, count, stride, delta]
 * says: for i < count, rune start + i*stride folds to itself + delta. Runes in no run
 * fold to themselves.
 */
const FOLD_RUNS = [
    [65, 26, 1, 32],
    [224, 23, 1, -32],
    [248, 7, 1, -32],
    [257, 24, 2, -1],
    [307, 3, 2, -1],
    [314, 8, 2, -1],
    [331, 23, 2, -1],
    [376, 1, 1, -121],
    [378, 3, 2, -1],
    [383, 1, 1, -268],
    [387, 2, 2, -1],
    [392, 2, 4, -1],
    [402, 2, 7, -1],
    [417, 3, 2, -1],
    [424, 2, 5, -1],
    [432, 2, 4, -1],
    [438, 2, 3, -1],
    [445, 2, 8, -1],
    [454, 1, 1, -2],
    [456, 1, 1, -1],
    [457, 1, 1, -2],
    [459, 1, 1, -1],
    [460, 1, 1, -2],
    [462, 8, 2, -1],
    [477, 1, 1, -79],
    [479, 9, 2, -1],
    [498, 1, 1, -1],
    [499, 1, 1, -2],
    [501, 1, 1, -1],
    [502, 1, 1, -97],
    [503, 1, 1, -56],
    [505, 20, 2, -1],
    [544, 1, 1, -130],
    [547, 9, 2, -1],
    [572, 1, 1, -1],
    [573, 1, 1, -163],
    [578, 1, 1, -1],
    [579, 1, 1, -195],
    [583, 5, 2, -1],
    [595, 1, 1, -210],
    [596, 1, 1, -206],
    [598, 2, 1, -205],
    [601, 1, 1, -202],
    [603, 1, 1, -203],
    [608, 1, 1, -205],
    [611, 1, 1, -207],
    [616, 1, 1, -209],
    [617, 2, 6, -211],
    [626, 1, 1, -213],
    [629, 1, 1, -214],
    [640, 2, 3, -218],
    [648, 1, 1, -218],
    [649, 1, 1, -69],
    [650, 2, 1, -217],
    [652, 1, 1, -71],
    [658, 1, 1, -219],
    [881, 2, 2, -1],
    [887, 1, 1, -1],
    [921, 1, 1, -84],
    [924, 1, 1, -743],
    [940, 1, 1, -38],
    [941, 3, 1, -37],
    [945, 8, 1, -32],
    [953, 1, 1, -116],
    [954, 2, 1, -32],
    [956, 1, 1, -775],
    [957, 5, 1, -32],
    [962, 1, 1, -31],
    [963, 9, 1, -32],
    [972, 1, 1, -64],
    [973, 2, 1, -63],
    [976, 1, 1, -62],
    [977, 1, 1, -57],
    [981, 1, 1, -47],
    [982, 1, 1, -54],
    [983, 1, 1, -8],
    [985, 12, 2, -1],
    [1008, 1, 1, -86],
    [1009, 1, 1, -80],
    [1011, 1, 1, -116],
    [1012, 1, 1, -92],
    [1013, 1, 1, -96],
    [1016, 1, 1, -1],
    [1017, 1, 1, -7],
    [1019, 1, 1, -1],
    [1021, 3, 1, -130],
    [1072, 32, 1, -32],
    [1104, 16, 1, -80],
    [1121, 17, 2, -1],
    [1163, 27, 2, -1],
    [1218, 7, 2, -1],
    [1231, 1, 1, -15],
    [1233, 48, 2, -1],
    [1377, 38, 1, -48],
    [5112, 6, 1, -8],
    [7296, 1, 1, -6254],
    [7297, 1, 1, -6253],
    [7298, 1, 1, -6244],
    [7299, 2, 1, -6242],
    [7301, 1, 1, -6243],
    [7302, 1, 1, -6236],
    [7303, 1, 1, -6181],
    [7312, 43, 1, -3008],
    [7357, 3, 1, -3008],
    [7681, 75, 2, -1],
    [7835, 1, 1, -59],
    [7838, 1, 1, -7615],
    [7841, 48, 2, -1],
    [7944, 8, 1, -8],
    [7960, 6, 1, -8],
    [7976, 8, 1, -8],
    [7992, 8, 1, -8],
    [8008, 6, 1, -8],
    [8025, 4, 2, -8],
    [8040, 8, 1, -8],
    [8072, 8, 1, -8],
    [8088, 8, 1, -8],
    [8104, 8, 1, -8],
    [8120, 2, 1, -8],
    [8122, 2, 1, -74],
    [8124, 1, 1, -9],
    [8126, 1, 1, -7289],
    [8136, 4, 1, -86],
    [8140, 1, 1, -9],
    [8152, 2, 1, -8],
    [8154, 2, 1, -100],
    [8168, 2, 1, -8],
    [8170, 2, 1, -112],
    [8172, 1, 1, -7],
    [8184, 2, 1, -128],
    [8186, 2, 1, -126],
    [8188, 1, 1, -9],
    [8486, 1, 1, -7549],
    [8490, 1, 1, -8383],
    [8491, 1, 1, -8294],
    [8526, 1, 1, -28],
    [8560, 16, 1, -16],
    [8580, 1, 1, -1],
    [9424, 26, 1, -26],
    [11312, 47, 1, -48],
    [11361, 1, 1, -1],
    [11362, 1, 1, -10743],
    [11363, 1, 1, -3814],
    [11364, 1, 1, -10727],
    [11365, 1, 1, -10795],
    [11366, 1, 1, -10792],
    [11368, 3, 2, -1],
    [11373, 1, 1, -10780],
    [11374, 1, 1, -10749],
    [11375, 1, 1, -10783],
    [11376, 1, 1, -10782],
    [11379, 2, 3, -1],
    [11390, 2, 1, -10815],
    [11393, 50, 2, -1],
    [11500, 2, 2, -1],
    [11507, 1, 1, -1],
    [11520, 38, 1, -7264],
    [11559, 2, 6, -7264],
    [42561, 5, 2, -1],
    [42570, 1, 1, -35266],
    [42571, 1, 1, -35267],
    [42573, 17, 2, -1],
    [42625, 14, 2, -1],
    [42787, 7, 2, -1],
    [42803, 31, 2, -1],
    [42874, 2, 2, -1],
    [42877, 1, 1, -35332],
    [42879, 5, 2, -1],
    [42892, 1, 1, -1],
    [42893, 1, 1, -42280],
    [42897, 2, 2, -1],
    [42903, 10, 2, -1],
    [42922, 1, 1, -42308],
    [42923, 1, 1, -42319],
    [42924, 1, 1, -42315],
    [42925, 1, 1, -42305],
    [42926, 1, 1, -42308],
    [42928, 1, 1, -42258],
    [42929, 1, 1, -42282],
    [42930, 1, 1, -42261],
    [42933, 6, 2, -1],
    [42947, 1, 1, -1],
    [42948, 1, 1, -48],
    [42949, 1, 1, -42307],
    [42950, 1, 1, -35384],
    [42952, 2, 2, -1],
    [42998, 1, 1, -1],
    [43859, 1, 1, -928],
    [43888, 80, 1, -38864],
    [65345, 26, 1, -32],
    [66600, 40, 1, -40],
    [66776, 36, 1, -40],
    [68800, 51, 1, -64],
    [71872, 32, 1, -32],
    [93792, 32, 1, -32],
    [125218, 34, 1, -34],
];
const foldMap = buildFoldMap();
function buildFoldMap() {
    const map = new Map();
    for (const [start, count, stride, delta] of FOLD_RUNS) {
        for (let i = 0; i < count; i++)
            map.set(start + i * stride, start + i * stride + delta);
    }
    return map;
}
/** foldRune maps a code point to the representative of its simple-fold orbit. */
function foldRune(r) {
    return foldMap.get(r) ?? r;
}
/**
 * strToFold returns a string with the property that Go's strings.EqualFold(s, t)
 * holds iff strToFold(s) === strToFold(t) (x/mod zip/zip.go:943). Each rune maps to
 * the smallest rune of its unicode.SimpleFold orbit, except that A-Z map to a-z.
 * Lone surrogates (never produced by decoding valid UTF-8) map to U+FFFD, as Go's
 * range loop does for invalid UTF-8.
 */
function strToFold(s) {
    // Go's fast path (zip.go:944): most names are ASCII, where folding is A-Z to a-z.
    let ascii = true;
    let upper = false;
    for (let i = 0; i < s.length && ascii; i++) {
        const c = s.charCodeAt(i);
        ascii = c < 0x80;
        upper ||= c >= 0x41 && c <= 0x5a;
    }
    if (ascii)
        return upper ? s.toLowerCase() : s;
    let out = '';
    for (const ch of s) {
        const cp = ch.codePointAt(0) ?? 0xfffd;
        const r = cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
        out += String.fromCodePoint(foldRune(r));
    }
    return out;
}
/** equalFold reports whether Go's strings.EqualFold(a, b) holds. */
function fold_equalFold(a, b) {
    return strToFold(a) === strToFold(b);
}
/** FOLD_RUNS_FOR_TEST exposes the table so the interop test can compare it with Go. */
const FOLD_RUNS_FOR_TEST = (/* unused pure expression or super */ null && (FOLD_RUNS));

;// CONCATENATED MODULE: ./src/hash/paths.ts
/**
 * Go's path package (slash-separated paths) as x/mod zip uses it: Clean, Split, Base,
 * IsAbs. Pure string functions; see go/src/path/path.go.
 */
/**
 * cleanPath is Go's path.Clean: the shortest equivalent path by purely lexical
 * processing (collapse slashes, drop "." elements, resolve ".." where possible,
 * no trailing slash); "" becomes ".".
 */
function paths_cleanPath(p) {
    if (p === '')
        return '.';
    const rooted = p.startsWith('/');
    const out = [];
    let dotdot = 0; // leading ".." elements that cannot be resolved
    for (const elem of p.split('/')) {
        if (elem === '' || elem === '.')
            continue;
        if (elem === '..') {
            if (out.length > dotdot)
                out.pop();
            else if (!rooted) {
                out.push('..');
                dotdot++;
            }
            continue;
        }
        out.push(elem);
    }
    const joined = out.join('/');
    if (rooted)
        return '/' + joined;
    return joined === '' ? '.' : joined;
}
/**
 * isCleanPath is cleanPath(p) === p. A path with no empty, "." or ".." element (a
 * leading "/" aside) is its own Clean, answered without building anything; any other
 * is cleaned and compared.
 */
function isCleanPath(p) {
    const from = p.startsWith('/') ? 1 : 0;
    if (p.length > from) {
        let plain = true;
        for (let start = from, i = from; i <= p.length && plain; i++) {
            if (i < p.length && p.charCodeAt(i) !== paths_SLASH)
                continue;
            const len = i - start;
            const dots = p.charCodeAt(start) === DOT && (len === 1 || p.charCodeAt(start + 1) === DOT);
            plain = len > 2 || (len > 0 && !dots);
            start = i + 1;
        }
        if (plain)
            return true;
    }
    return paths_cleanPath(p) === p;
}
const paths_SLASH = 0x2f;
const DOT = 0x2e;
/** splitPath is Go's path.Split: dir (with trailing slash, or "") and base. */
function paths_splitPath(p) {
    const i = p.lastIndexOf('/');
    return { dir: p.slice(0, i + 1), base: p.slice(i + 1) };
}
/** basePath is Go's path.Base. */
function basePath(p) {
    if (p === '')
        return '.';
    if (!p.endsWith('/'))
        return p.slice(p.lastIndexOf('/') + 1);
    const trimmed = p.replace(/\/+$/, '');
    if (trimmed === '')
        return '/';
    return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
/** dirPath is Go's path.Dir: Clean of everything up to the last slash. */
function dirPath(p) {
    const i = p.lastIndexOf('/');
    // The directory of a clean path is the part before its last slash.
    if (i > 0 && isCleanPath(p))
        return p.slice(0, i);
    return paths_cleanPath(p.slice(0, i + 1));
}

;// CONCATENATED MODULE: ./src/hash/collisions.ts


/**
 * CollisionChecker finds names that collide under Go's simple case folding and names
 * used both as a file and as a directory (x/mod zip/zip.go collisionChecker). Each
 * checked path also checks its parent directories, so "A/x" collides with "a".
 */
class collisions_CollisionChecker {
    seen = new Map();
    /**
     * settled holds directories recorded, with every parent, by a walk that found no
     * problem. Entries of `seen` are never replaced, so checking such a directory and its
     * parents again finds no problem either: a walk stops at one (x/mod walks on to the
     * root each time, with the same outcome). With strToFold's ASCII fast path, this took
     * checkZip of Go 1.19's src/cmd as a module zip (2,615 entries) from 21 to 9 ms.
     */
    settled = new Set();
    /** check records p and returns why it collides with an earlier path, if it does. */
    check(p, isDir) {
        const walked = [];
        for (let path = p, dir = isDir;; dir = true) {
            if (dir && this.settled.has(path))
                break;
            const problem = this.checkOne(path, dir);
            if (problem !== undefined)
                return problem;
            if (dir)
                walked.push(path);
            const parent = dirPath(path);
            if (parent === '.')
                break;
            path = parent;
        }
        for (const dir of walked)
            this.settled.add(dir);
        return undefined;
    }
    checkOne(p, isDir) {
        const fold = strToFold(p);
        const other = this.seen.get(fold);
        if (other === undefined) {
            this.seen.set(fold, { path: p, isDir });
            return undefined;
        }
        if (p !== other.path) {
            const reason = `case-insensitive file name collision: ${JSON.stringify(other.path)} and ${JSON.stringify(p)}`;
            return { code: 'ZIP_CASE_COLLISION', reason };
        }
        if (isDir !== other.isDir) {
            return {
                code: 'ZIP_FILE_DIR_CONFLICT',
                reason: `entry ${JSON.stringify(p)} is both a file and a directory`,
            };
        }
        if (!isDir)
            return { code: 'ZIP_DUPLICATE', reason: `multiple entries for file ${JSON.stringify(p)}` };
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/hash/errors.ts

/**
 * ZipError refuses a zip (or a file list for one). `entry` names the offending zip
 * entry or file when there is one, and the message begins with it. It is always kind
 * 'invalid': the input is refused.
 */
class errors_ZipError extends ModguardError {
    entry;
    constructor(code, message, entry, options) {
        super(code, 'invalid', withEntry(message, entry), options);
        this.entry = entry;
    }
}
function withEntry(message, entry) {
    if (entry === undefined || message.startsWith(`${entry}: `))
        return message;
    return `${entry}: ${message}`;
}

;// CONCATENATED MODULE: ./src/hash/create.ts







/** MAX_GO_MOD and MAX_LICENSE are x/mod zip.MaxGoMod and zip.MaxLICENSE: 16 MiB. */
const create_MAX_GO_MOD = 16 << 20;
const MAX_LICENSE = 16 << 20;
/** MAX_MODULE_SIZE is x/mod zip.MaxZipFile, the limit on a module's total file size. */
const MAX_MODULE_SIZE = 500 << 20;
/**
 * checkFiles sorts files into valid, omitted and invalid as x/mod zip.checkFiles does
 * (zip/zip.go:200; GO-FACTS §2.3), in this order: nested-module go.mod discovery
 * (regular files whose base name EqualFolds go.mod), not clean, absolute, vendored,
 * in a nested module, root .hg_archival.txt, CheckFilePath, root go.mod case,
 * case-insensitive collisions (Go simple folding, implied parents included),
 * symlinks and irregular files, then the size limits. A path is reported once.
 */
function create_checkFiles(files, vendorRule) {
    const cf = {
        valid: [],
        omitted: [],
        invalid: [],
        sizeError: undefined,
        validFiles: [],
    };
    const reported = new Set();
    const report = (path, code, reason) => {
        if (reported.has(path))
            return;
        reported.add(path);
        (code === 'OMITTED' ? cf.omitted : cf.invalid).push({ path, code, reason });
    };
    const moduleDirs = nestedModuleDirs(files);
    const collisions = new CollisionChecker();
    let remaining = MAX_MODULE_SIZE;
    for (const f of files) {
        const problem = fileProblem(f, vendorRule, moduleDirs, collisions);
        if (problem !== undefined) {
            report(f.path, problem.code, problem.reason);
            continue;
        }
        if (f.size >= 0 && f.size <= remaining)
            remaining -= f.size;
        else
            cf.sizeError ??= `module source tree too large (max size is ${MAX_MODULE_SIZE} bytes)`;
        if (f.path === 'go.mod' && f.size > create_MAX_GO_MOD) {
            report(f.path, 'ZIP_FILE_TOO_LARGE', `go.mod file too large (max size is ${create_MAX_GO_MOD} bytes)`);
            continue;
        }
        if (f.path === 'LICENSE' && f.size > MAX_LICENSE) {
            report(f.path, 'ZIP_FILE_TOO_LARGE', `LICENSE file too large (max size is ${MAX_LICENSE} bytes)`);
            continue;
        }
        cf.valid.push(f.path);
        cf.validFiles.push(f);
    }
    return cf;
}
function nestedModuleDirs(files) {
    const dirs = new Set();
    for (const f of files) {
        const { dir, base } = splitPath(f.path);
        if (equalFold(base, 'go.mod') && f.kind === 'file')
            dirs.add(dir);
    }
    return dirs;
}
function inNestedModule(p, dirs) {
    for (let dir = splitPath(p).dir; dir !== ''; dir = splitPath(dir.slice(0, -1)).dir) {
        if (dirs.has(dir))
            return true;
    }
    return false;
}
function fileProblem(f, vendorRule, moduleDirs, collisions) {
    const p = f.path;
    if (p !== cleanPath(p))
        return { code: 'ZIP_INVALID_NAME', reason: 'file path is not clean' };
    if (p.startsWith('/'))
        return { code: 'ZIP_INVALID_NAME', reason: 'file path is not relative' };
    if (isVendoredPackage(p, vendorRule))
        return { code: 'OMITTED', reason: 'file is in vendor directory' };
    if (inNestedModule(p, moduleDirs))
        return { code: 'OMITTED', reason: 'file is in another module' };
    if (p === '.hg_archival.txt') {
        return { code: 'OMITTED', reason: "file is inserted by 'hg archive' and is always omitted" };
    }
    try {
        checkFilePath(p);
    }
    catch (err) {
        return { code: 'ZIP_INVALID_NAME', reason: errorMessage(err) };
    }
    if (p.toLowerCase() === 'go.mod' && p !== 'go.mod') {
        return { code: 'ZIP_GOMOD_PLACEMENT', reason: 'go.mod files must have lowercase names' };
    }
    const collision = collisions.check(p, f.kind === 'dir');
    if (collision !== undefined)
        return collision;
    if (f.kind === 'symlink')
        return { code: 'OMITTED', reason: 'file is a symbolic link' };
    if (f.kind !== 'file')
        return { code: 'OMITTED', reason: 'not a regular file' };
    return undefined;
}
/** checkedFilesError is CheckedFiles.Err: the size error, else every invalid file (code of the first). */
function create_checkedFilesError(cf) {
    if (cf.sizeError !== undefined)
        return new ZipError('ZIP_TOO_LARGE', cf.sizeError);
    const first = cf.invalid[0];
    if (first === undefined)
        return undefined;
    const code = first.code === 'OMITTED' ? 'ZIP_INVALID_FILES' : first.code;
    const lines = cf.invalid.map((i) => `${i.path}: ${i.reason}`).join('\n');
    return new ZipError(code, lines, cf.invalid.length === 1 ? first.path : undefined);
}

;// CONCATENATED MODULE: ./src/go/unquote.ts
/**
 * unquoteGo interprets a double-quoted Go string literal as Go's strconv.Unquote does
 * (go1.19 src/strconv/quote.go UnquoteChar): \a \b \f \n \r \t \v \\ \", \xhh, \ooo
 * (≤ 0377), \uhhhh and \Uhhhhhhhh (valid, non-surrogate runes). Returns undefined
 * for a malformed literal — and, because modguard strings are Unicode, for escapes
 * that build bytes which are not valid UTF-8 (Go would keep the raw bytes).
 */
function unquote_unquoteGo(literal) {
    if (literal.length < 2 || literal[0] !== '"' || literal[literal.length - 1] !== '"')
        return undefined;
    const body = literal.slice(1, -1);
    const bytes = [];
    for (let i = 0; i < body.length;) {
        const c = body[i] ?? '';
        if (c === '"' || c === '\n')
            return undefined;
        if (c !== '\\') {
            const cp = body.codePointAt(i) ?? 0;
            const ch = String.fromCodePoint(cp);
            bytes.push(...unquote_encoder.encode(ch));
            i += ch.length;
            continue;
        }
        const step = unquoteEscape(body, i + 1, bytes);
        if (step === undefined)
            return undefined;
        i = step;
    }
    try {
        return decoder.decode(new Uint8Array(bytes));
    }
    catch {
        return undefined;
    }
}
const unquote_encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const SIMPLE = {
    a: 7,
    b: 8,
    f: 12,
    n: 10,
    r: 13,
    t: 9,
    v: 11,
    '\\': 92,
    '"': 34,
};
/** unquoteEscape decodes the escape after a backslash at body[i], appending bytes; returns the next index. */
function unquoteEscape(body, i, bytes) {
    const c = body[i];
    if (c === undefined)
        return undefined;
    const simple = SIMPLE[c];
    if (simple !== undefined) {
        bytes.push(simple);
        return i + 1;
    }
    if (c >= '0' && c <= '7') {
        const digits = body.slice(i, i + 3);
        if (!/^[0-7]{3}$/.test(digits))
            return undefined;
        const v = Number.parseInt(digits, 8);
        if (v > 255)
            return undefined;
        bytes.push(v);
        return i + 3;
    }
    const width = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
    if (width === 0)
        return undefined;
    const hex = body.slice(i + 1, i + 1 + width);
    if (hex.length !== width || !/^[0-9A-Fa-f]+$/.test(hex))
        return undefined;
    const v = Number.parseInt(hex, 16);
    if (c === 'x') {
        bytes.push(v);
    }
    else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
            return undefined;
        bytes.push(...unquote_encoder.encode(String.fromCodePoint(v)));
    }
    return i + 1 + width;
}

;// CONCATENATED MODULE: ./src/go/gomod-args.ts
/**
 * Directive arguments of go.mod: quoted strings, versions and replace targets
 * (golang.org/x/mod/modfile rule.go parseString, parseVersion, parseReplace,
 * IsDirectoryPath). Problems are thrown as DirectiveError and become GoErrors
 * naming file:line in gomod.ts.
 */



/** DirectiveError is one directive's problem, before it gets its file:line. */
class gomod_args_DirectiveError extends (/* unused pure expression or super */ null && (Error)) {
}
/** fail throws a DirectiveError with message. */
function gomod_args_fail(message) {
    throw new gomod_args_DirectiveError(message);
}
/** parseString is rule.go parseString: a "quoted" Go string, or a bare token without quotes. */
function gomod_args_parseString(token) {
    if (token.startsWith('"')) {
        const s = unquoteGo(token);
        if (s === undefined)
            gomod_args_fail(`invalid quoted string: ${token}`);
        return s;
    }
    if (/["'`]/.test(token))
        gomod_args_fail('invalid quoted string: unquoted string cannot contain quote');
    return token;
}
/**
 * moduleVersion parses a version for path as modfile.Parse with cmd/go's fixer
 * (modload/init.go fixVersion) does: valid semver, canonicalized, of a path that
 * splits, matching the path's major suffix (v2.0.0+incompatible for a v0/v1 path).
 */
function gomod_args_moduleVersion(path, token) {
    const v = parseVersionToken(path, token);
    const split = splitPathVersion(path);
    if (!split.ok)
        gomod_args_fail(`${path}: invalid module path`);
    try {
        checkPathMajor(v, split.pathMajor);
    }
    catch (err) {
        if (err instanceof GoError)
            gomod_args_fail(`${path}: ${err.message}`);
        throw err;
    }
    return v;
}
function parseVersionToken(path, token) {
    const t = gomod_args_parseString(token);
    const cv = canonicalVersion(t);
    if (cv === '')
        gomod_args_fail(`${path === '' ? '' : `${path}@`}${t}: invalid version: must be of the form v1.2.3`);
    return cv;
}
/** replaceDirective is rule.go parseReplace: `old [v] => new v` or `old [v] => ./dir`. */
function gomod_args_replaceDirective(args, at) {
    const arrow = args.length >= 2 && args[1] === '=>' ? 1 : 2;
    if (args.length < arrow + 2 || args.length > arrow + 3 || args[arrow] !== '=>') {
        gomod_args_fail('usage: replace module/path [v1.2.3] => other/module v1.4\n\t or replace module/path [v1.2.3] => ../local/directory');
    }
    const oldPath = gomod_args_parseString(args[0] ?? '');
    const split = splitPathVersion(oldPath);
    if (!split.ok)
        gomod_args_fail(`${oldPath}: invalid module path`);
    const oldVersion = arrow === 2 ? gomod_args_moduleVersion(oldPath, args[1] ?? '') : '';
    const newPath = gomod_args_parseString(args[arrow + 1] ?? '');
    const local = isDirectoryPath(newPath);
    if (args.length === arrow + 2) {
        if (!local) {
            if (newPath.includes('@'))
                gomod_args_fail("replacement module must match format 'path version', not 'path@version'");
            gomod_args_fail('replacement module without version must be directory path (rooted or starting with . or ..)');
        }
        if (newPath.includes('\\'))
            gomod_args_fail('replacement directory appears to be Windows path (on a non-windows system)');
        return {
            old: { path: oldPath, version: oldVersion },
            new: { path: newPath, version: '' },
            local,
            line: at,
        };
    }
    // cmd/go's fixer holds the replacement's version to its path's major too.
    const newVersion = gomod_args_moduleVersion(newPath, args[arrow + 2] ?? '');
    if (local)
        gomod_args_fail(`replacement module directory path ${quote(newPath)} cannot have version`);
    return {
        old: { path: oldPath, version: oldVersion },
        new: { path: newPath, version: newVersion },
        local,
        line: at,
    };
}
/**
 * isDirectoryPath reports whether a replacement target is a directory rather than a
 * module path (modfile rule.go IsDirectoryPath, x/mod v0.14, which Go ≥ 1.22 uses):
 * "." or "..", "./…", "../…" (either slash), a rooted path, or a Windows drive path
 * "C:…". Go 1.19 (x/mod v0.7.0) read bare "." and ".." as module paths and refused
 * them; nested modules that point back at their parent with `=> ..` are common.
 */
function isDirectoryPath(ns) {
    return (ns === '.' ||
        ns === '..' ||
        ns.startsWith('./') ||
        ns.startsWith('../') ||
        ns.startsWith('/') ||
        ns.startsWith('.\\') ||
        ns.startsWith('..\\') ||
        ns.startsWith('\\') ||
        (ns.length >= 2 && /^[A-Za-z]:/.test(ns)));
}

;// CONCATENATED MODULE: ./src/go/gomod-syntax.ts
/**
 * The go.mod lexer and statement parser: golang.org/x/mod/modfile read.go (v0.7.0).
 * It turns text into lines of tokens with their comments; gomod.ts gives them meaning.
 * A lexical or structural error stops parsing, as in read.go (in.Error panics).
 */


const PUNCT = new Set(['\n', '(', ')', '[', ']', '{', '}', ',']);
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
/** isIdent is read.go isIdent: printable, not space, not one of ` ()[]{},`. */
function isIdent(c) {
    if (c === '' || PUNCT.has(c) || c === ' ')
        return false;
    const cp = c.codePointAt(0) ?? 0;
    return !isGoSpace(cp) && PRINTABLE.test(c);
}
function isEOL(k) {
    return k === 'eof' || k === 'eolcomment' || k === '\n';
}
/** Lexer is read.go's input: a cursor over the text producing one token of lookahead. */
class Lexer {
    text;
    file;
    pos = 0;
    lineNo = 1;
    token = { kind: 'eof', text: '', line: 1 };
    lastComment;
    constructor(text, file) {
        this.text = text;
        this.file = file;
    }
    fail(message, line = this.lineNo) {
        throw new GoError('GOMOD_SYNTAX', message, { file: this.file, line });
    }
    readRune() {
        const cp = this.text.codePointAt(this.pos) ?? 0;
        const c = String.fromCodePoint(cp);
        this.pos += c.length;
        if (c === '\n')
            this.lineNo++;
        return c;
    }
    peekRune() {
        if (this.pos >= this.text.length)
            return '';
        return String.fromCodePoint(this.text.codePointAt(this.pos) ?? 0);
    }
    /** lex returns the current token and reads the next. */
    lex() {
        const tok = this.token;
        this.readToken();
        return tok;
    }
    readToken() {
        for (;;) {
            const c = this.peekRune();
            if (c === ' ' || c === '\t' || c === '\r') {
                this.readRune();
                continue;
            }
            if (this.text.startsWith('//', this.pos))
                return this.readComment();
            if (this.text.startsWith('/*', this.pos))
                this.fail('mod files must use // comments (not /* */ comments)');
            break;
        }
        const start = this.pos;
        const line = this.lineNo;
        const c = this.peekRune();
        if (c === '')
            return void (this.token = { kind: 'eof', text: '', line });
        if (PUNCT.has(c)) {
            this.readRune();
            return void (this.token = { kind: c, text: c, line });
        }
        if (c === '"' || c === '`')
            return this.readString(c, start, line);
        if (!isIdent(c))
            this.fail(`unexpected input character ${quote(c)}`);
        while (isIdent(this.peekRune())) {
            if (this.text.startsWith('//', this.pos))
                break;
            if (this.text.startsWith('/*', this.pos))
                this.fail('mod files must use // comments (not /* */ comments)');
            this.readRune();
        }
        this.token = { kind: 'ident', text: this.text.slice(start, this.pos), line };
    }
    readComment() {
        const start = this.pos;
        const line = this.lineNo;
        const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
        const suffix = trimSpace(this.text.slice(lineStart, start)) !== '';
        while (this.pos < this.text.length && this.readRune() !== '\n') {
            // read to the end of the line
        }
        let text = this.text.slice(start, this.pos);
        text = text.endsWith('\r\n')
            ? text.slice(0, -2)
            : text.endsWith('\n')
                ? text.slice(0, -1)
                : text;
        this.token = { kind: suffix ? 'eolcomment' : 'comment', text, line };
        if (suffix)
            this.lastComment = { token: text, line };
    }
    readString(q, start, line) {
        this.readRune();
        for (;;) {
            if (this.pos >= this.text.length)
                this.fail('unexpected EOF in string', line);
            if (this.peekRune() === '\n')
                this.fail('unexpected newline in string');
            const c = this.readRune();
            if (c === q)
                break;
            if (c === '\\' && q !== '`') {
                if (this.pos >= this.text.length)
                    this.fail('unexpected EOF in string', line);
                this.readRune();
            }
        }
        this.token = { kind: 'string', text: this.text.slice(start, this.pos), line };
    }
}
/**
 * parseModSyntax splits go.mod text into statements (read.go parse, parseFile,
 * parseStmt, parseLineBlock, parseLine) and attaches comments as assignComments does:
 * full-line comments directly above a line or block are its `before`, a comment after
 * tokens on the same line is the `suffix` of the line it ends. Throws GoError
 * GOMOD_SYNTAX naming file:line at the first lexical or block error.
 */
function gomod_syntax_parseModSyntax(text, file) {
    const lx = new Lexer(text, file);
    lx.readToken();
    const stmts = [];
    let pending;
    for (;;) {
        const k = lx.token.kind;
        if (k === 'eof')
            return stmts;
        if (k === '\n') {
            lx.lex();
            pending = undefined;
        }
        else if (k === 'comment') {
            const tok = lx.lex();
            (pending ??= []).push({ token: tok.text, line: tok.line });
        }
        else {
            const stmt = parseStmt(lx);
            const target = stmt.kind === 'line' ? stmt.line : stmt.block;
            if (pending !== undefined)
                target.before = pending;
            pending = undefined;
            stmts.push(stmt);
        }
    }
}
/** takeSuffix returns the end-of-line comment just lexed, when the token ending the line was one. */
function takeSuffix(lx, end) {
    if (end.kind !== 'eolcomment' || lx.lastComment === undefined)
        return [];
    return [lx.lastComment];
}
function parseStmt(lx) {
    const first = lx.lex();
    const tokens = [first.text];
    for (;;) {
        const tok = lx.lex();
        if (isEOL(tok.kind)) {
            return {
                kind: 'line',
                line: { tokens, line: first.line, before: [], suffix: takeSuffix(lx, tok) },
            };
        }
        if (tok.kind === '(') {
            const next = lx.token.kind;
            if (isEOL(next))
                return { kind: 'block', block: parseLineBlock(lx, tokens, first.line) };
            if (next === ')') {
                const rparen = lx.lex();
                if (isEOL(lx.token.kind)) {
                    const end = lx.lex();
                    const block = {
                        tokens,
                        line: first.line,
                        lines: [],
                        before: [],
                        suffix: takeSuffix(lx, end),
                    };
                    return { kind: 'block', block };
                }
                tokens.push(tok.text, rparen.text);
                continue;
            }
        }
        tokens.push(tok.text);
    }
}
function parseLineBlock(lx, tokens, line) {
    const block = { tokens, line, lines: [], before: [], suffix: [] };
    let comments = [];
    for (;;) {
        const k = lx.token.kind;
        if (k === 'eolcomment') {
            lx.lex();
        }
        else if (k === '\n') {
            const tok = lx.lex();
            const last = comments[comments.length - 1];
            if ((comments.length === 0 && block.lines.length > 0) ||
                (last !== undefined && last.token !== '')) {
                comments.push({ token: '', line: tok.line });
            }
        }
        else if (k === 'comment') {
            const tok = lx.lex();
            comments.push({ token: tok.text, line: tok.line });
        }
        else if (k === 'eof') {
            lx.fail(`syntax error (unterminated block started at ${lx.file}:${line})`);
        }
        else if (k === ')') {
            lx.lex();
            if (!isEOL(lx.token.kind))
                lx.fail('syntax error (expected newline after closing paren)');
            lx.lex();
            return block;
        }
        else {
            const l = parseLine(lx);
            l.before = comments;
            comments = [];
            block.lines.push(l);
        }
    }
}
function parseLine(lx) {
    const first = lx.lex();
    const tokens = [first.text];
    for (;;) {
        const tok = lx.lex();
        if (isEOL(tok.kind))
            return { tokens, line: first.line, before: [], suffix: takeSuffix(lx, tok) };
        tokens.push(tok.text);
    }
}

;// CONCATENATED MODULE: ./src/go/gomod.ts
/**
 * go.mod files: golang.org/x/mod/modfile rule.go (Parse and ParseLax), with every
 * directive error collected and named by file:line. Directive set: x/mod v0.7.0's
 * module, go, require, exclude, replace, retract, plus toolchain, godebug, tool and
 * ignore from later x/mod, because go.mod files written by Go ≥ 1.21 carry them
 * (ignore: Go 1.25).
 * go.mod is attacker-controlled input: nothing here throws on its content.
 */





/** GO_VERSION_RE is modfile.GoVersionRE at x/mod HEAD (1.21, 1.21.0, 1.21rc1). */
const GO_VERSION_RE = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;
const LAX_GO_VERSION_RE = /^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)$/;
const TOOLCHAIN_RE = /^default$|^go1($|\.)/;
const DEPRECATED_RE = /(?:^|\n\n)Deprecated: *([\s\S]*?)(?:$|\n\n)/;
/**
 * parseGoMod parses go.mod text as modfile.Parse does for the main module, except that
 * versions must be valid semver (cmd/go's fixer resolves queries; a checked-in go.mod
 * has none) and are canonicalized. A lexical error stops parsing (one error);
 * directive errors are all collected.
 */
function parseGoMod(text, file = 'go.mod') {
    return parseWith(text, file, true);
}
/**
 * parseGoModLax reads only what modfile.ParseLax("go.mod", data, nil) would give the
 * zip vendor rule (GO-FACTS §2.4): the module path and go version, or neither when
 * the file does not parse. It never throws.
 */
function gomod_parseGoModLax(text) {
    const { module, go } = readGoModLax(text);
    return { ...(module !== undefined ? { module } : {}), ...(go !== undefined ? { go } : {}) };
}
/**
 * parseDependencyGoMod parses a dependency's go.mod as the go command reads one
 * (modfile.ParseLax: only module, go, require and retract directives count; unknown
 * and main-module-only directives are ignored), e.g. for its retractions.
 */
function parseDependencyGoMod(text, file) {
    return parseWith(text, file, false);
}
/** readGoModLax is parseGoModLax that also says whether the file parsed (ok) at all. */
function readGoModLax(text) {
    const f = parseWith(text, 'go.mod', false);
    if (f.errors.length > 0)
        return { ok: false };
    return {
        ok: true,
        ...(f.module !== undefined ? { module: f.module.path } : {}),
        ...(f.go !== undefined ? { go: f.go.version } : {}),
    };
}
/** goModError folds every problem of a parsed go.mod into one GoError, or undefined. */
function goModError(mod) {
    if (mod.errors.length === 0)
        return undefined;
    const only = mod.errors[0];
    if (mod.errors.length === 1 && only !== undefined)
        return only;
    const text = mod.errors.map((e) => e.message).join('\n');
    return new GoError('GOMOD_SYNTAX', `malformed go.mod (${mod.errors.length} problems):\n${text}`, {
        file: mod.file,
    });
}
function emptyGoMod(file) {
    return {
        file,
        require: [],
        exclude: [],
        replace: [],
        retract: [],
        godebug: [],
        tool: [],
        ignore: [],
        errors: [],
    };
}
function parseWith(text, file, strict) {
    const f = emptyGoMod(file);
    try {
        for (const stmt of parseModSyntax(text, file)) {
            if (stmt.kind === 'line') {
                const [verb = '', ...args] = stmt.line.tokens;
                addDirective(f, undefined, stmt.line, verb, args, strict);
            }
            else {
                addBlock(f, stmt.block, strict);
            }
        }
    }
    catch (err) {
        if (!(err instanceof GoError))
            throw err;
        f.errors.push(err);
        return f;
    }
    if (strict)
        checkRetractVersions(f);
    f.errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return f;
}
/** WORK_VERBS are the directives of a go.work file besides `use` (x/mod modfile/work.go add). */
const WORK_VERBS = new Set(['go', 'toolchain', 'godebug', 'replace']);
const WORK_BLOCK_VERBS = new Set(['use', 'replace', 'godebug']);
/**
 * readGoWorkDirectives is x/mod ParseWork for every directive but `use` (which the
 * caller reads): go, toolchain, godebug and replace as in go.mod, anything else
 * "unknown directive" or "unknown block type". It returns the replace directives and
 * every problem, each named by file and line.
 */
function readGoWorkDirectives(stmts, file) {
    const f = emptyGoMod(file);
    const check = (line, verb, args, block) => {
        if (verb === 'use')
            return;
        try {
            if (!WORK_VERBS.has(verb))
                fail(`unknown directive: ${verb}`);
            applyDirective(f, block, line, verb, args, true);
        }
        catch (err) {
            if (!(err instanceof DirectiveError))
                throw err;
            f.errors.push(lineError(f, line.line, err.message));
        }
    };
    for (const stmt of stmts) {
        if (stmt.kind === 'line') {
            const [verb = '', ...args] = stmt.line.tokens;
            check(stmt.line, verb, args);
            continue;
        }
        const verb = stmt.block.tokens[0] ?? '';
        if (stmt.block.tokens.length > 1 || !WORK_BLOCK_VERBS.has(verb)) {
            f.errors.push(lineError(f, stmt.block.line, `unknown block type: ${stmt.block.tokens.join(' ')}`));
            continue;
        }
        for (const l of stmt.block.lines)
            check(l, verb, l.tokens, stmt.block);
    }
    return { replace: f.replace, errors: f.errors };
}
const BLOCK_VERBS = new Set([
    'module',
    'require',
    'exclude',
    'replace',
    'retract',
    'tool',
    'ignore',
    'godebug',
]);
function addBlock(f, block, strict) {
    const verb = block.tokens[0] ?? '';
    if (block.tokens.length > 1 || !BLOCK_VERBS.has(verb)) {
        if (strict)
            f.errors.push(lineError(f, block.line, `unknown block type: ${block.tokens.join(' ')}`));
        return;
    }
    for (const l of block.lines)
        addDirective(f, block, l, verb, l.tokens, strict);
}
function lineError(f, line, message) {
    return new GoError('GOMOD_SYNTAX', message, { file: f.file, line });
}
function addDirective(f, block, line, verb, args, strict) {
    if (!strict && !['go', 'module', 'retract', 'require'].includes(verb))
        return;
    try {
        applyDirective(f, block, line, verb, args, strict);
    }
    catch (err) {
        if (!(err instanceof DirectiveError))
            throw err;
        if (strict || verb !== 'retract')
            f.errors.push(lineError(f, line.line, err.message));
    }
}
function applyDirective(f, block, line, verb, args, strict) {
    const at = line.line;
    switch (verb) {
        case 'go':
            return void (f.go = { version: goVersion(f, args, strict), line: at });
        case 'toolchain':
            if (f.toolchain !== undefined)
                fail('repeated toolchain statement');
            if (args.length !== 1)
                fail('toolchain directive expects exactly one argument');
            if (!TOOLCHAIN_RE.test(args[0] ?? ''))
                fail(`invalid toolchain version '${args[0] ?? ''}': must match format go1.23.0 or default`);
            return void (f.toolchain = { name: args[0] ?? '', line: at });
        case 'module':
            return void (f.module = moduleDirective(f, block, line, args));
        case 'godebug':
            return godebug(f, args, at);
        case 'require':
        case 'exclude': {
            if (args.length !== 2)
                fail(`usage: ${verb} module/path v1.2.3`);
            const path = parseString(args[0] ?? '');
            const version = moduleVersion(path, args[1] ?? '');
            if (verb === 'require')
                f.require.push({ path, version, indirect: isIndirect(line), line: at });
            else
                f.exclude.push({ path, version, line: at });
            return;
        }
        case 'replace':
            return void f.replace.push(replaceDirective(args, at));
        case 'retract':
            return void f.retract.push(retractDirective(block, line, args, strict));
        case 'tool':
            if (args.length !== 1)
                fail('tool directive expects exactly one argument');
            return void f.tool.push({ path: parseString(args[0] ?? ''), line: at });
        case 'ignore':
            if (args.length !== 1)
                fail('ignore directive expects exactly one argument');
            return void f.ignore.push({ path: parseString(args[0] ?? ''), line: at });
        default:
            fail(`unknown directive: ${verb}`);
    }
}
function goVersion(f, args, strict) {
    if (f.go !== undefined)
        fail('repeated go statement');
    const v = args[0];
    if (args.length !== 1 || v === undefined)
        fail('go directive expects exactly one argument');
    if (GO_VERSION_RE.test(v))
        return v;
    const m = strict ? null : LAX_GO_VERSION_RE.exec(v);
    if (m?.[1] !== undefined)
        return m[1];
    return fail(`invalid go version '${v}': must match format 1.23.0`);
}
function moduleDirective(f, block, line, args) {
    if (f.module !== undefined)
        fail('repeated module statement');
    const deprecated = DEPRECATED_RE.exec(directiveComment(block, line))?.[1] ?? '';
    if (args.length !== 1) {
        f.module = { path: '', deprecated, line: line.line };
        fail('usage: module module/path');
    }
    return { path: parseString(args[0] ?? ''), deprecated, line: line.line };
}
function godebug(f, args, at) {
    const arg = args[0] ?? '';
    if (args.length !== 1 || /["`',]/.test(arg))
        fail('usage: godebug key=value');
    const eq = arg.indexOf('=');
    if (eq < 0)
        fail('usage: godebug key=value');
    f.godebug.push({ key: arg.slice(0, eq), value: arg.slice(eq + 1), line: at });
}
/**
 * isIndirect is rule.go isIndirect: the first suffix comment is "// indirect", or
 * starts with "// indirect;" followed by more text.
 */
function isIndirect(line) {
    const c = line.suffix[0];
    if (c === undefined)
        return false;
    const f = fields(c.token.startsWith('//') ? c.token.slice(2) : c.token);
    return (f.length === 1 && f[0] === 'indirect') || (f.length > 1 && f[0] === 'indirect;');
}
/**
 * directiveComment is rule.go parseDirectiveComment: the text of the line's comments
 * (before, then suffix), or the block's when the line has none; blank markers skipped.
 */
function directiveComment(block, line) {
    let groups = [line.before, line.suffix];
    if (block !== undefined && line.before.length === 0 && line.suffix.length === 0) {
        groups = [block.before, block.suffix];
    }
    return groups
        .flat()
        .filter((c) => c.token.startsWith('//'))
        .map((c) => trimSpace(c.token.slice(2)))
        .join('\n');
}
/**
 * checkRetractVersions is rule.go fixRetract with cmd/go's version fixer
 * (modload/init.go fixVersion): retract needs a module directive with a path
 * (reported once, at the first retract), and each bound must be valid semver,
 * canonicalized, of the module's own major version: `retract v2.0.0` in a v0/v1
 * module is refused as it is in a require, while v2.0.0+incompatible is accepted.
 * Only the main module's go.mod is held to this: ParseLax has no fixer, so a
 * dependency's retract bounds stay as written.
 */
function checkRetractVersions(f) {
    const first = f.retract[0];
    if (first === undefined)
        return;
    const path = f.module?.path ?? '';
    if (path === '') {
        f.errors.push(lineError(f, first.line, 'no module directive found, so retract cannot be used'));
        return;
    }
    f.retract.forEach((r, i) => {
        try {
            f.retract[i] = { ...r, low: moduleVersion(path, r.low), high: moduleVersion(path, r.high) };
        }
        catch (err) {
            if (!(err instanceof DirectiveError))
                throw err;
            f.errors.push(lineError(f, r.line, err.message));
        }
    });
}
/** retractDirective is rule.go's retract case with parseVersionInterval: `v` or `[lo, hi]`, rationale from comments. */
function retractDirective(block, line, args, strict) {
    const rationale = directiveComment(block, line);
    const toks = [...args];
    const next = () => toks.shift();
    let low;
    let high;
    const first = next();
    if (first === undefined || first === '(')
        fail("expected '[' or version");
    if (first !== '[') {
        low = high = parseString(first);
    }
    else {
        const lo = next();
        if (lo === undefined)
            fail("expected version after '['");
        low = parseString(lo);
        if (next() !== ',')
            fail("expected ',' after version");
        const hi = next();
        if (hi === undefined)
            fail("expected version after ','");
        high = parseString(hi);
        if (next() !== ']')
            fail("expected ']' after version");
    }
    if (toks.length > 0 && strict)
        fail(`unexpected token after version: ${quote(toks[0] ?? '')}`);
    return { low, high, rationale, line: line.line };
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/hash/dirhash.ts



const dirhash_utf8 = new TextEncoder();
const NEWLINE = 0x0a;
const SPACE = 0x20;
const HEX_LEN = 64;
const HEX_DIGEST = /^[0-9a-f]{64}$/;
/**
 * hash1FromDigests is dirhash.Hash1 (x/mod sumdb/dirhash/hash.go:44; GO-FACTS §1) over
 * precomputed file digests: "as if by find . -type f | sort | sha256sum". Names are
 * sorted by their UTF-8 bytes (Go's sort.Strings, not JavaScript's UTF-16 order); a
 * name containing "\n" is refused; each file contributes the line
 * `hex(sha256(content)) + "  " + name + "\n"`; the result is "h1:" and the standard
 * padded base64 of the SHA-256 of all lines. Duplicate names contribute one line each.
 */
function dirhash_hash1FromDigests(files) {
    const lines = [];
    for (const f of files)
        lines.push({ name: nameBytes(f.name), hex: hexOf(f.digest) });
    lines.sort((a, b) => Buffer.compare(a.name, b.name));
    let size = 0;
    for (const { name } of lines) {
        // Checked in sorted order, as Go does: the error names the first such name.
        if (name.includes(NEWLINE)) {
            throw new errors_ZipError('HASH_NAME_NEWLINE', 'file name contains a newline', printable(name));
        }
        size += HEX_LEN + 3 + name.length;
    }
    // The summary is small (about 100 bytes a file): built whole, it is hashed in one call.
    const summary = Buffer.allocUnsafe(size);
    let at = 0;
    for (const { name, hex } of lines) {
        at += summary.write(hex, at, 'latin1');
        summary[at++] = SPACE;
        summary[at++] = SPACE;
        summary.set(name, at);
        at += name.length;
        summary[at++] = NEWLINE;
    }
    return 'h1:' + (0,external_node_crypto_namespaceObject.hash)('sha256', summary, 'base64');
}
/** sha256Hex is the lowercase hex SHA-256 of bytes, in one call (the form a Hash1 line takes). */
function sha256Hex(content) {
    return (0,external_node_crypto_namespaceObject.hash)('sha256', content, 'hex');
}
/** hexOf is a digest as its line holds it: 64 lowercase hex digits, whichever form it came in. */
function hexOf(digest) {
    const hex = typeof digest === 'string'
        ? digest
        : Buffer.from(digest.buffer, digest.byteOffset, digest.length).toString('hex');
    if (!HEX_DIGEST.test(hex))
        throw new Error(`not a SHA-256 digest: ${JSON.stringify(hex)}`);
    return hex;
}
/**
 * hash1 is dirhash.Hash1(files, open): it reads each named file through `open`, one
 * chunk at a time (never holding a whole file), and hashes the list as
 * hash1FromDigests does.
 */
async function hash1(names, open) {
    const digests = [];
    for (const name of names) {
        if (name.includes('\n')) {
            throw new ZipError('HASH_NAME_NEWLINE', 'file name contains a newline', name);
        }
        digests.push({ name, digest: await dirhash_sha256Chunks(open(name)) });
    }
    return dirhash_hash1FromDigests(digests);
}
/**
 * hashGoMod is the go.sum `/go.mod` hash: Hash1 over the single file named "go.mod"
 * holding the raw bytes, unnormalized (cmd/go modfetch/fetch.go:585; GO-FACTS §1).
 */
function hashGoMod(content) {
    return dirhash_hash1FromDigests([{ name: 'go.mod', digest: sha256Hex(content) }]);
}
/** sha256Chunks digests a stream of chunks. */
async function dirhash_sha256Chunks(chunks) {
    const h = createHash('sha256');
    for await (const chunk of chunks)
        h.update(chunk);
    return h.digest();
}
function nameBytes(name) {
    if (typeof name !== 'string')
        return name;
    if (!isValidUtf8(name)) {
        throw new errors_ZipError('ZIP_INVALID_NAME', 'file name is not valid Unicode', JSON.stringify(name));
    }
    return dirhash_utf8.encode(name);
}
/** printable renders raw name bytes for an error message. */
function printable(name) {
    return JSON.stringify(Buffer.from(name).toString('utf8'));
}

;// CONCATENATED MODULE: external "node:stream"
const external_node_stream_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");
;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
;// CONCATENATED MODULE: ./src/hash/zipwrite.ts



const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_DESCRIPTOR = 0x08074b50;
const SIG_END = 0x06054b50;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const METHOD_DEFLATE = 8;
/** DOS date 1980-01-01, time 00:00: entries carry no timestamp, so zips are reproducible. */
const DOS_DATE = 0x0021;
const MAX_U32 = 0xffffffff;
const MAX_ENTRIES = 0xfffe;
/**
 * writeZip streams a zip archive (APPNOTE 6.3.x, no zip64) of the given entries, in
 * order, each deflated (node:zlib) with a data descriptor, as Go's archive/zip Writer
 * lays them out for x/mod zip.Create. Content flows through chunk by chunk: no file is
 * held whole. Sizes over 4 GiB and more than 65534 entries are refused (a module zip
 * is at most 500 MiB; GO-FACTS §2.1).
 */
async function* zipwrite_writeZip(entries) {
    const written = [];
    let offset = 0;
    for (const entry of entries) {
        if (written.length >= MAX_ENTRIES)
            throw new ZipError('ZIP_TOO_LARGE', 'too many entries');
        const name = Buffer.from(entry.name, 'utf8');
        const flags = FLAG_DESCRIPTOR | (isAscii(name) ? 0 : FLAG_UTF8);
        const w = { name, flags, crc: 0, compressed: 0, size: 0, offset };
        const header = localHeader(w);
        yield header;
        for await (const chunk of deflateCounting(entry, w)) {
            w.compressed += chunk.length;
            yield chunk;
        }
        if (entry.size !== undefined && w.size !== entry.size) {
            throw new ZipError('ZIP_FILE_CHANGED', `file has ${w.size} bytes, declared ${entry.size}`, entry.name);
        }
        if (w.compressed > MAX_U32 || w.size > MAX_U32) {
            throw new ZipError('ZIP_TOO_LARGE', 'file too large for a zip without zip64', entry.name);
        }
        const descriptor = dataDescriptor(w);
        yield descriptor;
        offset += header.length + w.compressed + descriptor.length;
        if (offset > MAX_U32)
            throw new ZipError('ZIP_TOO_LARGE', 'zip too large for a zip without zip64');
        written.push(w);
    }
    yield* centralDirectory(written, offset);
}
/** collectZip gathers writeZip's output into one buffer (for small zips and tests). */
async function zipwrite_collectZip(chunks) {
    const parts = [];
    for await (const c of chunks)
        parts.push(c);
    return Buffer.concat(parts);
}
async function* deflateCounting(entry, w) {
    const limit = entry.size;
    async function* tap() {
        for await (const chunk of entry.content()) {
            w.crc = crc32(chunk, w.crc);
            w.size += chunk.length;
            // x/mod zip.Create reads at most size+1 bytes and fails if the file grew.
            if (limit !== undefined && w.size > limit) {
                throw new ZipError('ZIP_FILE_CHANGED', `file is larger than declared size ${limit}`, entry.name);
            }
            yield chunk;
        }
    }
    const deflate = createDeflateRaw({ level: constants.Z_DEFAULT_COMPRESSION });
    const input = Readable.from(tap());
    input.on('error', (err) => deflate.destroy(err));
    input.pipe(deflate);
    for await (const out of deflate)
        yield out;
}
function localHeader(w) {
    const b = Buffer.alloc(30 + w.name.length);
    b.writeUInt32LE(SIG_LOCAL, 0);
    b.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    b.writeUInt16LE(w.flags, 6);
    b.writeUInt16LE(METHOD_DEFLATE, 8);
    b.writeUInt16LE(0, 10);
    b.writeUInt16LE(DOS_DATE, 12);
    // crc and sizes (14..25) stay zero: they follow in the data descriptor.
    b.writeUInt16LE(w.name.length, 26);
    b.writeUInt16LE(0, 28);
    w.name.copy(b, 30);
    return b;
}
function dataDescriptor(w) {
    const b = Buffer.alloc(16);
    b.writeUInt32LE(SIG_DESCRIPTOR, 0);
    b.writeUInt32LE(w.crc >>> 0, 4);
    b.writeUInt32LE(w.compressed, 8);
    b.writeUInt32LE(w.size, 12);
    return b;
}
function* centralDirectory(written, start) {
    let size = 0;
    for (const w of written) {
        const b = Buffer.alloc(46 + w.name.length);
        b.writeUInt32LE(SIG_CENTRAL, 0);
        b.writeUInt16LE(20, 4); // made by: MS-DOS, 2.0
        b.writeUInt16LE(20, 6);
        b.writeUInt16LE(w.flags, 8);
        b.writeUInt16LE(METHOD_DEFLATE, 10);
        b.writeUInt16LE(0, 12);
        b.writeUInt16LE(DOS_DATE, 14);
        b.writeUInt32LE(w.crc >>> 0, 16);
        b.writeUInt32LE(w.compressed, 20);
        b.writeUInt32LE(w.size, 24);
        b.writeUInt16LE(w.name.length, 28);
        // extra, comment, disk, internal attrs (30..37) zero; external attrs 0.
        b.writeUInt32LE(w.offset, 42);
        w.name.copy(b, 46);
        size += b.length;
        yield b;
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(SIG_END, 0);
    end.writeUInt16LE(written.length, 8);
    end.writeUInt16LE(written.length, 10);
    end.writeUInt32LE(size, 12);
    end.writeUInt32LE(start, 16);
    yield end;
}
function isAscii(b) {
    return b.every((c) => c < 0x80);
}

;// CONCATENATED MODULE: ./src/hash/modzip.ts








/**
 * checkModuleVersion refuses what x/mod zip.Create and checkZip refuse first: a
 * version that is not canonical (module.CanonicalVersion) or a path/version pair that
 * fails module.Check.
 */
function modzip_checkModuleVersion(modulePath, version) {
    const key = `${modulePath} ${version}`; // neither holds a space
    if (checkedPairs.has(key))
        return;
    checkPair(modulePath, version);
    // A pure check of two strings: the pairs that passed are remembered (a bounded set),
    // so hashing the same module from two witnesses, or many small zips, checks it once.
    if (checkedPairs.size >= CHECKED_PAIRS)
        checkedPairs.clear();
    checkedPairs.add(key);
}
/** CHECKED_PAIRS bounds how many valid path@version pairs checkModuleVersion remembers. */
const CHECKED_PAIRS = 4096;
const checkedPairs = new Set();
function checkPair(modulePath, version) {
    const canonical = module_canonicalVersion(version);
    if (canonical !== version) {
        const msg = `version ${JSON.stringify(version)} is not canonical (should be ${JSON.stringify(canonical)})`;
        throw new errors_ZipError('ZIP_MODULE', msg);
    }
    try {
        check(modulePath, version);
    }
    catch (err) {
        throw new errors_ZipError('ZIP_MODULE', errors_errorMessage(err), undefined, { cause: err });
    }
}
/**
 * resolveVendorRule picks the vendor rule for a file list: for 'auto', the go
 * directive of the root go.mod among the files, read leniently (go.mod bytes as the
 * zip would hold them; GO-FACTS §2.4).
 */
async function resolveVendorRule(files, option = 'auto') {
    if (option !== 'auto')
        return option;
    const gomod = files.find((f) => f.path === 'go.mod' && f.kind === 'file');
    if (gomod === undefined || gomod.size > MAX_GO_MOD)
        return 'old';
    const parts = [];
    for await (const chunk of gomod.open())
        parts.push(chunk);
    return vendorRuleFor(parseGoModLax(Buffer.concat(parts).toString('utf8')).go);
}
/**
 * checkModuleFiles is checkFiles with the vendor rule resolved from the files.
 */
async function checkModuleFiles(files, options = {}) {
    return checkFiles(files, await resolveVendorRule(files, options.vendorRule));
}
/**
 * createModuleZip is x/mod zip.Create (zip/zip.go:412): it checks the module path and
 * version, sorts the files with checkFiles and refuses the whole list if any file is
 * invalid or the total is too large (every problem reported in one ZipError), then
 * streams a zip of the valid files named `path@version/<file>` in input order, with
 * no directory entries. A file whose content differs in size from what it declared
 * makes the stream fail (ZIP_FILE_CHANGED).
 */
async function modzip_createModuleZip(modulePath, version, files, options = {}) {
    modzip_checkModuleVersion(modulePath, version);
    const cf = await checkModuleFiles(files, options);
    const err = checkedFilesError(cf);
    if (err !== undefined)
        throw err;
    const prefix = `${modulePath}@${version}/`;
    return writeZip(cf.validFiles.map((f) => ({ name: prefix + f.path, size: f.size, content: () => f.open() })));
}
/** createModuleZipBytes is createModuleZip collected into one buffer. */
async function createModuleZipBytes(modulePath, version, files, options = {}) {
    return collectZip(await modzip_createModuleZip(modulePath, version, files, options));
}
/**
 * hashModuleFiles is the h1 of the zip createModuleZip would write, computed without
 * writing it: dirhash.HashZip of x/mod zip.Create's output is Hash1 over
 * `path@version/<file>` for each valid file (Create writes no directory entries).
 * Each file must have exactly its declared size (x/mod Create's LimitedReader).
 */
async function hashModuleFiles(modulePath, version, files, options = {}) {
    modzip_checkModuleVersion(modulePath, version);
    const cf = await checkModuleFiles(files, options);
    const err = checkedFilesError(cf);
    if (err !== undefined)
        throw err;
    const digests = [];
    for (const f of cf.validFiles) {
        let size = 0;
        const counted = async function* () {
            for await (const chunk of f.open()) {
                size += chunk.length;
                yield chunk;
            }
        };
        const digest = await sha256Chunks(counted());
        if (size !== f.size) {
            throw new ZipError('ZIP_FILE_CHANGED', `file has ${size} bytes, declared ${f.size}`, f.path);
        }
        digests.push({ name: `${modulePath}@${version}/${f.path}`, digest });
    }
    return hash1FromDigests(digests);
}

;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./src/hash/digestworker.ts

/**
 * DIGEST_WORKER_SOURCE answers {id, bytes} with {id, digest}: SHA-256 of the transferred
 * bytes, which it transfers back, to be freed by this thread's busier garbage collector
 * (the worker's rarely runs, and would hold tens of MB of hashed buffers).
 */
const DIGEST_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
parentPort.on('message', ({ id, bytes }) => {
  const digest = Uint8Array.from(createHash('sha256').update(bytes).digest());
  parentPort.postMessage({ id, digest, bytes }, [bytes.buffer]);
});`;
/**
 * DigestWorker hashes buffers on one long-lived worker thread, started on first use.
 * It holds the process open only while a digest is pending; if the thread fails, the
 * pending digests reject and the next digest starts a new thread.
 */
class DigestWorker {
    worker;
    next = 0;
    pending = new Map();
    /** buffers back from the thread, for spare() to hand out again */
    spares = [];
    /**
     * spare returns a buffer of at least n bytes of its own (for content to be digested
     * here): one that came back from the thread when there is one, else a new one. Reused
     * buffers spare the page faults of fresh large ones.
     */
    spare(n) {
        const i = this.spares.findIndex((b) => b.byteLength >= n);
        if (i < 0)
            return new Uint8Array(n);
        const [buffer] = this.spares.splice(i, 1);
        return buffer ?? new Uint8Array(n);
    }
    /**
     * digest transfers bytes (they are detached here) and resolves to their SHA-256. It
     * throws, leaving bytes untouched, when no worker can be started or sent to.
     */
    digest(bytes) {
        const worker = this.worker ?? this.start();
        const id = this.next++;
        const done = new Promise((resolve, reject) => {
            this.pending.set(id, { resolve, reject });
        });
        try {
            worker.postMessage({ id, bytes }, [bytes.buffer]);
        }
        catch (err) {
            this.pending.delete(id);
            throw err;
        }
        if (this.pending.size === 1)
            worker.ref();
        return done;
    }
    start() {
        const worker = new external_node_worker_threads_namespaceObject.Worker(DIGEST_WORKER_SOURCE, { eval: true, execArgv: [] });
        worker.unref();
        worker.on('message', (m) => {
            if (m.bytes !== undefined && this.spares.length < MAX_SPARES) {
                this.spares.push(new Uint8Array(m.bytes.buffer));
            }
            this.pending.get(m.id)?.resolve(m.digest);
            this.pending.delete(m.id);
            if (this.pending.size === 0)
                worker.unref();
        });
        worker.on('error', (err) => this.fail(worker, err));
        worker.on('exit', (code) => this.fail(worker, new Error(`digest worker exited (${code})`)));
        this.worker = worker;
        return worker;
    }
    fail(worker, err) {
        if (this.worker !== worker)
            return;
        this.worker = undefined;
        for (const p of this.pending.values())
            p.reject(err);
        this.pending.clear();
    }
}
/** MAX_SPARES: how many returned buffers are kept for reuse (a few entries are in flight at once). */
const MAX_SPARES = 4;
/** digestWorker is the process's one digest worker. */
const digestWorker = new DigestWorker();

;// CONCATENATED MODULE: ./src/hash/inflater.ts

/** ZlibFailure is a zlib error as inflateRawSync throws it: message, code and errno. */
function zlibFailure(message, errno, code) {
    return Object.assign(new Error(message), { errno, code: code ?? `Z_ERRNO_${errno}` });
}
/** MIN_SCRATCH: the smallest output buffer a reusing inflater keeps. */
const MIN_SCRATCH = 64 << 10;
/**
 * Inflater inflates whole raw-deflate streams (zip entries of known size) for the
 * thread it lives on. inflateRawSync builds a zlib engine and an output buffer per
 * call; for the thousands of small files a module is made of, that setup costs more than
 * the inflating (7–9 µs against 2–3 µs for a 3 KB file on this project's machines), and
 * on Node 24 each engine's native memory stays until the next garbage collection
 * (40,000 calls: +88 MiB RSS, against +9 MiB reusing one engine). So an Inflater keeps
 * one engine, reset between streams, and inflates into one output buffer of its own,
 * grown as needed: what it returns is valid until its next call, and must be used
 * (checked, hashed) before then, with nothing awaited in between.
 *
 * The engine is driven through the two internals inflateRawSync itself uses. When they
 * are not there, or a self-check at first use disagrees with inflateRawSync, the
 * Inflater uses inflateRawSync instead (and returns fresh buffers): same bytes, same
 * errors, only slower.
 *
 * Semantics are inflateRawSync's: a stream that ends early is an error ("unexpected end
 * of file"), input after the end of the deflate stream is ignored (as Go's flate reader
 * ignores it), and output stops one byte past `size`: a longer stream is a bomb, seen by
 * the caller as content of size + 1 bytes (inflateRawSync throws ERR_BUFFER_TOO_LARGE
 * instead, or, when its stream also breaks off later, may report that first: either way
 * the entry is refused).
 */
class Inflater {
    reuse;
    engine;
    scratch;
    /** reuse: false makes this inflater use inflateRawSync always (for tests). */
    constructor(reuse = true) {
        this.reuse = reuse;
    }
    /** reusing says whether this inflater reuses its engine (known after its first inflate). */
    get reusing() {
        return this.reuse ? engineChecked : false;
    }
    /**
     * inflate returns the content of a deflate stream whose declared size is `size`, at
     * most size + 1 bytes of it. It throws zlib's error for a corrupt or truncated stream.
     */
    inflate(raw, size) {
        if (this.reuse && reusableEngine())
            return this.inflateReusing(raw, size);
        return (0,external_node_zlib_namespaceObject.inflateRawSync)(raw, {
            chunkSize: Math.max(64, size + 1),
            maxOutputLength: Math.max(1, size),
        });
    }
    /**
     * inflateInto is inflate into the caller's buffer `out` (at least size + 1 bytes),
     * returning the view of it that holds the content.
     */
    inflateInto(raw, size, out) {
        if (out.length < size + 1)
            throw new RangeError(`output of ${out.length} bytes for ${size}`);
        if (this.reuse && reusableEngine())
            return this.inflateReusing(raw, size, out);
        const content = this.inflate(raw, size);
        const n = Math.min(content.length, size + 1);
        out.set(content.subarray(0, n));
        return out.subarray(0, n);
    }
    /** inflateReusing is inflate on this inflater's engine, into out (by default its own buffer). */
    inflateReusing(raw, size, out = this.output(size + 1)) {
        const engine = (this.engine ??= openEngine());
        engine.handle.writeSync(external_node_zlib_namespaceObject.constants.Z_FINISH, raw, 0, raw.length, out, 0, size + 1);
        const failure = engine.failure;
        if (failure !== undefined) {
            // zlib's state after an error is not worth trusting: the next stream gets a new engine.
            this.engine = undefined;
            engine.close();
            throw failure;
        }
        const written = size + 1 - (engine.state[0] ?? 0);
        engine.handle.reset();
        return out.subarray(0, written);
    }
    output(n) {
        if (this.scratch === undefined || this.scratch.length < n) {
            this.scratch = Buffer.allocUnsafe(Math.max(n, MIN_SCRATCH));
        }
        return this.scratch;
    }
}
/**
 * StreamInflater inflates one deflate stream fed in pieces (a large entry read a chunk
 * at a time) on an engine of its own, into one output buffer it reuses: what `write`
 * yields is valid until the next piece is taken. Only where reusableEngine() holds.
 * Input after the end of the stream is ignored, as Go's flate reader ignores it; a
 * stream that has not ended when its last piece is written is an error ("unexpected end
 * of file"), as with inflateRawSync.
 */
class StreamInflater {
    engine = openEngine();
    out;
    done = false;
    constructor(outBytes = 256 << 10) {
        this.out = Buffer.allocUnsafe(outBytes);
    }
    /** write inflates input, the last piece of the stream when `last`, yielding the output. */
    *write(input, last) {
        const { handle, state } = this.engine;
        const flush = last ? external_node_zlib_namespaceObject.constants.Z_FINISH : external_node_zlib_namespaceObject.constants.Z_NO_FLUSH;
        let at = 0;
        let full = false; // the last write filled the output: zlib may hold more of it
        while (!this.done && (at < input.length || last || full)) {
            const left = input.length - at;
            handle.writeSync(flush, input, at, left, this.out, 0, this.out.length);
            if (this.engine.failure !== undefined)
                throw this.engine.failure;
            const availOut = state[0] ?? 0;
            const availIn = state[1] ?? 0;
            at += left - availIn;
            const produced = this.out.length - availOut;
            if (produced > 0)
                yield this.out.subarray(0, produced);
            full = availOut === 0;
            if (full)
                continue;
            // zlib stopped with room to spare: the input is used up, or the stream has ended.
            if (at < input.length || last)
                this.done = true;
            break;
        }
    }
    /** ended says whether the deflate stream has ended (further input is ignored). */
    get ended() {
        return this.done;
    }
    close() {
        this.engine.close();
    }
}
let engineChecked;
/**
 * reusableEngine says whether a zlib engine can be driven here as inflateRawSync drives
 * it (checked once per thread): the internals are there and agree with inflateRawSync
 * on a stream, a bomb, a truncated stream and garbage.
 */
function reusableEngine() {
    return (engineChecked ??= selfCheck());
}
function selfCheck() {
    try {
        const inflater = new Inflater();
        const text = Buffer.from('modguard inflates module zips '.repeat(40));
        const raw = (0,external_node_zlib_namespaceObject.deflateRawSync)(text);
        const same = (a, b) => Buffer.compare(a, b) === 0;
        if (!same(inflater.inflateReusing(raw, text.length), text))
            return false;
        const over = inflater.inflateReusing(raw, text.length - 10);
        if (!same(over, text.subarray(0, text.length - 9)))
            return false;
        for (const bad of [raw.subarray(0, raw.length - 3), Buffer.from([0xff, 0xff, 0xff])]) {
            try {
                inflater.inflateReusing(bad, text.length);
                return false;
            }
            catch (err) {
                if (typeof err.code !== 'string')
                    return false;
            }
        }
        if (!same(inflater.inflateReusing(raw, text.length), text))
            return false;
        const stream = new StreamInflater(64);
        try {
            const pieces = [];
            const half = raw.length >> 1;
            for (const out of stream.write(raw.subarray(0, half), false))
                pieces.push(Buffer.from(out));
            for (const out of stream.write(raw.subarray(half), true))
                pieces.push(Buffer.from(out));
            return same(Buffer.concat(pieces), text);
        }
        finally {
            stream.close();
        }
    }
    catch {
        return false;
    }
}
/** openEngine is a zlib raw-inflate engine's native handle and write state. */
function openEngine() {
    const z = (0,external_node_zlib_namespaceObject.createInflateRaw)();
    const parts = z;
    const handle = parts._handle;
    const state = parts._writeState;
    if (typeof handle?.writeSync !== 'function' ||
        typeof handle.reset !== 'function' ||
        !(state instanceof Uint32Array) ||
        state.length !== 2) {
        z.close();
        throw new Error('node:zlib engine internals are not as expected');
    }
    const engine = {
        close: () => z.close(),
        handle: handle,
        state,
        failure: undefined,
    };
    // Instead of the stream's handler, which destroys the stream: the error is thrown by inflate.
    engine.handle.onerror = (message, errno, code) => {
        engine.failure = zlibFailure(message, errno, code);
    };
    return engine;
}
/** threadInflater is this thread's inflater (each worker thread loads its own). */
const threadInflater = new Inflater();

;// CONCATENATED MODULE: ./src/hash/zipformat.ts

/** inMemory says whether a source can be read synchronously. */
function inMemory(source) {
    return source.readSync !== undefined;
}
function runSteps(steps, source) {
    for (let r = steps.next();;) {
        if (r.done === true)
            return r.value;
        r = steps.next(source.readSync(r.value.offset, r.value.length));
    }
}
async function runStepsAsync(steps, source) {
    for (let r = steps.next();;) {
        if (r.done === true)
            return r.value;
        r = steps.next(await source.read(r.value.offset, r.value.length));
    }
}
/**
 * ReadBuffer is one reader's buffer for RandomAccess.readInto, reused from read to read
 * (each read's bytes are valid until the next): reading a large zip from a file then
 * allocates nothing per range. Sources without readInto are read as usual.
 */
class zipformat_ReadBuffer {
    max;
    buffer;
    /** max: reads longer than this get bytes of their own, so the buffer stays this small. */
    constructor(max) {
        this.max = max;
    }
    async read(source, offset, length) {
        if (source.readInto === undefined || length > this.max)
            return source.read(offset, length);
        if (this.buffer === undefined || this.buffer.length < length) {
            this.buffer = Buffer.allocUnsafe(Math.min(this.max, Math.max(length, 64 << 10)));
        }
        const into = this.buffer.subarray(0, length);
        await source.readInto(offset, into);
        return into;
    }
}
/** bufferSource is a RandomAccess over bytes already in memory. */
function bufferSource(bytes) {
    return new BufferSource(bytes);
}
/** BufferSource is bufferSource's reader (a class: no closures to build per zip). */
class BufferSource {
    bytes;
    size;
    constructor(bytes) {
        this.bytes = bytes;
        this.size = bytes.length;
    }
    readSync(offset, length) {
        if (offset < 0 || length < 0 || offset + length > this.size) {
            throw new errors_ZipError('ZIP_TRUNCATED', `read past the end at offset ${offset}`);
        }
        return this.bytes.subarray(offset, offset + length);
    }
    async read(offset, length) {
        return this.readSync(offset, length);
    }
}
/**
 * chunksSource is a RandomAccess over bytes held as consecutive chunks (a body as it
 * arrived), without joining them: a read inside one chunk is a view of it, a read across
 * chunks a copy of just that range.
 */
function zipformat_chunksSource(chunks) {
    if (chunks.length === 1 && chunks[0] !== undefined)
        return new BufferSource(chunks[0]);
    return new ChunksSource(chunks);
}
class ChunksSource {
    chunks;
    size;
    starts = [];
    constructor(chunks) {
        this.chunks = chunks;
        let size = 0;
        for (const c of chunks) {
            this.starts.push(size);
            size += c.length;
        }
        this.size = size;
    }
    readSync(offset, length) {
        if (offset < 0 || length < 0 || offset + length > this.size) {
            throw new ZipError('ZIP_TRUNCATED', `read past the end at offset ${offset}`);
        }
        const { chunks, starts } = this;
        let i = chunkAt(starts, offset);
        const first = chunks[i] ?? new Uint8Array(0);
        const at = offset - (starts[i] ?? 0);
        if (at + length <= first.length)
            return first.subarray(at, at + length);
        const out = new Uint8Array(length);
        for (let done = 0; done < length; i++) {
            const c = chunks[i] ?? new Uint8Array(0);
            const from = done === 0 ? at : 0;
            const n = Math.min(c.length - from, length - done);
            out.set(c.subarray(from, from + n), done);
            done += n;
        }
        return out;
    }
    async read(offset, length) {
        return this.readSync(offset, length);
    }
}
/** chunkAt is the index of the last chunk starting at or before offset (binary search). */
function chunkAt(starts, offset) {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] ?? 0) <= offset)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}
const zipformat_SIG_LOCAL = 0x04034b50;
const zipformat_SIG_CENTRAL = 0x02014b50;
const zipformat_SIG_DESCRIPTOR = 0x08074b50;
const zipformat_SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const LOCAL_LEN = 30;
const CENTRAL_LEN = 46;
const END_LEN = 22;
const END64_LEN = 56;
const LOCATOR64_LEN = 20;
const ZIP64_EXTRA = 0x0001;
const FLAG_ENCRYPTED = 0x0001;
const zipformat_FLAG_DESCRIPTOR = 0x0008;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_MASKED_HEADERS = 0x2000;
const METHOD_STORE = 0;
const zipformat_METHOD_DEFLATE = 8;
const METHOD_AES = 99;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;
/**
 * Cursor reads little-endian fields from attacker-controlled bytes. Every read is
 * bounds-checked and 64-bit values must fit a safe integer, so a malformed zip yields
 * a ZipError, never a RangeError or a silently wrapped number.
 */
class Cursor {
    b;
    what;
    pos = 0;
    constructor(b, what) {
        this.b = b;
        this.what = what;
    }
    get remaining() {
        return this.b.length - this.pos;
    }
    u16() {
        this.need(2);
        const v = (this.b[this.pos] ?? 0) | ((this.b[this.pos + 1] ?? 0) << 8);
        this.pos += 2;
        return v;
    }
    u32() {
        const lo = this.u16();
        const hi = this.u16();
        return lo + hi * 0x10000;
    }
    u64() {
        const lo = this.u32();
        const hi = this.u32();
        if (hi >= 0x200000)
            throw new errors_ZipError('ZIP_FORMAT', `${this.what}: 64-bit value too large`);
        return lo + hi * 0x100000000;
    }
    bytes(n) {
        this.need(n);
        const out = this.b.subarray(this.pos, this.pos + n);
        this.pos += n;
        return out;
    }
    skip(n) {
        this.need(n);
        this.pos += n;
    }
    need(n) {
        if (this.pos + n > this.b.length) {
            throw new errors_ZipError('ZIP_FORMAT', `${this.what}: record is truncated`);
        }
    }
}
/**
 * readZip64Extra finds the zip64 extra field in `extra` and reads the values that
 * `needs` asks for, as Go's archive/zip readDirectoryHeader does (reader.go:372).
 * It returns undefined for a value not needed; a needed value missing is ZIP_FORMAT.
 */
function readZip64Extra(extra, needs, entry) {
    const c = new Cursor(extra, entry);
    const out = {
        present: false,
    };
    while (c.remaining >= 4) {
        const tag = c.u16();
        const len = c.u16();
        if (len > c.remaining)
            throw new errors_ZipError('ZIP_FORMAT', 'extra field is truncated', entry);
        const field = new Cursor(c.bytes(len), entry);
        if (tag !== ZIP64_EXTRA || out.present)
            continue;
        out.present = true;
        if (needs.size)
            out.size = field.u64();
        if (needs.compressed)
            out.compressed = field.u64();
        if (needs.offset)
            out.offset = field.u64();
    }
    if (c.remaining !== 0)
        throw new errors_ZipError('ZIP_FORMAT', 'extra field is truncated', entry);
    return out;
}
/** sameBytes reports whether two byte arrays are equal. */
function sameBytes(a, b) {
    if (a.length !== b.length)
        return false;
    for (let i = 0; i < a.length; i++)
        if (a[i] !== b[i])
            return false;
    return true;
}

;// CONCATENATED MODULE: ./src/hash/zipentry.ts










/** READ_CHUNK is how many compressed bytes a large entry reads at a time: memory stays bounded. */
const READ_CHUNK = 1 << 20;
/**
 * SMALL_ENTRY: entries declaring at most this many uncompressed bytes are read and
 * inflated whole, in one call (memory stays bounded by this size); larger ones stream.
 */
const SMALL_ENTRY = 4 << 20;
/**
 * WORKER_DIGEST: deflated small entries of at least this many bytes are digested on a
 * worker thread (their inflated buffer is transferred, not copied), so SHA-256 runs
 * beside this thread's CRC-32 and the pool's reading and inflating; smaller ones are
 * digested here, where the round trip would cost more than it saves.
 */
const WORKER_DIGEST = 256 << 10;
/**
 * ON_MAIN: on the main thread, which also downloads and answers, larger entries are
 * inflated on zlib's pool (or, when they barely compress, copied out here) and digested
 * on the digest worker ("aside"), so the work of several entries overlaps. On a worker
 * thread (the proxy witness's zip pool) blocking is what the thread is for, and a zip of
 * one batch has nothing to overlap: there every small entry is inflated and digested in
 * place, since each hand-off is a round trip (tens of microseconds) that only adds to
 * the work.
 */
const ON_MAIN = external_node_worker_threads_namespaceObject.isMainThread;
/**
 * SYNC_ENTRY: entries of at most this many bytes are inflated right here: for the
 * small files most modules are made of, a pool round trip costs more than the work.
 */
const SYNC_ENTRY = 64 << 10;
/** BATCH_BYTES: consecutive small entries are read from the source together, this many bytes at most. */
const BATCH_BYTES = 1 << 20;
/** PARALLEL batches are digested at once, so reading, inflating and hashing overlap. */
const PARALLEL = 3;
const inflateRawAsync = (0,external_node_util_namespaceObject.promisify)(external_node_zlib_namespaceObject.inflateRaw);
/**
 * openEntry yields an entry's uncompressed content, enforcing what Go's archive/zip
 * checksumReader enforces (reader.go:244) and a little more: the content is exactly
 * the declared uncompressed size (inflating stops as soon as it runs over, so a bomb
 * costs at most its declared size) and its CRC-32 equals the central directory's,
 * always (Go skips the CRC when it is 0 and there is no data descriptor). A small
 * entry is checked whole before it is yielded, a large one is checked at its end.
 *
 * Like Go (archive/zip reader.go:201 hands compress/flate the entry's compressedSize
 * bytes, and flate stops at the final block), compressed bytes after the end of the
 * deflate stream are ignored, for small and large entries alike: the content is what
 * the deflate stream holds, and the hash is what the go command computes.
 */
async function* openEntry(source, e) {
    if (e.uncompressedSize > SMALL_ENTRY) {
        yield* streamEntry(source, e);
        return;
    }
    const content = await wholeEntry(source, e);
    checkCrc(crc32(content), e);
    yield content;
}
/** sha256Entry digests one entry's content (openEntry's checks), on a worker when worth it. */
async function sha256Entry(source, e, aside = ON_MAIN) {
    const digest = await entryDigest(source, e, aside, new ReadBuffer(SMALL_ENTRY));
    return typeof digest === 'string' ? Buffer.from(digest, 'hex') : digest;
}
async function entryDigest(source, e, aside, reader) {
    if (e.uncompressedSize > SMALL_ENTRY) {
        const h = (0,external_node_crypto_namespaceObject.createHash)('sha256');
        for await (const chunk of streamEntry(source, e, !aside))
            h.update(chunk);
        return h.digest();
    }
    if (e.dataOffset < 0)
        throw new errors_ZipError('ZIP_FORMAT', 'entry was not checked', e.name);
    return digestSmall(await reader.read(source, e.dataOffset, e.compressedSize), e, aside);
}
/**
 * digestSmall checks and digests a small entry from its compressed bytes. Aside (on the
 * main thread), a larger deflated entry goes to the digest worker: inflated on zlib's
 * pool, or, when it barely compresses (stored deflate blocks of binary files, where
 * inflating is a copy), here, into a buffer that came back from the digest worker. Any
 * other entry is digested right here (digestHere).
 */
function digestSmall(raw, e, aside) {
    const size = e.uncompressedSize;
    if (!(aside && e.method !== METHOD_STORE && size > SYNC_ENTRY))
        return digestHere(raw, e);
    if (raw.length < size - (size >> 3)) {
        return inflateWhole(raw, e, true).then((content) => digestContent(content, e, true));
    }
    let content;
    try {
        content = threadInflater.inflateInto(raw, size, digestWorker.spare(size + 1));
    }
    catch (err) {
        throw inflateError(err, e);
    }
    checkSize(content.length, e);
    return digestContent(content, e, true, true);
}
/**
 * digestHere inflates, checks and digests a small entry in one synchronous step (the
 * thread's Inflater returns its own buffer, valid until its next use).
 */
function digestHere(raw, e) {
    let content = raw;
    if (e.method !== METHOD_STORE) {
        try {
            content = threadInflater.inflate(raw, e.uncompressedSize);
        }
        catch (err) {
            throw inflateError(err, e);
        }
    }
    checkSize(content.length, e);
    checkCrc((0,external_node_zlib_namespaceObject.crc32)(content), e);
    return sha256Hex(content);
}
/** digestContent checks a small entry's CRC-32 and digests it, on the worker when worth it. */
function digestContent(content, e, aside, owned = ownsBuffer(content, e)) {
    checkCrc((0,external_node_zlib_namespaceObject.crc32)(content), e);
    if (aside && content.length >= WORKER_DIGEST && owned) {
        try {
            return digestWorker.digest(content);
        }
        catch {
            // No worker thread here (content is untouched): digest it on this thread.
        }
    }
    return sha256Hex(content);
}
/**
 * ownsBuffer says whether content is an inflated buffer that nothing else shares (its
 * own ArrayBuffer, of the size inflateWhole asked zlib for), so it may be transferred.
 * A stored entry's bytes may be a view of the caller's zip: those are never moved.
 */
function ownsBuffer(content, e) {
    return (e.method !== METHOD_STORE &&
        content.buffer instanceof ArrayBuffer &&
        content.byteOffset === 0 &&
        content.buffer.byteLength === e.uncompressedSize + 1);
}
/** wholeEntry reads and inflates a small entry in one piece; its size is checked, not its CRC. */
async function wholeEntry(source, e) {
    if (e.dataOffset < 0)
        throw new ZipError('ZIP_FORMAT', 'entry was not checked', e.name);
    return inflateWhole(await source.read(e.dataOffset, e.compressedSize), e, ON_MAIN);
}
/**
 * inflateWhole inflates a small entry's compressed bytes (here if tiny, else on the
 * pool) into one buffer of size + 1 bytes, so a bomb stops one byte past the declared
 * size, and checks the size.
 */
async function inflateWhole(raw, e, aside) {
    let content = raw;
    if (e.method !== METHOD_STORE) {
        const size = e.uncompressedSize;
        const options = { chunkSize: Math.max(64, size + 1), maxOutputLength: Math.max(1, size) };
        try {
            content =
                aside && size > SYNC_ENTRY
                    ? await inflateRawAsync(raw, options)
                    : (0,external_node_zlib_namespaceObject.inflateRawSync)(raw, options);
        }
        catch (err) {
            throw inflateError(err, e);
        }
    }
    checkSize(content.length, e);
    return content;
}
/**
 * streamEntry yields a large entry's content as it inflates, checking size and CRC-32.
 * With `reuse`, for a consumer done with each piece before it asks for the next, pieces
 * share buffers, and where reusableEngine() holds the entry is inflated right here,
 * blocking this thread (as on a zip pool thread, which is there for it); otherwise
 * every piece has its own bytes, and inflating runs on zlib's pool.
 */
async function* streamEntry(source, e, reuse = false) {
    if (e.dataOffset < 0)
        throw new errors_ZipError('ZIP_FORMAT', 'entry was not checked', e.name);
    const body = e.method === METHOD_STORE
        ? readRange(source, e.dataOffset, e.compressedSize, reuse ? new zipformat_ReadBuffer(READ_CHUNK) : undefined)
        : reuse && reusableEngine()
            ? inflateHere(source, e)
            : inflateStream(source, e);
    let crc = 0;
    let size = 0;
    for await (const chunk of body) {
        size += chunk.length;
        if (size > e.uncompressedSize)
            checkSize(size, e);
        crc = (0,external_node_zlib_namespaceObject.crc32)(chunk, crc);
        yield chunk;
    }
    checkSize(size, e);
    checkCrc(crc, e);
}
function checkSize(size, e) {
    if (size > e.uncompressedSize) {
        throw new errors_ZipError('ZIP_SIZE_MISMATCH', `content is larger than declared size ${e.uncompressedSize}`, e.name);
    }
    if (size !== e.uncompressedSize) {
        throw new errors_ZipError('ZIP_SIZE_MISMATCH', `content has ${size} bytes, declared ${e.uncompressedSize}`, e.name);
    }
}
function checkCrc(crc, e) {
    if (crc >>> 0 !== e.crc32)
        throw new errors_ZipError('ZIP_CHECKSUM', 'CRC-32 does not match', e.name);
}
/** readRange yields a range of the source in chunks; through `reader`, all in its one buffer. */
async function* readRange(source, offset, length, reader) {
    for (let done = 0; done < length;) {
        const n = Math.min(READ_CHUNK, length - done);
        yield await (reader ? reader.read(source, offset + done, n) : source.read(offset + done, n));
        done += n;
    }
}
/**
 * inflateHere inflates a large entry on this thread, a chunk at a time, with one input
 * and one output buffer for the whole entry (StreamInflater): each piece it yields is
 * valid until the next is asked for. Reading stops once the deflate stream has ended.
 */
async function* inflateHere(source, e) {
    const stream = new StreamInflater();
    const reader = new zipformat_ReadBuffer(READ_CHUNK);
    try {
        for (let done = 0, last = false; !last && !stream.ended;) {
            const n = Math.min(READ_CHUNK, e.compressedSize - done);
            last = done + n >= e.compressedSize;
            const piece = await reader.read(source, e.dataOffset + done, n);
            done += n;
            try {
                yield* stream.write(piece, last);
            }
            catch (err) {
                throw inflateError(err, e);
            }
        }
    }
    finally {
        stream.close();
    }
}
/**
 * inflateStream inflates a large entry with backpressure. When the deflate stream ends
 * before its compressed bytes do, the engine ends its output and ignores the rest.
 */
async function* inflateStream(source, e) {
    const inflate = (0,external_node_zlib_namespaceObject.createInflateRaw)({ chunkSize: 256 * 1024 });
    const input = external_node_stream_namespaceObject.Readable.from(readRange(source, e.dataOffset, e.compressedSize), {
        objectMode: false,
    });
    input.on('error', (err) => inflate.destroy(err));
    inflate.on('error', () => undefined); // surfaced by the iteration below
    input.pipe(inflate);
    try {
        for await (const out of inflate)
            yield out;
    }
    catch (err) {
        throw inflateError(err, e);
    }
    finally {
        input.destroy();
        inflate.destroy();
    }
}
function inflateError(err, e) {
    if (err instanceof errors_ZipError)
        return err;
    const code = err.code;
    const message = String(err.message);
    if (code === 'ERR_BUFFER_TOO_LARGE') {
        return new errors_ZipError('ZIP_SIZE_MISMATCH', `content is larger than declared size ${e.uncompressedSize}`, e.name);
    }
    return new errors_ZipError('ZIP_FORMAT', `corrupt deflate data: ${message}`, e.name, { cause: err });
}
/**
 * hashZip is dirhash.HashZip (x/mod sumdb/dirhash/hash.go:112; GO-FACTS §1): Hash1
 * over every central-directory name verbatim (raw bytes, including the
 * `path@version/` prefix and directory entries), where a duplicated name is hashed
 * once per occurrence with the content of its last entry. It does not apply the
 * module zip rules: callers check those with checkZip. Entries are read in file order,
 * consecutive small ones in one read, a few batches at a time, so the source is read
 * almost sequentially; CRC-32 is checked here while SHA-256 runs on the digest worker.
 * A zip in memory with nothing to overlap (small entries in one batch, or on a worker
 * thread) is digested in one synchronous step instead.
 */
async function hashZip(archive) {
    // A duplicated name is hashed with its last entry's content: `hashed` is the entry
    // hashed for each entry's name.
    const last = new Map();
    const keys = archive.entries.map((e) => {
        if (e.nameBytes.includes(0x0a)) {
            throw new errors_ZipError('HASH_NAME_NEWLINE', 'file name contains a newline', printable(e.nameBytes));
        }
        const key = nameKey(e);
        last.set(key, e);
        return key;
    });
    const hashed = keys.map((key) => last.get(key));
    const ordered = [...last.values()].sort((a, b) => a.dataOffset - b.dataOffset);
    const batches = batchEntries(ordered);
    const aside = ON_MAIN && batches.length > 1;
    const source = archive.source;
    const digests = inMemory(source) && !aside && ordered.every((e) => e.uncompressedSize <= SMALL_ENTRY)
        ? digestInMemory(source, batches)
        : await digestConcurrently(source, batches, aside);
    const files = archive.entries.map((e, i) => ({
        name: e.nameBytes,
        digest: digests.get(hashed[i] ?? e) ?? new Uint8Array(0),
    }));
    return dirhash_hash1FromDigests(files);
}
/**
 * digestInMemory digests small entries of a zip in memory, with nothing to overlap (one
 * batch, or a worker thread): in one synchronous step, without a promise per entry.
 */
function digestInMemory(source, batches) {
    const digests = new Map();
    for (const batch of batches) {
        const { start, end } = batchSpan(batch);
        const span = source.readSync(start, end - start);
        for (const e of batch)
            digests.set(e, digestHere(entryData(span, start, e), e));
    }
    return digests;
}
/** digestConcurrently digests the batches a few at a time, so reading, inflating and hashing overlap. */
async function digestConcurrently(source, batches, aside) {
    const digests = new Map();
    let next = 0;
    let failed = false;
    const worker = async () => {
        const reader = new zipformat_ReadBuffer(SMALL_ENTRY);
        for (let b = batches[next++]; b !== undefined && !failed; b = batches[next++]) {
            try {
                for (const [e, digest] of await digestBatch(source, b, aside, reader))
                    digests.set(e, digest);
            }
            catch (err) {
                failed = true; // the other workers stop at their next batch
                throw err;
            }
        }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    return digests;
}
/**
 * batchEntries groups entries (in data order) into runs of small entries whose data
 * spans at most BATCH_BYTES, to be read at once; a large entry is a batch of its own.
 */
function batchEntries(ordered) {
    const batches = [];
    let batch = [];
    for (const e of ordered) {
        const first = batch[0];
        const joins = first !== undefined &&
            first.uncompressedSize <= SMALL_ENTRY &&
            e.uncompressedSize <= SMALL_ENTRY &&
            e.dataOffset + e.compressedSize - first.dataOffset <= BATCH_BYTES;
        if (!joins && first !== undefined) {
            batches.push(batch);
            batch = [];
        }
        batch.push(e);
    }
    if (batch.length > 0)
        batches.push(batch);
    return batches;
}
/**
 * digestBatch reads a batch's data in one piece (into reader's buffer, which is free
 * again when this returns) and digests each entry of it.
 */
async function digestBatch(source, batch, aside, reader) {
    const first = batch[0];
    if (batch.length === 1 && first !== undefined) {
        return [[first, await entryDigest(source, first, aside, reader)]];
    }
    const { start, end } = batchSpan(batch);
    const span = await reader.read(source, start, end - start);
    const out = [];
    for (const e of batch)
        out.push([e, await digestSmall(entryData(span, start, e), e, aside)]);
    return out;
}
/** batchSpan is the range of the zip a batch's data covers. */
function batchSpan(batch) {
    const first = batch[0];
    const start = first?.dataOffset ?? 0;
    if (start < 0)
        throw new errors_ZipError('ZIP_FORMAT', 'entry was not checked', first?.name);
    let end = start;
    for (const e of batch)
        end = Math.max(end, e.dataOffset + e.compressedSize);
    return { start, end };
}
/** entryData is an entry's compressed bytes within its batch's span (read from start). */
function entryData(span, start, e) {
    return span.subarray(e.dataOffset - start, e.dataOffset - start + e.compressedSize);
}
function nameKey(e) {
    return Buffer.from(e.nameBytes).toString('latin1');
}

;// CONCATENATED MODULE: external "node:buffer"
const external_node_buffer_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");
;// CONCATENATED MODULE: ./src/hash/ziplocal.ts


/**
 * checkLocalHeaders reads every entry's local file header and refuses a zip whose
 * local headers disagree with the central directory, the classic way to make two
 * zip readers (one streaming local headers, one reading the directory, like Go's
 * archive/zip) see different files. Agreement means: signature, name bytes, flags,
 * method, and, unless sizes are deferred to a data descriptor (flag bit 3), CRC-32
 * and both sizes (through the local zip64 extra field when they are 0xFFFFFFFF).
 * A data descriptor, when present, must carry the central CRC-32 and sizes.
 * Entries (header, data, descriptor) must lie before the central directory and may
 * not overlap one another: overlapping entries are how small zips inflate to huge
 * ones. Sets each entry's dataOffset. It is a step of readZip (Steps): it asks for
 * the bytes it reads, in a zip of `size` bytes.
 */
function* localHeaderSteps(size, entries, directoryOffset) {
    const byOffset = [...entries].sort((a, b) => a.headerOffset - b.headerOffset);
    let previousEnd = 0;
    let previousName = '';
    for (const e of byOffset) {
        if (e.headerOffset < previousEnd) {
            throw new errors_ZipError('ZIP_OVERLAP', `entry overlaps entry ${JSON.stringify(previousName)}`, e.name);
        }
        const end = yield* localHeaderStep(size, e);
        if (end > directoryOffset) {
            throw new errors_ZipError('ZIP_OVERLAP', 'entry data runs into the central directory', e.name);
        }
        previousEnd = end;
        previousName = e.name;
    }
}
/** checkLocalHeader checks one entry and returns the offset just past it. */
function* localHeaderStep(size, e) {
    if (e.headerOffset + LOCAL_LEN > size)
        throw new errors_ZipError('ZIP_TRUNCATED', 'local header is past the end', e.name);
    const c = new Cursor(yield { offset: e.headerOffset, length: LOCAL_LEN }, e.name);
    if (c.u32() !== zipformat_SIG_LOCAL)
        throw new errors_ZipError('ZIP_FORMAT', 'local header signature is wrong', e.name);
    c.skip(2); // version needed
    const flags = c.u16();
    const method = c.u16();
    c.skip(4); // time, date
    const crc = c.u32();
    const csize = c.u32();
    const usize = c.u32();
    const nameLen = c.u16();
    const extraLen = c.u16();
    const varEnd = e.headerOffset + LOCAL_LEN + nameLen + extraLen;
    if (varEnd > size)
        throw new errors_ZipError('ZIP_TRUNCATED', 'local header is past the end', e.name);
    const vars = yield { offset: e.headerOffset + LOCAL_LEN, length: nameLen + extraLen };
    const name = vars.subarray(0, nameLen);
    mustAgree(sameBytes(name, e.nameBytes), 'name', e);
    mustAgree(flags === e.flags, 'flags', e);
    mustAgree(method === e.method, 'compression method', e);
    const extra = vars.subarray(nameLen);
    if (flags & zipformat_FLAG_DESCRIPTOR) {
        // Sizes follow in the descriptor; the local fields are zero (or, from some writers,
        // already the real values, or 0xFFFFFFFF for zip64). Anything else disagrees.
        mustAgree(crc === 0 || crc === e.crc32, 'CRC-32', e);
        mustAgree([0, U32_MAX, e.compressedSize].includes(csize), 'compressed size', e);
        mustAgree([0, U32_MAX, e.uncompressedSize].includes(usize), 'uncompressed size', e);
    }
    else {
        checkLocalSizes(e, { crc, csize, usize, extra });
    }
    e.dataOffset = varEnd;
    const dataEnd = varEnd + e.compressedSize;
    if (dataEnd > size)
        throw new errors_ZipError('ZIP_TRUNCATED', 'entry data is past the end', e.name);
    if (!(flags & zipformat_FLAG_DESCRIPTOR))
        return dataEnd;
    return dataEnd + (yield* dataDescriptorStep(size, e, dataEnd));
}
function checkLocalSizes(e, local) {
    mustAgree(local.crc === e.crc32, 'CRC-32', e);
    const needs = {
        size: local.usize === U32_MAX,
        compressed: local.csize === U32_MAX,
        offset: false,
    };
    const z64 = readZip64Extra(local.extra, needs, e.name);
    mustAgree((z64.size ?? local.usize) === e.uncompressedSize, 'uncompressed size', e);
    mustAgree((z64.compressed ?? local.csize) === e.compressedSize, 'compressed size', e);
}
/**
 * checkDataDescriptor reads the descriptor after an entry's data (APPNOTE 4.3.9: an
 * optional signature, CRC-32, then 32-bit or, for zip64, 64-bit sizes) and returns its
 * length. Go's archive/zip checks only its CRC; here the sizes must agree as well.
 */
function* dataDescriptorStep(size, e, at) {
    const avail = Math.min(24, size - at);
    const b = yield { offset: at, length: avail };
    const c = new Cursor(b, e.name);
    let len = 0;
    if (avail >= 4 && new Cursor(b, e.name).u32() === zipformat_SIG_DESCRIPTOR) {
        c.skip(4);
        len = 4;
    }
    if (c.remaining < 12)
        throw new errors_ZipError('ZIP_TRUNCATED', 'data descriptor is past the end', e.name);
    mustAgree(c.u32() === e.crc32, 'data descriptor CRC-32', e);
    const rest = b.subarray(len + 4);
    const c32 = new Cursor(rest, e.name);
    if (c32.u32() === e.compressedSize && c32.u32() === e.uncompressedSize)
        return len + 12;
    if (rest.length >= 16) {
        const c64 = new Cursor(rest, e.name);
        if (c64.u64() === e.compressedSize && c64.u64() === e.uncompressedSize)
            return len + 20;
    }
    throw new errors_ZipError('ZIP_HEADER_MISMATCH', 'data descriptor sizes differ from the central directory', e.name);
}
function mustAgree(ok, field, e) {
    if (!ok) {
        throw new errors_ZipError('ZIP_HEADER_MISMATCH', `local header ${field} differs from the central directory`, e.name);
    }
}

;// CONCATENATED MODULE: ./src/hash/zipread.ts




/**
 * MAX_ENTRIES bounds the central directory (stricter than Go, which has no limit): a
 * 500 MiB zip could otherwise declare ten million entries and exhaust memory.
 */
const zipread_MAX_ENTRIES = 1 << 20;
/** MAX_ZIP_FILE is x/mod zip.MaxZipFile: 500 MiB for the zip and for its contents. */
const MAX_ZIP_FILE = 500 * 1024 * 1024;
/** MAX_DEFLATE_RATIO bounds declared size / compressed size: deflate cannot exceed ~1032. */
const MAX_DEFLATE_RATIO = 1032;
const zipread_utf8 = new TextDecoder('utf-8', { fatal: false });
/**
 * readZip reads a zip's central directory as Go's archive/zip does (reader.go: the end
 * record searched in the last 1 KiB then 65 KiB, the zip64 locator and end record,
 * then every central header with its zip64 extra field), and checks more than Go does,
 * because the zip is attacker-controlled and a module zip must mean one thing to every
 * reader:
 *  - the end record ends the file exactly, is single-disk, its entry count is exact,
 *    and the central directory sits right before it with no data prepended to the zip;
 *  - every central header parses completely and the records fill the directory;
 *  - encrypted entries and methods other than store and deflate are refused;
 *  - each local header agrees with its central record (name, flags, method, CRC and
 *    sizes), entries do not overlap each other or the directory (overlap bombs);
 *  - declared sizes are bounded: total and ratio (zip bombs).
 *
 * Why not yauzl or another library: the checks above (local-vs-central agreement,
 * overlap, Go's exact zip64 and EOCD search semantics, raw byte names for dirhash)
 * are the point of this reader, and a general-purpose library hides or relaxes them.
 */
async function readZip(source, options = {}) {
    if (inMemory(source))
        return readZipSync(source, options);
    const { entries, directoryOffset } = await runStepsAsync(readSteps(source.size, options), source);
    return { source, entries, directoryOffset };
}
/** readZipSync is readZip of a zip in memory, in one synchronous step. */
function readZipSync(source, options = {}) {
    const { entries, directoryOffset } = runSteps(readSteps(source.size, options), source);
    return { source, entries, directoryOffset };
}
/** readSteps is readZip's logic, asking for each range of the zip it reads (Steps). */
function* readSteps(size, options) {
    const maxZip = options.maxZipSize ?? MAX_ZIP_FILE;
    if (size > maxZip) {
        throw new errors_ZipError('ZIP_TOO_LARGE', `zip is ${size} bytes; limit is ${maxZip} bytes`);
    }
    const end = yield* directoryEndSteps(size);
    const maxEntries = options.maxEntries ?? zipread_MAX_ENTRIES;
    if (end.records > maxEntries) {
        throw new errors_ZipError('ZIP_TOO_LARGE', `zip has ${end.records} entries; limit is ${maxEntries}`);
    }
    const dir = yield { offset: end.offset, length: end.size };
    const entries = parseCentralDirectory(dir, end);
    checkDeclaredSizes(entries, options.maxUncompressedTotal ?? MAX_ZIP_FILE);
    yield* localHeaderSteps(size, entries, end.offset);
    return { entries, directoryOffset: end.offset };
}
function* directoryEndSteps(size) {
    if (size < END_LEN)
        throw new errors_ZipError('ZIP_TRUNCATED', 'file is too short to be a zip');
    const tailLen = Math.min(size, 65 * 1024 + END_LEN);
    const tail = yield { offset: size - tailLen, length: tailLen };
    const at = findEndRecord(tail);
    if (at < 0)
        throw new errors_ZipError('ZIP_FORMAT', 'no end of central directory record');
    const endOffset = size - tailLen + at;
    const c = new Cursor(tail.subarray(at + 4), 'end of central directory');
    const disk = c.u16();
    const dirDisk = c.u16();
    const recordsHere = c.u16();
    let records = c.u16();
    let dirSize = c.u32();
    let offset = c.u32();
    if (disk !== 0 || dirDisk !== 0 || recordsHere !== records) {
        throw new errors_ZipError('ZIP_FORMAT', 'multi-disk zips are not supported');
    }
    let dirEnd = endOffset;
    if (records === U16_MAX || dirSize === U32_MAX || offset === U32_MAX) {
        const z64 = yield* directoryEnd64Steps(endOffset);
        ({ records, size: dirSize, offset } = z64);
        dirEnd = z64.endOffset;
    }
    if (offset + dirSize !== dirEnd) {
        throw new errors_ZipError('ZIP_FORMAT', 'central directory is not where the end record says (data prepended or appended?)');
    }
    if (records > dirSize / CENTRAL_LEN)
        throw new errors_ZipError('ZIP_FORMAT', 'entry count does not fit the central directory');
    return { records, size: dirSize, offset, endOffset: dirEnd };
}
/**
 * findEndRecord finds the end-of-central-directory signature searching backwards
 * (archive/zip findSignatureInBlock), and requires the record's comment to end the
 * file exactly: trailing bytes are refused.
 */
function findEndRecord(b) {
    for (let i = b.length - END_LEN; i >= 0; i--) {
        if (b[i] !== 0x50 || b[i + 1] !== 0x4b || b[i + 2] !== 0x05 || b[i + 3] !== 0x06)
            continue;
        const commentLen = (b[i + 20] ?? 0) | ((b[i + 21] ?? 0) << 8);
        if (i + END_LEN + commentLen === b.length)
            return i;
    }
    return -1;
}
function* directoryEnd64Steps(endOffset) {
    const locOffset = endOffset - LOCATOR64_LEN;
    if (locOffset < 0)
        throw new errors_ZipError('ZIP_FORMAT', 'zip64 end record locator is missing');
    const loc = new Cursor(yield { offset: locOffset, length: LOCATOR64_LEN }, 'zip64 locator');
    if (loc.u32() !== SIG_LOCATOR64)
        throw new errors_ZipError('ZIP_FORMAT', 'zip64 end record locator is missing');
    const disk = loc.u32();
    const at = loc.u64();
    const disks = loc.u32();
    if (disk !== 0 || disks !== 1)
        throw new errors_ZipError('ZIP_FORMAT', 'multi-disk zips are not supported');
    if (at + END64_LEN > locOffset)
        throw new errors_ZipError('ZIP_FORMAT', 'zip64 end record is out of place');
    const c = new Cursor(yield { offset: at, length: END64_LEN }, 'zip64 end record');
    if (c.u32() !== SIG_END64)
        throw new errors_ZipError('ZIP_FORMAT', 'zip64 end record signature is wrong');
    const recordSize = c.u64();
    if (at + 12 + recordSize !== locOffset)
        throw new errors_ZipError('ZIP_FORMAT', 'zip64 end record is out of place');
    c.skip(4); // versions made by and needed
    const d1 = c.u32();
    const d2 = c.u32();
    const recordsHere = c.u64();
    const records = c.u64();
    const size = c.u64();
    const offset = c.u64();
    if (d1 !== 0 || d2 !== 0 || recordsHere !== records) {
        throw new errors_ZipError('ZIP_FORMAT', 'multi-disk zips are not supported');
    }
    return { records, size, offset, endOffset: at };
}
function parseCentralDirectory(dir, end) {
    const c = new Cursor(dir, 'central directory');
    const entries = [];
    for (let i = 0; i < end.records; i++)
        entries.push(parseCentralHeader(c));
    if (c.remaining !== 0) {
        throw new errors_ZipError('ZIP_FORMAT', 'central directory has bytes beyond its declared entries');
    }
    return entries;
}
function parseCentralHeader(c) {
    if (c.u32() !== zipformat_SIG_CENTRAL)
        throw new errors_ZipError('ZIP_FORMAT', 'central directory header signature is wrong');
    const creatorVersion = c.u16();
    c.skip(2); // version needed
    const flags = c.u16();
    const method = c.u16();
    c.skip(4); // time, date
    const crc32 = c.u32();
    const csize32 = c.u32();
    const usize32 = c.u32();
    const nameLen = c.u16();
    const extraLen = c.u16();
    const commentLen = c.u16();
    c.skip(4); // disk number start, internal attributes
    const externalAttrs = c.u32();
    const offset32 = c.u32();
    const nameBytes = c.bytes(nameLen);
    const extra = c.bytes(extraLen);
    c.skip(commentLen);
    const name = zipread_utf8.decode(nameBytes);
    const needs = {
        size: usize32 === U32_MAX,
        compressed: csize32 === U32_MAX,
        offset: offset32 === U32_MAX,
    };
    const z64 = readZip64Extra(extra, needs, name);
    if ((needs.compressed && z64.compressed === undefined) ||
        (needs.offset && z64.offset === undefined)) {
        throw new errors_ZipError('ZIP_FORMAT', 'zip64 sizes are missing', name);
    }
    checkSupported(flags, method, name);
    return {
        name,
        nameBytes,
        nameIsUtf8: (0,external_node_buffer_namespaceObject.isUtf8)(nameBytes),
        flags,
        method,
        crc32,
        compressedSize: z64.compressed ?? csize32,
        uncompressedSize: z64.size ?? usize32,
        headerOffset: z64.offset ?? offset32,
        creatorVersion,
        externalAttrs,
        dataOffset: -1,
    };
}
function checkSupported(flags, method, name) {
    if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS) ||
        method === METHOD_AES) {
        throw new errors_ZipError('ZIP_ENCRYPTED', 'entry is encrypted', name);
    }
    if (method !== METHOD_STORE && method !== zipformat_METHOD_DEFLATE) {
        throw new errors_ZipError('ZIP_UNSUPPORTED_METHOD', `compression method ${method} is not supported`, name);
    }
}
/**
 * checkDeclaredSizes refuses zip bombs before anything is inflated: the declared
 * uncompressed total is bounded, a stored entry's sizes must agree, and a deflated
 * entry may not claim more than deflate's maximum ratio. Inflating then enforces the
 * declared sizes exactly (zipentry.ts).
 */
function checkDeclaredSizes(entries, maxTotal) {
    let total = 0;
    for (const e of entries) {
        total += e.uncompressedSize;
        if (total > maxTotal) {
            throw new errors_ZipError('ZIP_TOO_LARGE', `uncompressed contents exceed ${maxTotal} bytes`, e.name);
        }
        if (e.method === METHOD_STORE && e.compressedSize !== e.uncompressedSize) {
            throw new errors_ZipError('ZIP_SIZE_MISMATCH', 'stored entry has different compressed and uncompressed sizes', e.name);
        }
        if (e.uncompressedSize > e.compressedSize * MAX_DEFLATE_RATIO + 64) {
            throw new errors_ZipError('ZIP_BOMB', `declared size ${e.uncompressedSize} is impossible for ${e.compressedSize} compressed bytes`, e.name);
        }
    }
}

;// CONCATENATED MODULE: ./src/hash/zipcheck.ts











const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const CREATOR_UNIX = 3;
/**
 * checkZip applies x/mod zip.checkZip's content rules (zip/zip.go:386; GO-FACTS §2.1)
 * to a structurally checked zip: every entry starts with `path@version/` (an entry
 * equal to the prefix is skipped), names are clean and pass CheckFilePath, no
 * case-folding collisions, duplicates or file/directory conflicts (directory entries
 * are checked, then ignored), a go.mod only at the root and spelled "go.mod", and the
 * size limits (total 500 MiB, go.mod and LICENSE 16 MiB). Stricter than Go: an entry
 * that Unix-mode bits mark as a symbolic link is invalid (Go would extract it as a
 * regular file; Go's own zips never hold one).
 */
function checkZip(modulePath, version, archive) {
    modzip_checkModuleVersion(modulePath, version);
    const cz = { valid: [], invalid: [], sizeError: undefined };
    const prefix = `${modulePath}@${version}/`;
    const collisions = new collisions_CollisionChecker();
    let total = 0;
    for (const e of archive.entries) {
        const problem = entryProblem(e, prefix, collisions);
        if (problem === 'skip')
            continue;
        if (problem !== undefined) {
            cz.invalid.push({ path: e.name, ...problem });
            continue;
        }
        if (e.uncompressedSize <= MAX_MODULE_SIZE - total)
            total += e.uncompressedSize;
        else
            cz.sizeError ??= `total uncompressed size of module contents too large (max size is ${MAX_MODULE_SIZE} bytes)`;
        const name = e.name.slice(prefix.length);
        if (name === 'go.mod' && e.uncompressedSize > create_MAX_GO_MOD) {
            cz.invalid.push({
                path: e.name,
                code: 'ZIP_FILE_TOO_LARGE',
                reason: `go.mod file too large (max size is ${create_MAX_GO_MOD} bytes)`,
            });
            continue;
        }
        if (name === 'LICENSE' && e.uncompressedSize > MAX_LICENSE) {
            cz.invalid.push({
                path: e.name,
                code: 'ZIP_FILE_TOO_LARGE',
                reason: `LICENSE file too large (max size is ${MAX_LICENSE} bytes)`,
            });
            continue;
        }
        cz.valid.push(e.name);
    }
    return cz;
}
function entryProblem(e, prefix, collisions) {
    if (!e.name.startsWith(prefix)) {
        return { code: 'ZIP_PREFIX', reason: `path does not have prefix ${JSON.stringify(prefix)}` };
    }
    if (!e.nameIsUtf8)
        return { code: 'ZIP_INVALID_NAME', reason: 'file path is not valid UTF-8' };
    let name = e.name.slice(prefix.length);
    if (name === '')
        return 'skip';
    const isDir = name.endsWith('/');
    if (isDir)
        name = name.slice(0, -1);
    if (!isCleanPath(name))
        return { code: 'ZIP_INVALID_NAME', reason: 'file path is not clean' };
    try {
        module_checkFilePath(name);
    }
    catch (err) {
        return { code: 'ZIP_INVALID_NAME', reason: errors_errorMessage(err) };
    }
    const collision = collisions.check(name, isDir);
    if (collision !== undefined)
        return collision;
    if (isDir)
        return 'skip';
    const base = basePath(name);
    if (fold_equalFold(base, 'go.mod')) {
        if (base !== name)
            return { code: 'ZIP_GOMOD_PLACEMENT', reason: 'go.mod file not in module root directory' };
        if (name !== 'go.mod')
            return { code: 'ZIP_GOMOD_PLACEMENT', reason: 'go.mod files must have lowercase names' };
    }
    if (e.creatorVersion >> 8 === CREATOR_UNIX && ((e.externalAttrs >>> 16) & S_IFMT) === S_IFLNK) {
        return { code: 'ZIP_SYMLINK', reason: 'entry is a symbolic link' };
    }
    return undefined;
}
/** checkedZipError is CheckedFiles.Err for a zip: the size error, else every invalid entry. */
function checkedZipError(cz) {
    if (cz.sizeError !== undefined)
        return new errors_ZipError('ZIP_TOO_LARGE', cz.sizeError);
    const first = cz.invalid[0];
    if (first === undefined)
        return undefined;
    const code = first.code === 'OMITTED' ? 'ZIP_INVALID_FILES' : first.code;
    const lines = cz.invalid.map((i) => `${i.path}: ${i.reason}`).join('\n');
    return new errors_ZipError(code, lines, first.path);
}
/**
 * hashModuleZip is what modguard runs on a module zip from any witness: read the zip
 * (structural and bomb checks), refuse it unless checkZip passes for path@version,
 * then hash it as dirhash.HashZip. The go command hashes before Unzip checks
 * (GO-FACTS §2.1); modguard refuses such zips outright (fail closed).
 */
async function zipcheck_hashModuleZip(modulePath, version, source, options = {}) {
    const archive = inMemory(source) ? readZipSync(source, options) : await readZip(source, options);
    const err = checkedZipError(checkZip(modulePath, version, archive));
    if (err !== undefined)
        throw err;
    return hashZip(archive);
}

;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/vcs/dirfiles.ts











/** READ_AHEAD is how many bytes openFileSource reads at once for a small read. */
const READ_AHEAD = 1 << 20;
/** SMALL_READ: reads shorter than this get their own copy of the bytes. */
const SMALL_READ = 4096;
/** WHOLE_FILE: files of at most this many bytes are read whole when opened. */
const WHOLE_FILE = 4 << 20;
/**
 * openFileSource opens a file as the RandomAccess seam of the zip reader. The size is
 * taken once at open; a short read (the file shrank) is an error, never zeros.
 *
 * Each trip through libuv's thread pool costs tens of microseconds (about 80 µs on
 * the 2-core machines CI runs on), far more than opening a file or reading a small one
 * does. So the file is opened and measured synchronously, and one of at most
 * WHOLE_FILE bytes is read whole right then (a module zip of a few source files takes
 * no trip at all). Larger files are read through the pool, and small reads are served
 * from a read-ahead window: the zip reader asks for a local header, a data descriptor
 * and an entry's data in turn, in file order.
 */
async function openFileSource(path) {
    const fd = (0,external_node_fs_namespaceObject.openSync)(path, 'r');
    let size;
    try {
        size = (0,external_node_fs_namespaceObject.fstatSync)(fd).size;
    }
    catch (err) {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
        throw err;
    }
    // readWhole closes fd, even when it throws (closing it twice could close a descriptor
    // another thread has opened since).
    if (size <= WHOLE_FILE)
        return new WholeFile(readWhole(fd, size));
    return windowedSource(fd, size);
}
/** WholeFile is a small file read whole at open: there is nothing left to close. */
class WholeFile extends BufferSource {
    async close() { }
}
/** readWhole reads a small file's size bytes synchronously, and closes it. */
function readWhole(fd, size) {
    try {
        const buf = Buffer.allocUnsafe(size);
        for (let done = 0; done < size;) {
            const n = (0,external_node_fs_namespaceObject.readSync)(fd, buf, done, size - done, done);
            if (n === 0)
                throw new errors_ZipError('ZIP_TRUNCATED', `file ended at ${done}`);
            done += n;
        }
        return buf;
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
}
/** windowedSource reads a large open file through the thread pool, with a read-ahead window. */
function windowedSource(fd, size) {
    const fill = async (offset, buf) => {
        for (let done = 0; done < buf.length;) {
            const bytesRead = await readAt(fd, buf, done, buf.length - done, offset + done);
            if (bytesRead === 0)
                throw new errors_ZipError('ZIP_TRUNCATED', `file ended at ${offset + done}`);
            done += bytesRead;
        }
    };
    const readExactly = async (offset, length) => {
        const buf = Buffer.allocUnsafe(length);
        await fill(offset, buf);
        return buf;
    };
    let window = { offset: 0, bytes: Buffer.alloc(0) };
    let closed;
    return {
        size,
        read: async (offset, length) => {
            if (length >= READ_AHEAD)
                return readExactly(offset, length);
            const start = offset - window.offset;
            if (start < 0 || start + length > window.bytes.length) {
                const ahead = Math.max(length, Math.min(READ_AHEAD, size - offset));
                window = { offset, bytes: await readExactly(offset, ahead) };
            }
            // A header-sized read is copied: a caller keeping a name must not keep the window
            // alive. A larger one (an entry's data, used and dropped) is a view.
            const at = offset - window.offset;
            const view = window.bytes.subarray(at, at + length);
            return length < SMALL_READ ? Uint8Array.prototype.slice.call(view) : view;
        },
        readInto: async (offset, into) => {
            const at = offset - window.offset;
            if (at >= 0 && at + into.length <= window.bytes.length) {
                into.set(window.bytes.subarray(at, at + into.length));
            }
            else {
                await fill(offset, into);
            }
        },
        close: () => (closed ??= closeFd(fd)),
    };
}
const readAt = (0,external_node_util_namespaceObject.promisify)((fd, buf, at, length, position, done) => (0,external_node_fs_namespaceObject.read)(fd, buf, at, length, position, done));
const closeFd = (0,external_node_util_namespaceObject.promisify)(external_node_fs_namespaceObject.close);
const VCS_DIRS = new Set(['.bzr', '.git', '.hg', '.svn']);
/**
 * listModuleDir walks dir as x/mod zip.listFilesInDir does (zip/zip.go:862) for
 * CreateFromDir: names in byte order, symlinks never followed; vendored paths omitted
 * (directories too, though their walk continues), .bzr/.git/.hg/.svn and directories
 * holding a non-directory go.mod skipped whole, irregular files (symlinks included)
 * omitted. The vendor rule comes from dir/go.mod unless given.
 */
async function listModuleDir(dir, rule = 'auto') {
    const vendorRule = rule === 'auto' ? await dirVendorRule(dir) : rule;
    const listing = { files: [], omitted: [], vendorRule };
    await walk(Buffer.from(dir), '', listing);
    return listing;
}
async function dirVendorRule(dir) {
    try {
        return vendorRuleFor(parseGoModLax(await readFile(join(dir, 'go.mod'), 'utf8')).go);
    }
    catch {
        return 'old';
    }
}
/**
 * walk lists dir, whose slash path in the module is rel. Names are read and sorted as
 * bytes, as Go's filepath.Walk does: a name that is not UTF-8 must still open its file
 * (a lossy string names no file) and stay apart from other such names.
 */
async function walk(dir, rel, listing) {
    const names = (await readdir(dir, { encoding: 'buffer' })).sort(Buffer.compare);
    for (const nameBytes of names) {
        const name = spellBytes(nameBytes);
        const slashPath = rel === '' ? name : `${rel}/${name}`;
        const full = Buffer.concat([dir, dirfiles_SLASH, nameBytes]);
        const info = await lstat(full);
        if (isVendoredPackage(slashPath, listing.vendorRule)) {
            listing.omitted.push({
                path: slashPath,
                code: 'OMITTED',
                reason: 'file is in vendor directory',
            });
            continue;
        }
        if (info.isDirectory()) {
            const skip = await skipDirReason(full, name);
            if (skip !== undefined)
                listing.omitted.push({ path: slashPath, code: 'OMITTED', reason: skip });
            else
                await walk(full, slashPath, listing);
            continue;
        }
        if (!info.isFile()) {
            listing.omitted.push({ path: slashPath, code: 'OMITTED', reason: 'not a regular file' });
            continue;
        }
        listing.files.push({
            path: slashPath,
            kind: 'file',
            size: info.size,
            open: () => createReadStream(full),
        });
    }
}
const dirfiles_SLASH = Buffer.from('/');
async function skipDirReason(full, name) {
    if (VCS_DIRS.has(name))
        return 'directory is a version control repository';
    try {
        const gomod = await lstat(Buffer.concat([full, GO_MOD]));
        if (!gomod.isDirectory())
            return 'directory is in another module';
    }
    catch {
        // no go.mod: a package directory of this module
    }
    return undefined;
}
const GO_MOD = Buffer.from('/go.mod');
/**
 * checkModuleDir is x/mod zip.CheckDir: the walk's omissions plus checkFiles.
 */
async function checkModuleDir(dir, rule = 'auto') {
    const listing = await listModuleDir(dir, rule);
    const cf = checkFiles(listing.files, listing.vendorRule);
    cf.omitted.push(...listing.omitted);
    return cf;
}
/**
 * createModuleZipFromDir is x/mod zip.CreateFromDir: listModuleDir, then
 * createModuleZip with the same vendor rule.
 */
async function createModuleZipFromDir(modulePath, version, dir, options = {}) {
    checkModuleVersion(modulePath, version);
    const listing = await listModuleDir(dir, options.vendorRule ?? 'auto');
    return createModuleZip(modulePath, version, listing.files, { vendorRule: listing.vendorRule });
}

;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: ./src/proxy/zippool.ts






/**
 * ownedCopy joins chunks into one buffer with an ArrayBuffer of its own, which can be
 * moved to a pool thread (chunks may be views of buffers shared with other data).
 */
function zippool_ownedCopy(chunks) {
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
        out.set(c, at);
        at += c.length;
    }
    return out;
}
/** PoolUnavailable: no pool thread could take or finish the job; do it on this thread. */
class zippool_PoolUnavailable extends Error {
    constructor() {
        super('no zip pool thread is available');
    }
}
/** WORKER_BASENAME: the pool thread's entry is beside this module (zipworker.ts, or dist/zipworker.js). */
const WORKER_BASENAME = 'zipworker';
/**
 * ZipPool runs hash jobs on up to `size` worker threads, started on first use. Threads
 * hold the process open only while a job is pending. A thread that fails to start makes
 * the pool unavailable (jobs run on the caller's thread from then on); one that dies
 * later fails only its pending jobs over to the caller's thread, and is replaced.
 */
class ZipPool {
    size;
    entry;
    slots = [];
    next = 0;
    unavailable = false;
    constructor(size, entry = workerEntry) {
        this.size = size;
        this.entry = entry;
    }
    /**
     * hash is hashModuleZip (x/mod checkZip rules for module@version, then
     * dirhash.HashZip) run on a pool thread, so inflating, CRC-32 and SHA-256 of a
     * check's zips use another core while this thread downloads. The answer and any
     * refusal (a ZipError with its code and entry) are the same as on this thread. It
     * rejects with PoolUnavailable when no thread could take or finish the job: the caller
     * hashes the zip itself then (`bytes` are detached by then: hash what they were
     * copied from).
     */
    hash(module, version, input) {
        const slot = this.unavailable ? undefined : this.pick();
        if (slot === undefined)
            return Promise.reject(new zippool_PoolUnavailable());
        const id = this.next++;
        const job = { id, module, version, ...input };
        return new Promise((resolve, reject) => {
            slot.pending.set(id, { resolve, reject });
            if (slot.pending.size === 1)
                slot.worker.ref();
            try {
                slot.worker.postMessage(job, job.bytes === undefined ? [] : [job.bytes.buffer]);
            }
            catch {
                // The job could not be sent (its bytes could not be moved): only it goes back.
                slot.pending.delete(id);
                if (slot.pending.size === 0)
                    slot.worker.unref();
                reject(new zippool_PoolUnavailable());
            }
        });
    }
    /** pick is the least busy thread, starting one while fewer than `size` run. */
    pick() {
        let best;
        for (const s of this.slots) {
            if (best === undefined || s.pending.size < best.pending.size)
                best = s;
        }
        if (best !== undefined && (best.pending.size === 0 || this.slots.length >= this.size)) {
            return best;
        }
        return this.start() ?? best;
    }
    start() {
        let worker;
        try {
            const entry = this.entry();
            worker = new external_node_worker_threads_namespaceObject.Worker(entry.file, { eval: entry.eval === true });
        }
        catch {
            this.unavailable = true;
            return undefined;
        }
        const slot = { worker, pending: new Map(), online: false };
        worker.unref();
        worker.on('online', () => {
            slot.online = true;
        });
        worker.on('message', (r) => {
            const p = slot.pending.get(r.id);
            slot.pending.delete(r.id);
            if (slot.pending.size === 0)
                worker.unref();
            if ('h1' in r)
                p?.resolve(r.h1);
            else
                p?.reject(reviveError(r.error));
        });
        worker.on('error', () => this.lose(slot));
        worker.on('exit', () => this.lose(slot));
        this.slots.push(slot);
        return slot;
    }
    /** lose drops a thread that failed; its pending jobs go back to their callers' threads. */
    lose(slot) {
        const i = this.slots.indexOf(slot);
        if (i < 0)
            return;
        this.slots.splice(i, 1);
        if (!slot.online)
            this.unavailable = true;
        for (const p of slot.pending.values())
            p.reject(new zippool_PoolUnavailable());
        slot.pending.clear();
        void slot.worker.terminate();
    }
}
/**
 * workerEntry locates the pool thread's entry next to this module: the bundle's
 * dist/zipworker.js; or, run from source (node --import tsx, vitest), zipworker.ts,
 * loaded through tsx's API (a worker does not take tsx's hooks from `--import`).
 */
function workerEntry() {
    const here = (0,external_node_url_namespaceObject.fileURLToPath)(import.meta.url);
    const ext = (0,external_node_path_namespaceObject.extname)(here);
    const file = (0,external_node_path_namespaceObject.join)((0,external_node_path_namespaceObject.dirname)(here), WORKER_BASENAME + ext);
    if (ext !== '.ts')
        return { file };
    const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
    const load = `tsImport(${JSON.stringify((0,external_node_url_namespaceObject.pathToFileURL)(file).href)}, ${JSON.stringify(import.meta.url)})`;
    return { file: `import(${api}).then(({ tsImport }) => ${load});`, eval: true };
}
/** reviveError turns a thread's error back into the error hashModuleZip threw there. */
function reviveError(e) {
    if (e.code !== undefined && e.kind !== undefined) {
        if (e.code.startsWith('ZIP_') || e.code.startsWith('HASH_')) {
            return new errors_ZipError(e.code, e.message, e.entry);
        }
        return new ModguardError(e.code, e.kind, e.message);
    }
    const err = new Error(e.message);
    if (e.errno !== undefined)
        Object.assign(err, { code: e.errno });
    return err;
}
/** POOL_SIZE: every core but the one downloading, at most four. */
const POOL_SIZE = Math.max(1, Math.min(4, (0,external_node_os_namespaceObject.availableParallelism)() - 1));
/** zipPool is the process's pool. */
const zippool_zipPool = new ZipPool(POOL_SIZE);

;// CONCATENATED MODULE: ./src/proxy/zipbody.ts





/**
 * hashZipBody is what modguard runs on a zip a proxy served: x/mod's zip rules for
 * module@version, then dirhash.HashZip (hashModuleZip), on a pool thread (zippool.ts)
 * when one is available, else here; from memory (chunks are copied once, to move to
 * the thread) or from its file.
 */
async function hashZipBody(module, version, body, pool = zipPool) {
    try {
        return await pool.hash(module, version, 'chunks' in body ? { bytes: ownedCopy(body.chunks) } : body);
    }
    catch (err) {
        if (!(err instanceof PoolUnavailable))
            throw err;
    }
    if ('chunks' in body)
        return hashModuleZip(module, version, chunksSource(body.chunks));
    return hashZipFile(module, version, body.path);
}
/** hashZipFile is hashModuleZip of a zip in a file, read through openFileSource. */
async function hashZipFile(module, version, path) {
    const file = await openFileSource(path);
    try {
        return await zipcheck_hashModuleZip(module, version, file);
    }
    finally {
        await file.close();
    }
}
/** COMPARE_READ: a zip in a file is compared this many bytes at a time. */
const COMPARE_READ = (/* unused pure expression or super */ null && (1 << 20));
/** sameBytes reports whether two zips hold the same bytes, wherever each of them is. */
async function zipbody_sameBytes(a, b) {
    if ('chunks' in a && 'chunks' in b
        ? a.chunks === b.chunks
        : 'path' in a && 'path' in b && a.path === b.path) {
        return true; // one download's bytes, held by two (a followed download: FollowSink)
    }
    const ia = pieces(a);
    const ib = pieces(b);
    try {
        let pa = await next(ia);
        let pb = await next(ib);
        while (pa !== undefined && pb !== undefined) {
            const n = Math.min(pa.length, pb.length);
            if (Buffer.compare(pa.subarray(0, n), pb.subarray(0, n)) !== 0)
                return false;
            pa = n < pa.length ? pa.subarray(n) : await next(ia);
            pb = n < pb.length ? pb.subarray(n) : await next(ib);
        }
        return pa === undefined && pb === undefined;
    }
    finally {
        await ia.return(undefined);
        await ib.return(undefined);
    }
}
/** next is the next non-empty piece, or undefined at the end. */
async function next(it) {
    for (;;) {
        const r = await it.next();
        if (r.done === true)
            return undefined;
        if (r.value.length > 0)
            return r.value;
    }
}
/**
 * pieces yields a body's bytes in order. A file is read into one buffer, reused: a piece
 * is valid until the next one is asked for, which is how sameBytes uses them.
 */
async function* pieces(body) {
    if ('chunks' in body) {
        yield* body.chunks;
        return;
    }
    const fh = await open(body.path, 'r');
    try {
        const buf = Buffer.allocUnsafe(COMPARE_READ);
        for (;;) {
            const { bytesRead } = await fh.read(buf, 0, buf.length, null);
            if (bytesRead === 0)
                return;
            yield buf.subarray(0, bytesRead);
        }
    }
    finally {
        await fh.close();
    }
}

;// CONCATENATED MODULE: ./src/proxy/zipworker.ts
/**
 * zipworker is the entry of a zip pool thread (zippool.ts). It answers each job, a module
 * zip moved here in memory (moved back with the answer) or a file to open, with the
 * zip's go.sum `h1:` (x/mod checkZip rules, then dirhash.HashZip: hashModuleZip) or with
 * the error that refused it, as plain data the pool turns back into the same error.
 *
 * Built as dist/zipworker.js beside dist/cli.js and dist/index.js (scripts/build.mjs).
 */





external_node_worker_threads_namespaceObject.parentPort?.on('message', (job) => {
    void answer(job).then((result) => {
        const bytes = job.bytes;
        if (bytes === undefined)
            external_node_worker_threads_namespaceObject.parentPort?.postMessage(result);
        else
            external_node_worker_threads_namespaceObject.parentPort?.postMessage({ ...result, bytes }, [bytes.buffer]);
    });
});
async function answer(job) {
    try {
        return { id: job.id, h1: await hashJob(job) };
    }
    catch (err) {
        return { id: job.id, error: jobError(err) };
    }
}
function hashJob(job) {
    const bytes = job.bytes;
    if (bytes !== undefined) {
        // A Buffer view of the moved bytes (they arrive as a plain Uint8Array): the zip
        // reader then sees one kind of array, as from files, and stays optimized.
        const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        return zipcheck_hashModuleZip(job.module, job.version, bufferSource(view));
    }
    return hashZipFile(job.module, job.version, job.path ?? '');
}
function jobError(err) {
    if (err instanceof ModguardError) {
        const entry = err.entry;
        return {
            code: err.code,
            kind: err.kind,
            message: err.message,
            ...(typeof entry === 'string' ? { entry } : {}),
        };
    }
    const e = err instanceof Error ? err : new Error(`non-Error thrown: ${String(err)}`);
    const code = e.code;
    return { message: e.message, ...(typeof code === 'string' ? { errno: code } : {}) };
}

