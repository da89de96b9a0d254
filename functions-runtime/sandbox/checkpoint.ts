// Checkpoints are flat and small (reference §2.5); a bad one is refused here, with the reason,
// before it reaches the host.
import type { Checkpoint } from '../host-contract.js';
import { SdkError } from './sdk-error.js';

const MAX_KEYS = 16;
const MAX_KEY_LENGTH = 255;
const MAX_STRING_LENGTH = 4000;

function invalid(message: string): SdkError {
    return new SdkError('invalid_checkpoint', `Invalid checkpoint: ${message}`);
}

/** The checkpoint as stored: Dates become ISO strings. */
export function normalizeCheckpoint(value: unknown): Checkpoint {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('it must be a flat object');
    const entries = Object.entries(value);
    if (entries.length > MAX_KEYS) throw invalid(`it has ${entries.length} keys; at most ${MAX_KEYS} are allowed`);
    const checkpoint: Checkpoint = {};
    for (const [key, raw] of entries) {
        if (key.length > MAX_KEY_LENGTH) throw invalid(`key "${key.slice(0, 40)}…" is longer than ${MAX_KEY_LENGTH} characters`);
        const field = raw instanceof Date ? isoOf(key, raw) : raw;
        if (typeof field === 'string') {
            if (field.length > MAX_STRING_LENGTH) throw invalid(`"${key}" is longer than ${MAX_STRING_LENGTH} characters`);
        } else if (typeof field === 'number') {
            if (!Number.isFinite(field)) throw invalid(`"${key}" must be a finite number`);
        } else if (typeof field !== 'boolean') {
            throw invalid(`"${key}" must be a string, a number, a boolean or a Date`);
        }
        checkpoint[key] = field;
    }
    return checkpoint;
}

function isoOf(key: string, date: Date): string {
    if (Number.isNaN(date.getTime())) throw invalid(`"${key}" is an invalid Date`);
    return date.toISOString();
}
