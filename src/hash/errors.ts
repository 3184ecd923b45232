import { ModguardError } from '../errors.js';

/**
 * ZipErrorCode names why a module zip, a file list or a dirhash input was refused.
 * Structural codes (format, truncation, header mismatch, bombs) come from the zip
 * reader; content codes (prefix, names, collisions, sizes) from x/mod's checkZip and
 * checkFiles rules (GO-FACTS §2.1, §2.3).
 */
export type ZipErrorCode =
  | 'ZIP_FORMAT'
  | 'ZIP_TRUNCATED'
  | 'ZIP_UNSUPPORTED_METHOD'
  | 'ZIP_ENCRYPTED'
  | 'ZIP_CHECKSUM'
  | 'ZIP_SIZE_MISMATCH'
  | 'ZIP_BOMB'
  | 'ZIP_HEADER_MISMATCH'
  | 'ZIP_OVERLAP'
  | 'ZIP_TOO_LARGE'
  | 'ZIP_MODULE'
  | 'ZIP_PREFIX'
  | 'ZIP_INVALID_NAME'
  | 'ZIP_DUPLICATE'
  | 'ZIP_CASE_COLLISION'
  | 'ZIP_FILE_DIR_CONFLICT'
  | 'ZIP_GOMOD_PLACEMENT'
  | 'ZIP_FILE_TOO_LARGE'
  | 'ZIP_SYMLINK'
  | 'ZIP_INVALID_FILES'
  | 'ZIP_FILE_CHANGED'
  | 'HASH_NAME_NEWLINE';

/**
 * ZipError refuses a zip (or a file list for one). `entry` names the offending zip
 * entry or file when there is one, and the message begins with it. It is always kind
 * 'invalid': the input is refused.
 */
export class ZipError extends ModguardError {
  declare readonly code: ZipErrorCode;
  readonly entry: string | undefined;

  constructor(code: ZipErrorCode, message: string, entry?: string, options?: { cause?: unknown }) {
    super(code, 'invalid', withEntry(message, entry), options);
    this.entry = entry;
  }
}

function withEntry(message: string, entry: string | undefined): string {
  if (entry === undefined || message.startsWith(`${entry}: `)) return message;
  return `${entry}: ${message}`;
}
