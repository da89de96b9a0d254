/**
 * A square logo with the provider's initials on its brand colour, for providers without a brand
 * icon and for custom providers. The text colour is picked by luminance so it stays readable.
 */
export function monogramSvg(displayName: string, color = '#64748b'): string {
    const words = displayName.replace(/[^\p{L}\p{N} ]/gu, ' ').split(/\s+/).filter(Boolean);
    const initials = (words.length > 1 ? words[0]!.charAt(0) + words[1]!.charAt(0) : (words[0] ?? '?').slice(0, 2)).toUpperCase();
    const text = isLight(color) ? '#111827' : '#ffffff';
    return [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img">',
        `<title>${escapeXml(displayName)}</title>`,
        `<rect width="64" height="64" rx="14" fill="${color}"/>`,
        `<text x="32" y="32" dy=".35em" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="26" font-weight="600" fill="${text}">${escapeXml(initials)}</text>`,
        '</svg>'
    ].join('');
}

function isLight(hex: string): boolean {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
    // Relative luminance, WCAG 2.x.
    const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b) > 0.45;
}

function escapeXml(s: string): string {
    return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
