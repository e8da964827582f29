// IPv4 CIDR arithmetic: the one parser behind every CIDR rule.
import { problem } from "../problems";

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function parseCidr(cidr: string): { network: number; prefix: number } | undefined {
  const m = IPV4_CIDR.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return { network: address - (address % size), prefix };
}

export function formatCidr(network: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256);
  return `${octets.join(".")}/${prefix}`;
}

/** True when the address part of `a.b.c.d/n` has bits set beyond the prefix (`198.51.100.7/24`). */
export function hasHostBits(cidr: string): boolean {
  const parsed = parseCidr(cidr);
  return parsed !== undefined && formatCidr(parsed.network, parsed.prefix) !== cidr;
}

/**
 * A problem when an IPv4 CIDR is not its network address (`10.20.0.1/16`): AWS refuses some such
 * blocks and stores others as given, so every CIDR the config takes must be canonical.
 */
export function hostBitsProblems(cidr: unknown, at: string): string[] {
  const parsed = typeof cidr === "string" ? parseCidr(cidr) : undefined;
  if (!parsed || !hasHostBits(String(cidr))) return [];
  const network = formatCidr(parsed.network, parsed.prefix);
  return [problem(at, "host bits set", cidr, `use the network address ${network}`)];
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  const end = (c: { network: number; prefix: number }) => c.network + 2 ** (32 - c.prefix) - 1;
  return x.network <= end(y) && y.network <= end(x);
}

/** A network CIDR as EC2 rules take it: IPv4 without host bits, or an IPv6 block. */
export function isNetworkCidr(cidr: string): boolean {
  if (!cidr.includes(":")) return parseCidr(cidr) !== undefined && !hasHostBits(cidr);
  const v6 = /^[0-9a-f:]+\/(\d{1,3})$/.exec(cidr);
  return !!v6 && Number(v6[1]) <= 128;
}
