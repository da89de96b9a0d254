/** Nango's API writes timestamps as ISO 8601 with an explicit `+00:00` offset. */
export function apiTimestamp(ms: number): string {
    return new Date(ms).toISOString().replace('Z', '+00:00');
}

export function apiTimestampOrNull(ms: number | null | undefined): string | null {
    return ms === null || ms === undefined ? null : apiTimestamp(ms);
}
