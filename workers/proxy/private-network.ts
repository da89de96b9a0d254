/**
 * Whether a URL's host is a private, loopback, link-local or otherwise non-public address (or a
 * name for one), which requests must not reach unless the environment allows it: otherwise a
 * caller could use the platform to probe its own network. Names are checked as written; Workers
 * cannot reach private networks through public DNS names in production.
 *
 * The host is first put in the URL standard's canonical form, as `new URL()` leaves it: IPv4 in
 * decimal, hex or octal and shortened forms becomes dotted quads, IPv6 becomes compressed hex (so
 * `[::ffff:127.0.0.1]` arrives as `[::ffff:7f00:1]`). IPv6 addresses that carry an IPv4 address
 * (mapped, compatible, NAT64, 6to4) are judged by that IPv4 address.
 */
export function isPrivateHost(hostname: string): boolean {
    const host = canonicalHost(hostname);
    if (host === null) return true;
    if (host.startsWith('[')) {
        const v6 = parseIPv6(host.slice(1, -1));
        return v6 === null || privateIPv6(v6);
    }
    const v4 = parseIPv4(host);
    if (v4 !== null) return privateIPv4(v4);
    const name = host.replace(/\.+$/, '');
    // A single label (`intranet`) can only be a local name.
    return !name.includes('.') || LOCAL_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
}

const LOCAL_SUFFIXES = ['localhost', 'local', 'internal', 'home.arpa'];

/** The host as the URL parser writes it, or null when it is no valid host at all. */
function canonicalHost(hostname: string): string | null {
    const raw = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
    try {
        return new URL(`http://${raw}/`).hostname;
    } catch {
        return null;
    }
}

/** An address block: its first address and prefix length. */
type Block = readonly [base: bigint, prefix: number];

const blocks = (parse: (text: string) => bigint | null, list: readonly (readonly [string, number])[]): Block[] => list.map(([base, prefix]) => [parse(base)!, prefix]);

const within = (address: bigint, bits: number, list: Block[]) => list.some(([base, prefix]) => address >> BigInt(bits - prefix) === base >> BigInt(bits - prefix));

// Everything that is not the public internet: RFC 6890's special-purpose registries.
const PRIVATE_IPV4 = blocks(parseIPv4, [
    ['0.0.0.0', 8], // "this network"
    ['10.0.0.0', 8],
    ['100.64.0.0', 10], // carrier-grade NAT
    ['127.0.0.0', 8],
    ['169.254.0.0', 16], // link-local, cloud metadata
    ['172.16.0.0', 12],
    ['192.0.0.0', 24], // IETF protocol assignments
    ['192.0.2.0', 24], // documentation
    ['192.88.99.0', 24], // 6to4 relays
    ['192.168.0.0', 16],
    ['198.18.0.0', 15], // benchmarking
    ['198.51.100.0', 24], // documentation
    ['203.0.113.0', 24], // documentation
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4] // reserved, and broadcast
]);

const PRIVATE_IPV6 = blocks(parseIPv6, [
    ['::', 128], // unspecified
    ['::1', 128], // loopback
    ['64:ff9b:1::', 48], // local-use NAT64
    ['100::', 64], // discard
    ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID…)
    ['2001:db8::', 32], // documentation
    ['fc00::', 7], // unique local
    ['fe80::', 10], // link-local
    ['fec0::', 10], // site-local
    ['ff00::', 8] // multicast
]);

// IPv6 blocks whose addresses stand for the IPv4 address in their low 32 bits.
const EMBEDDING_IPV4 = blocks(parseIPv6, [
    ['::ffff:0:0', 96], // IPv4-mapped
    ['::ffff:0:0:0', 96], // IPv4-translated
    ['64:ff9b::', 96], // NAT64
    ['::', 96] // IPv4-compatible (deprecated)
]);

// 6to4 carries the IPv4 address right after its 16-bit prefix.
const SIX_TO_FOUR = blocks(parseIPv6, [['2002::', 16]]);

const privateIPv4 = (address: bigint) => within(address, 32, PRIVATE_IPV4);

function privateIPv6(address: bigint): boolean {
    if (within(address, 128, PRIVATE_IPV6)) return true;
    if (within(address, 128, EMBEDDING_IPV4)) return privateIPv4(address & 0xffffffffn);
    if (within(address, 128, SIX_TO_FOUR)) return privateIPv4((address >> 80n) & 0xffffffffn);
    return false;
}

/** A dotted quad as a 32-bit number (the canonical form only: the URL parser has already rewritten the others). */
function parseIPv4(host: string): bigint | null {
    const parts = host.split('.');
    if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
    return parts.reduce((n, p) => (n << 8n) | BigInt(p), 0n);
}

/** An IPv6 address (hex groups, `::`, an optional dotted-quad tail) as a 128-bit number. */
function parseIPv6(host: string): bigint | null {
    const halves = host.split('::');
    if (halves.length > 2) return null;
    const groups = (text: string): number[] | null => {
        if (text === '') return [];
        const out: number[] = [];
        const parts = text.split(':');
        for (const [i, part] of parts.entries()) {
            const v4 = i === parts.length - 1 && part.includes('.') ? parseIPv4(part) : null;
            if (v4 !== null) out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
            else if (/^[0-9a-f]{1,4}$/i.test(part)) out.push(parseInt(part, 16));
            else return null;
        }
        return out;
    };
    const head = groups(halves[0]!);
    const tail = halves.length === 2 ? groups(halves[1]!) : [];
    if (head === null || tail === null) return null;
    const missing = 8 - head.length - tail.length;
    if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
    return [...head, ...Array<number>(missing).fill(0), ...tail].reduce((n, g) => (n << 16n) | BigInt(g), 0n);
}
