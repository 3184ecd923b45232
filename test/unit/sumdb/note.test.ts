import { describe, expect, it } from 'vitest';
import {
  Verifiers,
  generateKey,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  UnverifiedNoteError,
} from '../../../src/sumdb/note.js';
import { SumdbError } from '../../../src/sumdb/errors.js';

// Vectors from Debian's golang.org/x/mod v0.7.0, sumdb/note/note_test.go
// (TestNewVerifier, TestNewSigner, TestSign, TestVerifierList, TestOpen).
const peterKey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const peterSigner =
  'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const enochKey = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const text =
  'If you think cryptography is the answer to your problem,\n' +
  "then you don't know what your problem is.\n";
const peterSig =
  '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const enochSig =
  '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    if (err instanceof SumdbError) return err.code;
    throw err;
  }
  return undefined;
}

describe('verifier keys', () => {
  it('accepts the x/mod test key and reads name and hash', () => {
    const v = parseVerifierKey(peterKey);
    expect(v.name).toBe('PeterNeumann');
    expect(v.keyHash).toBe(0xc74f20a3);
  });

  it('when any substring or single byte is mangled, refuses it (TestNewVerifier)', () => {
    const b = Buffer.from(peterKey);
    const bad: string[] = [];
    for (let i = 0; i <= b.length; i++) {
      for (let j = i + 1; j <= b.length; j++)
        if (i !== 0 || j !== b.length) bad.push(peterKey.slice(i, j));
    }
    for (let i = 0; i < b.length; i++) {
      const c = Buffer.from(b);
      c[i] = (c[i] ?? 0) + 1;
      bad.push(c.toString('latin1'));
    }
    for (const k of bad)
      expect(
        codeOf(() => parseVerifierKey(k)),
        k,
      ).toBeDefined();
  });

  it('refuses a wrong-length key and an unknown algorithm even with adjusted hashes', () => {
    expect(
      codeOf(() =>
        parseVerifierKey(
          'PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==',
        ),
      ),
    ).toBe('KEY_MALFORMED');
    expect(
      codeOf(() =>
        parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
      ),
    ).toBe('KEY_ALGORITHM');
  });

  it('reads the key hash as strconv.ParseUint does: upper-case hex too', () => {
    expect(parseVerifierKey(peterKey.replace('c74f20a3', 'C74F20A3')).keyHash).toBe(0xc74f20a3);
  });

  it('when the hash does not match the name, says so', () => {
    expect(codeOf(() => parseVerifierKey(peterKey.replace('c74f20a3', 'c74f20a4')))).toBe(
      'KEY_HASH_MISMATCH',
    );
  });
});

describe('signer keys', () => {
  it('accepts the x/mod test signer and refuses manglings (TestNewSigner)', () => {
    expect(parseSignerKey(peterSigner).keyHash).toBe(0xc74f20a3);
    for (let i = 0; i < peterSigner.length; i++) {
      const c = Buffer.from(peterSigner);
      c[i] = (c[i] ?? 0) + 1;
      expect(codeOf(() => parseSignerKey(c.toString('latin1')))).toBeDefined();
    }
    expect(codeOf(() => parseSignerKey(peterSigner.slice(0, -4)))).toBeDefined();
  });

  it('signs exactly as x/mod does (TestSign)', () => {
    expect(signNote(text, [parseSignerKey(peterSigner)])).toBe(`${text}\n${peterSig}`);
  });

  it('when the text does not end in newline, refuses to sign', () => {
    expect(codeOf(() => signNote('abc', [parseSignerKey(peterSigner)]))).toBe('NOTE_MALFORMED');
  });

  it('generates keys that round-trip', () => {
    const { signerKey, verifierKey } = generateKey('example.com/log');
    const note = signNote('hello\n', [parseSignerKey(signerKey)]);
    expect(openNote(note, new Verifiers([parseVerifierKey(verifierKey)])).text).toBe('hello\n');
  });
});

