/**
 * Addresses a fetch must not reach unless the user allows local fetches: loopback, private
 * networks, link-local (cloud metadata at 169.254.169.254 among them), carrier-grade NAT,
 * multicast and reserved ranges, in IPv4 and IPv6 (IPv4-mapped IPv6 checked as IPv4).
 */
import { BlockList, isIP } from 'node:net';

// Two lists: a BlockList compares an IPv4 address with IPv6 rules as IPv4-mapped IPv6.
const LOCAL = new BlockList();
const LOCAL6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  LOCAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  // NAT64 forms of any address: a DNS answer has no reason to use them.
  ['64:ff9b::', 96],
] as const)
  LOCAL6.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address (v4 or v6) is local, private or reserved. */
export function isLocalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = mappedIpv4(bare);
  if (mapped) return LOCAL.check(mapped, 'ipv4');
  const family = isIP(bare);
  if (family === 4) return LOCAL.check(bare, 'ipv4');
  if (family === 6) return LOCAL6.check(bare, 'ipv6');
  return false;
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:127.0.0.1 or ::ffff:7f00:1). */
function mappedIpv4(address: string): string | undefined {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (dotted) return dotted;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const [high, low] = [Number.parseInt(hex[1]!, 16), Number.parseInt(hex[2]!, 16)];
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}
