/** The target of the first link with relation `rel` in an RFC 8288 `Link` header value, e.g. `<https://…?page=2>; rel="next"`. */
export function linkWithRel(header: string | undefined, rel: string): string | undefined {
    if (!header) return undefined;
    const wanted = rel.toLowerCase();
    for (const [, target, params] of header.matchAll(/<([^>]*)>([^<]*)/g)) {
        const rels = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params ?? '');
        const values = (rels?.[1] ?? rels?.[2] ?? '').toLowerCase().split(/\s+/);
        if (values.includes(wanted)) return target;
    }
    return undefined;
}
