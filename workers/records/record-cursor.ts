import { fromBase64, toBase64Url } from '../crypto/encoding.js';
import { badRequest } from '../http/api-error.js';

/** A position in a connection's changes: records sort by (last_modified_at, seq). */
export interface RecordPosition {
    lastModifiedAt: number;
    seq: number;
}

const PREFIX = 'r1:';
const FORMAT = /^r1:(\d{1,16})\|\|(\d{1,16})$/;
const BASE64URL = /^[A-Za-z0-9_-]{1,200}$/;

/** Opaque to clients: base64url of `r1:<last_modified_at>||<seq>` (the prefix versions the format). */
export function encodeCursor(position: RecordPosition): string {
    return toBase64Url(new TextEncoder().encode(`${PREFIX}${position.lastModifiedAt}||${position.seq}`));
}

/** Strict: anything that `encodeCursor` did not produce is 400 `invalid_cursor`. */
export function decodeCursor(cursor: string, field = 'cursor'): RecordPosition {
    const invalid = () => badRequest('invalid_cursor', `Invalid ${field}: pass a cursor Spoke returned`, [{ code: 'invalid_cursor', message: 'Invalid cursor', path: [field] }]);
    // A length of 4n+1 is not base64 at all; atob throws on it.
    if (!BASE64URL.test(cursor) || cursor.length % 4 === 1) throw invalid();
    const match = FORMAT.exec(new TextDecoder().decode(fromBase64(cursor)));
    if (!match) throw invalid();
    const position = { lastModifiedAt: Number(match[1]), seq: Number(match[2]) };
    // One spelling per position: no alternative paddings or leading zeros.
    if (encodeCursor(position) !== cursor) throw invalid();
    return position;
}
