import { z } from "zod";
import { DNS_LABEL, EKS_SYSTEM_NAMESPACES } from "../components/namespace";

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n` into a 32-bit network address and prefix length, or undefined. */
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

/** True when two IPv4 CIDRs share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  const end = (c: { network: number; prefix: number }) => c.network + 2 ** (32 - c.prefix) - 1;
  return x.network <= end(y) && y.network <= end(x);
}

export const cidr = z.string().refine((v) => parseCidr(v) !== undefined, {
  error: "not an IPv4 CIDR; use the form 10.20.0.0/16",
  abort: true,
});

export const vpcCidr = cidr.refine(
  (v) => {
    const p = parseCidr(v)?.prefix ?? 0;
    return p >= 16 && p <= 20;
  },
  { error: "VPC prefix length out of range; use a /16 to /20 (pods take VPC addresses)" },
);

/** `a.b.c.d/n` from a 32-bit network address and a prefix length. */
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
 * The widest block the public API endpoint may admit. A /8 is the largest block one organisation
 * holds (the legacy class A allocations, such as 17.0.0.0/8; IANA's registry:
 * https://www.iana.org/assignments/ipv4-address-space/ipv4-address-space.xhtml); anything wider
 * spans many unrelated networks, so it cannot be "our VPN or our CI runners".
 */
export const WIDEST_PUBLIC_ACCESS_PREFIX = 8;

/**
 * A CIDR allowed to reach the public API endpoint: never the whole internet, never wider than a
 * /8, and written as its network address. EKS stores the block as given, so a typo such as
 * 198.51.100.7/24 would sit in the config meaning something other than it says.
 */
export const publicAccessCidr = cidr
  .refine((v) => parseCidr(v)?.prefix !== 0, {
    error:
      "the API endpoint must never be open to the whole internet; list the CIDRs of your VPN or CI runners",
    abort: true,
  })
  .refine((v) => (parseCidr(v)?.prefix ?? 0) >= WIDEST_PUBLIC_ACCESS_PREFIX, {
    error: `block wider than /${WIDEST_PUBLIC_ACCESS_PREFIX}, a large share of the internet; list the CIDRs of your VPN or CI runners, each /${WIDEST_PUBLIC_ACCESS_PREFIX} or narrower`,
    abort: true,
  })
  .superRefine((v, ctx) => {
    const parsed = parseCidr(v);
    if (parsed && hasHostBits(v)) {
      const network = formatCidr(parsed.network, parsed.prefix);
      ctx.addIssue({
        code: "custom",
        message: `host bits set; use the network address ${network}`,
      });
    }
  });

export const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, {
  error: "not an IAM role ARN; use arn:aws:iam::<12-digit account>:role/<name>",
});

// The one DNS-label rule and the namespaces every cluster has live beside the namespace component.
export { DNS_LABEL };
export const EKS_NAMESPACES = EKS_SYSTEM_NAMESPACES;
// The same words as PodSecurityGroup's own check (components/pod-security-group.ts), so a library
// user and a stack user read the same answer.
export const DNS_LABEL_HINT = "use at most 63 lowercase letters, digits and '-'";

/** A namespace name, as every config key that names a namespace takes it. */
export const namespaceName = z
  .string({ error: `not a namespace name; ${DNS_LABEL_HINT}` })
  .regex(DNS_LABEL, { error: `not a namespace name; ${DNS_LABEL_HINT}` });

/** Short names of node groups, profiles, roles: they become part of physical names. */
export const shortName = /^[a-z][a-z0-9-]{0,19}$/;
export const shortNameHint =
  "use 1-20 characters: lowercase letters, digits and hyphens, starting with a letter";

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export const logRetentionDays = z
  .number()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    error: `not a CloudWatch Logs retention period; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
  });

export const kubernetesLabelMap = z.record(
  z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/, {
    error: "not a Kubernetes label key; use [prefix/]name with letters, digits, -, _ and .",
  }),
  z.string().max(63, { error: "label value too long; use at most 63 characters" }),
);
