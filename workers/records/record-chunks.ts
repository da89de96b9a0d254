/** At most this many records per statement: a sync sends 1,000 per call. */
export const MAX_CHUNK_RECORDS = 1000;
/**
 * Records travel to D1 as one JSON parameter per statement, and D1 refuses values over 2,000,000
 * bytes. Half of that leaves room for the envelope and for estimates; a bigger record goes alone.
 */
export const MAX_CHUNK_BYTES = 1_000_000;
/** The largest record stored; the sandbox refuses bigger ones first (its MAX_RECORD_BYTES is the same). */
export const MAX_RECORD_BYTES = 1_900_000;

/** Splits items into runs of at most MAX_CHUNK_RECORDS and, unless one item alone is bigger, MAX_CHUNK_BYTES. */
export function chunkBySize<T>(items: T[], bytes: (item: T) => number): T[][] {
    const chunks: T[][] = [];
    let current: T[] = [];
    let size = 0;
    for (const item of items) {
        const itemBytes = bytes(item);
        if (current.length && (current.length === MAX_CHUNK_RECORDS || size + itemBytes > MAX_CHUNK_BYTES)) {
            chunks.push(current);
            current = [];
            size = 0;
        }
        current.push(item);
        size += itemBytes;
    }
    if (current.length) chunks.push(current);
    return chunks;
}

/** Fixed-size runs, for lists of ids. */
export function chunkByCount<T>(items: T[], size = MAX_CHUNK_RECORDS): T[][] {
    const chunks: T[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return chunks;
}
