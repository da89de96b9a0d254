/**
 * Whether a URL's host is a private, loopback or link-local address (or a name for one), which
 * requests must not reach unless the environment allows it: otherwise a caller could use the
 * platform to probe its own network. Names are checked as written; Workers cannot reach private
 * networks through public DNS names in production.
 */
export function isPrivateHost(hostname: string): boolean {
    const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
    if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local')) return true;
    const v4 = parseIPv4(host.startsWith('::ffff:') ? host.slice(7) : host);
    if (v4) return privateIPv4(v4);
    if (host.includes(':')) return privateIPv6(host);
    return false;
}

function parseIPv4(host: string): number[] | null {
    const parts = host.split('.');
    if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
    return parts.map(Number);
}

function privateIPv4([a, b]: number[]): boolean {
    return (
        a === 0 ||
        a === 10 ||
        a === 127 ||
        (a === 100 && b! >= 64 && b! <= 127) || // carrier-grade NAT
        (a === 169 && b === 254) || // link-local, cloud metadata
        (a === 172 && b! >= 16 && b! <= 31) ||
        (a === 192 && b === 168) ||
        a! >= 224 // multicast and reserved
    );
}

function privateIPv6(host: string): boolean {
    if (host === '::' || host === '::1') return true;
    const first = parseInt(host.split(':')[0] || '0', 16);
    return (first & 0xfe00) === 0xfc00 /* unique local */ || (first & 0xffc0) === 0xfe80 /* link-local */;
}
