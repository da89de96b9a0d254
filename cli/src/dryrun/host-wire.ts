// How the host calls of a local dry run cross from workerd to the CLI process: JSON, with bytes
// (request and response bodies) as base64 under `$bytes`. bridge-worker.ts does the same inside workerd.

const BYTES = '$bytes';

export function encodeWire(value: unknown): string {
    return JSON.stringify(value, (_key, item: unknown) => {
        if (item instanceof ArrayBuffer) return { [BYTES]: Buffer.from(item).toString('base64') };
        if (ArrayBuffer.isView(item)) return { [BYTES]: Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString('base64') };
        return item;
    });
}

export function decodeWire(text: string): unknown {
    return JSON.parse(text, (_key, item: unknown) => {
        if (item !== null && typeof item === 'object' && typeof (item as Record<string, unknown>)[BYTES] === 'string' && Object.keys(item).length === 1) {
            const bytes = Buffer.from((item as Record<string, string>)[BYTES]!, 'base64');
            return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        }
        return item;
    });
}