describe('openNote (TestOpen)', () => {
  const peter = parseVerifierKey(peterKey);
  const enoch = parseVerifierKey(enochKey);

  it('when one of two signers is trusted, verifies it and keeps the other aside', () => {
    const n = openNote(`${text}\n${peterSig}${enochSig}`, new Verifiers([peter]));
    expect(n.text).toBe(text);
    expect(n.sigs.map((s) => s.name)).toEqual(['PeterNeumann']);
    expect(n.unverifiedSigs.map((s) => [s.name, s.keyHash])).toEqual([['EnochRoot', 0xaf0cfe78]]);
  });

  it("ignores the unused bits of a signature's last base64 character, as Go does", () => {
    // "M" (001100) and "N" (001101) decode to the same bytes: a relay may re-encode the line.
    const reencoded = peterSig.replace('nAM=', 'nAN=');
    expect(reencoded).not.toBe(peterSig);
    expect(openNote(`${text}\n${reencoded}`, new Verifiers([peter])).text).toBe(text);
    const badPadding = peterSig.replace('nAM=', 'nA=M');
    expect(codeOf(() => openNote(`${text}\n${badPadding}`, new Verifiers([peter])))).toBe(
      'NOTE_MALFORMED',
    );
  });

  it('when both are trusted, verifies both', () => {
    const n = openNote(`${text}\n${peterSig}${enochSig}`, new Verifiers([peter, enoch]));
    expect(n.sigs.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
  });

  it('when no trusted key signed, throws UnverifiedNoteError carrying the note', () => {
    let caught: unknown;
    try {
      openNote(`${text}\n${peterSig}${enochSig}`, new Verifiers([]));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UnverifiedNoteError);
    const e = caught as UnverifiedNoteError;
    expect(e.code).toBe('NOTE_UNVERIFIED');
    expect(e.kind).toBe('verification');
    expect(e.note.unverifiedSigs).toHaveLength(2);
  });

  it('when a trusted verifier is listed twice and used, the key is ambiguous', () => {
    expect(
      codeOf(() => openNote(`${text}\n${enochSig}`, new Verifiers([enoch, peter, enoch]))),
    ).toBe('KEY_AMBIGUOUS');
    expect(
      openNote(`${text}\n${peterSig}`, new Verifiers([enoch, peter, enoch])).sigs,
    ).toHaveLength(1);
  });

  it('when there are more than 100 signatures, the note is malformed', () => {
    expect(codeOf(() => openNote(`${text}\n${peterSig.repeat(101)}`, new Verifiers([peter])))).toBe(
      'NOTE_MALFORMED',
    );
  });

  it('when a trusted signature is corrupt, fails with NOTE_BAD_SIGNATURE', () => {
    const bad = `${text}\n${peterSig.slice(0, 60)}ABCD${peterSig.slice(60)}`;
    expect(codeOf(() => openNote(bad, new Verifiers([peter])))).toBe('NOTE_BAD_SIGNATURE');
  });

  it('drops duplicated signatures and keeps corrupt unknown ones aside', () => {
    const msg = `${text}\n${peterSig}${peterSig}${enochSig}${enochSig}${enochSig.slice(0, 60)}ABCD${enochSig.slice(60)}`;
    const n = openNote(msg, new Verifiers([peter]));
    expect(n.sigs).toHaveLength(1);
    expect(n.unverifiedSigs).toHaveLength(2);
  });

  const badMsgs = [
    text,
    `${text}\n`,
    `${text}\n${peterSig.slice(0, -1)}`,
    `\x01${text}\n${peterSig}`,
    `${text}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
    `${text}\n${peterSig}Unexpected line.\n`,
  ];
  it.each(badMsgs.map((m, i) => [i, m]))(
    'when the encoding is bad (#%i), the note is malformed',
    (_i, m) => {
      expect(codeOf(() => openNote(m, new Verifiers([peter])))).toBe('NOTE_MALFORMED');
    },
  );

  it('when the bytes are not UTF-8, the note is malformed', () => {
    const msg = Buffer.concat([Buffer.from([0xff]), Buffer.from(`${text}\n${peterSig}`)]);
    expect(codeOf(() => openNote(msg, new Verifiers([peter])))).toBe('NOTE_MALFORMED');
  });

  it('when the text was altered, the trusted signature fails', () => {
    expect(
      codeOf(() => openNote(`${text.replace('If', 'if')}\n${peterSig}`, new Verifiers([peter]))),
    ).toBe('NOTE_BAD_SIGNATURE');
  });
});
