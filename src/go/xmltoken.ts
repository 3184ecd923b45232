/**
 * The raw tokens of Go's encoding/xml Decoder in the mode go-get discovery uses it
 * (G/vcs/discovery.go parseMetaGoImports: `Strict = false`, no AutoClose, no Entity map,
 * RawToken, CharsetReader accepting only utf-8 and ascii). Behaviour taken from
 * encoding/xml/xml.go (Go 1.19) rawToken, text, attrval, name, nsname; the code is ours.
 * The input is attacker-controlled: every error is an XmlError, never an uncaught one.
 */

/** XmlErrorCode: SYNTAX and DECLARATION are Go's errors; UNDECIDED is where we cannot tell. */
export type XmlErrorCode = 'SYNTAX' | 'DECLARATION' | 'UNDECIDED';

/** XmlError is an error the Go decoder would return (its message, as Go words it), or UNDECIDED. */
export class XmlError extends Error {
  constructor(
    readonly code: XmlErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'XmlError';
  }
}

/** XmlToken is what parseMetaGoImports looks at: start and end elements by local name. */
export type XmlToken =
  | { readonly kind: 'start'; readonly local: string; readonly attrs: readonly XmlAttr[] }
  | { readonly kind: 'end'; readonly local: string }
  | { readonly kind: 'other' };

export interface XmlAttr {
  readonly local: string;
  readonly value: string;
}

const EOF = -1;
const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  apos: "'",
  quot: '"',
};
const MAX_ECHO = 64;

/** isNameByte is encoding/xml isNameByte: the ASCII bytes a name may hold. */
function isNameByte(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x30 && b <= 0x39) ||
    b === 0x5f ||
    b === 0x3a ||
    b === 0x2e ||
    b === 0x2d
  );
}

/** isUnquotedValueByte: the bytes of an unquoted attribute value (xml.go attrval, HTML 4 §3.2.2). */
function isUnquotedValueByte(b: number): boolean {
  return isNameByte(b) && b !== 0x2e;
}

