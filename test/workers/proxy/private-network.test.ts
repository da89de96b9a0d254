import { describe, expect, it } from 'vitest';
import { isPrivateHost } from '../../../workers/proxy/private-network.js';

// Hosts as a URL's `hostname` gives them, and as written before URL parsing rewrites them.
const PRIVATE: [host: string, why: string][] = [
    ['localhost', 'loopback name'],
    ['localhost.', 'loopback name, fully qualified'],
    ['api.localhost', 'loopback name'],
    ['metadata.google.internal', 'internal name'],
    ['printer.local', 'mDNS name'],
    ['router.home.arpa', 'home network name'],
    ['intranet', 'single-label name'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'this network'],
    ['0.1.2.3', 'this network'],
    ['10.0.0.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['169.254.169.254', 'cloud metadata'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['192.0.2.1', 'documentation'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['2130706433', '127.0.0.1 in decimal'],
    ['0x7f000001', '127.0.0.1 in hex'],
    ['0177.0.0.1', '127.0.0.1 in octal'],
    ['127.1', '127.0.0.1 shortened'],
    ['0x0a.0.0.1', '10.0.0.1 with a hex part'],
    ['0', '0.0.0.0 in decimal'],
    ['[::]', 'unspecified'],
    ['[::1]', 'loopback'],
    ['::1', 'loopback, without brackets'],
    ['[0:0:0:0:0:0:0:1]', 'loopback, uncompressed'],
    ['[::ffff:7f00:1]', 'IPv4-mapped 127.0.0.1, as the URL parser writes it'],
    ['[::ffff:127.0.0.1]', 'IPv4-mapped 127.0.0.1'],
    ['[::ffff:a00:1]', 'IPv4-mapped 10.0.0.1'],
    ['[::ffff:a9fe:a9fe]', 'IPv4-mapped 169.254.169.254'],
    ['[::ffff:0:a00:1]', 'IPv4-translated 10.0.0.1'],
    ['[::7f00:1]', 'IPv4-compatible 127.0.0.1'],
    ['[::10.0.0.1]', 'IPv4-compatible 10.0.0.1'],
    ['[64:ff9b::7f00:1]', 'NAT64 of 127.0.0.1'],
    ['[64:ff9b::192.168.0.1]', 'NAT64 of 192.168.0.1'],
    ['[64:ff9b:1::1]', 'local-use NAT64'],
    ['[2002:7f00:1::]', '6to4 of 127.0.0.1'],
    ['[2002:a00:1::1]', '6to4 of 10.0.0.1'],
    ['[fc00::1]', 'unique local'],
    ['[fd12:3456::1]', 'unique local'],
    ['[fe80::1]', 'link-local'],
    ['[febf::1]', 'link-local'],
    ['[fec0::1]', 'site-local'],
    ['[ff02::1]', 'multicast'],
    ['[100::1]', 'discard'],
    ['[2001:db8::1]', 'documentation'],
    ['[2001::1]', 'Teredo'],
    ['[fe80::1%25eth0]', 'zone index: not a valid URL host'],
    ['exa mple.com', 'not a valid host']
];

const PUBLIC: [host: string, why: string][] = [
    ['api.example.com', 'public name'],
    ['localhost.example.com', 'public name that mentions localhost'],
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['100.63.255.255', 'just below carrier-grade NAT'],
    ['100.128.0.0', 'just above carrier-grade NAT'],
    ['172.15.255.255', 'just below 172.16/12'],
    ['172.32.0.0', 'just above 172.16/12'],
    ['198.17.255.255', 'just below benchmarking'],
    ['198.20.0.0', 'just above benchmarking'],
    ['223.255.255.255', 'just below multicast'],
    ['134744072', '8.8.8.8 in decimal'],
    ['[2606:4700:4700::1111]', 'public IPv6'],
    ['[::ffff:808:808]', 'IPv4-mapped 8.8.8.8'],
    ['[64:ff9b::808:808]', 'NAT64 of 8.8.8.8'],
    ['[2002:808:808::1]', '6to4 of 8.8.8.8'],
    ['[2001:4860:4860::8888]', 'public IPv6']
];

describe('isPrivateHost', () => {
    it.each(PRIVATE)('refuses %s (%s)', (host) => {
        expect(isPrivateHost(host)).toBe(true);
    });

    it.each(PUBLIC)('allows %s (%s)', (host) => {
        expect(isPrivateHost(host)).toBe(false);
    });

    // Callers hand it `new URL(raw).hostname`: every form must survive that too.
    it.each([...PRIVATE.filter(([host]) => URL.canParse(`http://${host}/`)).map(([host]) => [host, true] as const), ...PUBLIC.map(([host]) => [host, false] as const)])(
        'judges %s the same after URL parsing',
        (host, expected) => {
            expect(isPrivateHost(new URL(`http://${host}/`).hostname)).toBe(expected);
        }
    );
});