function inCharacterRange(r: number): boolean {
  return (
    r === 0x09 ||
    r === 0x0a ||
    r === 0x0d ||
    (r >= 0x20 && r <= 0xd7ff) ||
    (r >= 0xe000 && r <= 0xfffd) ||
    (r >= 0x10000 && r <= 0x10ffff)
  );
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** echo bounds attacker text quoted in an error message. */
export function echo(s: string): string {
  return JSON.stringify(s.length > MAX_ECHO ? `${s.slice(0, MAX_ECHO)}…` : s);
}

/**
 * XmlTokenizer yields encoding/xml's raw tokens of `page` one by one; next() returns
 * undefined at the end and throws the XmlError Go's decoder would return, after which the
 * tokenizer must not be used again.
 */
export class XmlTokenizer {
  private pos = 0;
  private line = 1;
  private pendingEnd: string | undefined;

  constructor(private readonly page: Uint8Array) {}

  next(): XmlToken | undefined {
    if (this.pendingEnd !== undefined) {
      const local = this.pendingEnd;
      this.pendingEnd = undefined;
      return { kind: 'end', local };
    }
    const b = this.getc();
    if (b === EOF) return undefined;
    if (b !== LT) {
      this.ungetc();
      this.text(-1, false);
      return { kind: 'other' };
    }
    switch (this.mustgetc()) {
      case 0x2f: // </
        return this.endElement();
      case 0x3f: // <?
        this.procInst();
        return { kind: 'other' };
      case 0x21: // <!
        this.bang();
        return { kind: 'other' };
      default:
        this.ungetc();
        return this.startElement();
    }
  }

  private syntax(msg: string): XmlError {
    return new XmlError('SYNTAX', `XML syntax error on line ${this.line}: ${msg}`);
  }

  private getc(): number {
    if (this.pos >= this.page.length) return EOF;
    const b = this.page[this.pos++] ?? EOF;
    if (b === 0x0a) this.line++;
    return b;
  }

  private mustgetc(): number {
    const b = this.getc();
    if (b === EOF) throw this.syntax('unexpected EOF');
    return b;
  }

  /** ungetc steps back over the byte just read (never past EOF, which consumed none). */
  private ungetc(): void {
    this.pos--;
    if (this.page[this.pos] === 0x0a) this.line--;
  }

  private space(): void {
    for (;;) {
      const b = this.getc();
      if (b === EOF) return;
      if (b !== 0x20 && b !== 0x0d && b !== 0x0a && b !== 0x09) {
        this.ungetc();
        return;
      }
    }
  }

  /** readName appends a name's bytes to out: name bytes and any byte ≥ 0x80; false if none. */
  private readName(out: number[]): boolean {
    const first = this.mustgetc();
    if (first < 0x80 && !isNameByte(first)) {
      this.ungetc();
      return false;
    }
    out.push(first);
    for (;;) {
      const b = this.mustgetc();
      if (b < 0x80 && !isNameByte(b)) {
        this.ungetc();
        return true;
      }
      out.push(b);
    }
  }

  /**
   * name reads an XML name, or returns undefined when none starts here. Go checks a name
   * against the XML 1.0 Appendix B tables; we decide ASCII names exactly and refuse to
   * guess about others (UNDECIDED) rather than carry those tables.
   */
  private name(): string | undefined {
    const bytes: number[] = [];
    if (!this.readName(bytes)) return undefined;
    const raw = Buffer.from(bytes);
    const first = bytes[0] ?? 0;
    const validFirst =
      (first >= 0x41 && first <= 0x5a) ||
      (first >= 0x61 && first <= 0x7a) ||
      first === 0x5f ||
      first === 0x3a;
    let text: string | undefined;
    try {
      text = utf8.decode(raw);
    } catch {
      text = undefined;
    }
    if (text === undefined || (first < 0x80 && !validFirst)) {
      throw this.syntax(`invalid XML name: ${raw.toString('latin1').slice(0, MAX_ECHO)}`);
    }
    if (bytes.some((b) => b >= 0x80)) {
      throw new XmlError(
        'UNDECIDED',
        `XML name ${echo(text)} on line ${this.line} is not ASCII; modguard does not decide Go's XML name tables`,
      );
    }
    return text;
  }

  /** nsname is the local part of a `space:local` name, as encoding/xml nsname splits it. */
  private nsname(): string | undefined {
    const s = this.name();
    if (s === undefined) return undefined;
    const parts = s.split(':');
    if (parts.length !== 2) return s;
    const [space, local] = parts;
    return space === '' || local === '' || local === undefined ? s : local;
  }

  private endElement(): XmlToken {
    const local = this.nsname();
    if (local === undefined) throw this.syntax('expected element name after </');
    this.space();
    if (this.mustgetc() !== GT) {
      throw this.syntax(`invalid characters between </${local} and >`);
    }
    return { kind: 'end', local };
  }

  private startElement(): XmlToken {
    const local = this.nsname();
    if (local === undefined) throw this.syntax('expected element name after <');
    const attrs: XmlAttr[] = [];
    for (;;) {
      this.space();
      const b = this.mustgetc();
      if (b === 0x2f) {
        if (this.mustgetc() !== GT) throw this.syntax('expected /> in element');
        this.pendingEnd = local;
        break;
      }
      if (b === GT) break;
      this.ungetc();
      const name = this.nsname();
      if (name === undefined) throw this.syntax('expected attribute name in element');
      this.space();
      if (this.mustgetc() !== 0x3d) {
        // non-strict: an attribute without `=` has its name as its value
        this.ungetc();
        attrs.push({ local: name, value: name });
        continue;
      }
      this.space();
      attrs.push({ local: name, value: this.attrValue() });
    }
    return { kind: 'start', local, attrs };
  }

  private attrValue(): string {
    const b = this.mustgetc();
    if (b === 0x22 || b === 0x27) return this.text(b, false);
    this.ungetc();
    const out: number[] = [];
    for (;;) {
      const c = this.mustgetc();
      if (!isUnquotedValueByte(c)) {
        this.ungetc();
        return Buffer.from(out).toString('latin1');
      }
      out.push(c);
    }
  }

  /** procInst reads `<?target data?>`; an `<?xml?>` declaration may refuse the document. */
  private procInst(): void {
    const target = this.name();
    if (target === undefined) throw this.syntax('expected target name after <?');
    this.space();
    const data: number[] = [];
    let b0 = 0;
    for (;;) {
      const b = this.mustgetc();
      data.push(b);
      if (b0 === 0x3f && b === GT) break;
      b0 = b;
    }
    if (target !== 'xml') return;
    const content = Buffer.from(data.slice(0, -2)).toString('latin1');
    const version = procInstParam('version', content);
    if (version !== '' && version !== '1.0') {
      throw new XmlError(
        'DECLARATION',
        `xml: unsupported version ${echo(version)}; only version 1.0 is supported`,
      );
    }
    const enc = procInstParam('encoding', content);
    if (enc === '' || enc.toLowerCase() === 'utf-8') return;
    // cmd/go's CharsetReader passes utf-8 and ascii (strings.ToLower; U+0130 lowers to i)
    const lower = Buffer.from(enc, 'latin1')
      .toString('utf8')
      .replace(/\u0130/g, 'i')
      .toLowerCase();
    if (lower === 'ascii' || lower === 'utf-8') return;
    throw new XmlError(
      'DECLARATION',
      `xml: opening charset ${echo(enc)}: can't decode XML document using charset ${echo(enc)}`,
    );
  }

  /** bang reads what follows `<!`: a comment, a CDATA section or a directive. */
  private bang(): void {
    const b = this.mustgetc();
    if (b === 0x2d) {
      if (this.mustgetc() !== 0x2d) throw this.syntax('invalid sequence <!- not part of <!--');
      this.comment();
      return;
    }
    if (b === 0x5b) {
      for (const c of Buffer.from('CDATA[')) {
        if (this.mustgetc() !== c) throw this.syntax('invalid <![ sequence');
      }
      this.text(-1, true);
      return;
    }
    this.directive();
  }

  private comment(): void {
    let b0 = 0;
    let b1 = 0;
    for (;;) {
      const b = this.mustgetc();
      if (b0 === 0x2d && b1 === 0x2d) {
        if (b !== GT) throw this.syntax('invalid sequence "--" not allowed in comments');
        return;
      }
      b0 = b1;
      b1 = b;
    }
  }

  /** directive skips `<!DOCTYPE …>` and the like: quotes and nested `<…>` and comments count. */
  private directive(): void {
    let quote = 0;
    let depth = 0;
    for (;;) {
      let b = this.mustgetc();
      if (quote === 0 && b === GT && depth === 0) return;
      for (;;) {
        if (b === quote) quote = 0;
        else if (quote !== 0) break;
        else if (b === 0x27 || b === 0x22) quote = b;
        else if (b === GT) depth--;
        else if (b === LT) {
          const mismatch = this.directiveComment();
          if (mismatch === undefined) break;
          depth++;
          b = mismatch;
          continue;
        }
        break;
      }
    }
  }

  /** directiveComment skips `!--…-->` after a `<`, or returns the first byte that differs. */
  private directiveComment(): number | undefined {
    for (const c of [0x21, 0x2d, 0x2d]) {
      const b = this.mustgetc();
      if (b !== c) return b;
    }
    let b0 = 0;
    let b1 = 0;
    for (;;) {
      const b = this.mustgetc();
      if (b0 === 0x2d && b1 === 0x2d && b === GT) return undefined;
      b0 = b1;
      b1 = b;
    }
  }

  /**
   * text reads character data up to `<` (quote -1), an attribute value up to its quote, or
   * a CDATA section up to `]]>`, decoding the five XML entities and numeric references
   * (others stay as written: non-strict), turning \r and \r\n into \n, and refusing
   * invalid UTF-8 and characters outside XML's range, as xml.go text does.
   */
  private text(quote: number, cdata: boolean): string {
    const out: number[] = [];
    let b0 = 0;
    let b1 = 0;
    let trunc = 0;
    for (;;) {
      const b = this.getc();
      if (b === EOF) {
        if (cdata) throw this.syntax('unexpected EOF in CDATA section');
        break;
      }
      if (b0 === 0x5d && b1 === 0x5d && b === GT) {
        if (!cdata) throw this.syntax('unescaped ]]> not in CDATA section');
        trunc = 2;
        break;
      }
      if (b === LT && !cdata) {
        if (quote >= 0) throw this.syntax('unescaped < inside quoted string');
        this.ungetc();
        break;
      }
      if (quote >= 0 && b === quote) break;
      if (b === AMP && !cdata) {
        this.entity(out);
        b0 = 0;
        b1 = 0;
        continue;
      }
      if (b === 0x0d) out.push(0x0a);
      else if (!(b1 === 0x0d && b === 0x0a)) out.push(b);
      b0 = b1;
      b1 = b;
    }
    return this.checkText(Buffer.from(out.slice(0, out.length - trunc)));
  }

  /** entity handles what follows `&`: a known reference is replaced, anything else kept. */
  private entity(out: number[]): void {
    const before = out.length;
    out.push(AMP);
    let replacement: string | undefined;
    let b = this.mustgetc();
    if (b === 0x23) {
      out.push(b);
      b = this.mustgetc();
      let hex = false;
      if (b === 0x78) {
        hex = true;
        out.push(b);
        b = this.mustgetc();
      }
      const start = out.length;
      while (isDigit(b, hex)) {
        out.push(b);
        b = this.mustgetc();
      }
      if (b !== 0x3b) this.ungetc();
      else {
        const digits = Buffer.from(out.slice(start)).toString('latin1');
        out.push(b);
        replacement = codePoint(digits, hex);
      }
    } else {
      this.ungetc();
      this.readName(out);
      if (this.mustgetc() !== 0x3b) this.ungetc();
      else {
        const name = Buffer.from(out.slice(before + 1)).toString('latin1');
        out.push(0x3b);
        replacement = Object.hasOwn(ENTITIES, name) ? ENTITIES[name] : undefined;
      }
    }
    if (replacement !== undefined) {
      out.length = before;
      out.push(...Buffer.from(replacement, 'utf8'));
    }
  }

  private checkText(data: Buffer): string {
    let s: string;
    try {
      s = utf8.decode(data);
    } catch {
      throw this.syntax('invalid UTF-8');
    }
    for (const ch of s) {
      const r = ch.codePointAt(0) ?? 0;
      if (!inCharacterRange(r)) {
        const hex = r.toString(16).toUpperCase().padStart(4, '0');
        throw this.syntax(`illegal character code U+${hex}`);
      }
    }
    return s;
  }
}

function isDigit(b: number, hex: boolean): boolean {
  if (b >= 0x30 && b <= 0x39) return true;
  return hex && ((b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46));
}

/**
 * codePoint is a numeric reference's text: strconv.ParseUint(digits, base, 64) within
 * unicode.MaxRune, as string(rune(n)), so a surrogate becomes U+FFFD; else undefined.
 */
function codePoint(digits: string, hex: boolean): string | undefined {
  const significant = digits.replace(/^0+/, '');
  // more than 8 digits is past U+10FFFF (or past ParseUint's range) either way
  if (digits === '' || significant.length > 8) return undefined;
  const n = BigInt(hex ? `0x${digits}` : digits);
  if (n > 0x10ffffn) return undefined;
  const r = Number(n);
  return r >= 0xd800 && r <= 0xdfff ? '\ufffd' : String.fromCodePoint(r);
}

/** procInstParam is encoding/xml procInst: the quoted value after the first `param=`. */
function procInstParam(param: string, s: string): string {
  const at = s.indexOf(`${param}=`);
  if (at < 0) return '';
  const v = s.slice(at + param.length + 1);
  const q = v[0];
  if (q !== "'" && q !== '"') return '';
  const end = v.indexOf(q, 1);
  return end < 0 ? '' : v.slice(1, end);
}
