// The network's line items: NAT gateways (and their addresses), and the load balancers of the
// stack's Kubernetes objects with the public IPv4 addresses of the internet-facing ones.
import { valueAt } from "../../components/addons/values";
import { str } from "../values";
import { VPC } from "../shapes";
import { type CostRecord, type Ctx, type LineItem, num, priced, same } from "./line-items";
import { loadBalancersOf } from "./kubernetes";

export function natGateways(records: readonly CostRecord[], ctx: Ctx): LineItem[] {
  const items: LineItem[] = [];
  for (const r of records.filter((x) => x.type === VPC)) {
    const strategy = str(valueAt(r.inputs, "natGateways", "strategy")) ?? "OnePerAz";
    const zones = num(r.inputs.numberOfAvailabilityZones);
    // awsx's strategies: OnePerAz (the default), Single, None.
    const count = strategy === "None" ? 0 : strategy === "Single" ? 1 : zones;
    if (count === 0) continue;
    const what = `${r.name}: ${strategy}${strategy === "OnePerAz" ? `, ${zones ?? "?"} zones` : ""}`;
    items.push(
      priced({
        id: `nat:${r.name}`,
        category: "NAT gateways",
        what,
        quantity: same(count ?? 0),
        unit: "NAT gateway",
        quote:
          count === undefined
            ? { missing: "numberOfAvailabilityZones is not in the synth" }
            : ctx.quote("nat:gateway"),
      }),
      // A public NAT gateway holds an Elastic IP.
      ...(count === undefined
        ? []
        : [
            priced({
              id: `nat:${r.name}:ipv4`,
              category: "NAT gateways",
              what: `${r.name}: its NAT gateways' public IPv4 addresses`,
              quantity: same(count),
              unit: "address",
              quote: ctx.quote("vpc:public-ipv4"),
            }),
          ]),
      {
        id: `nat:${r.name}:processed`,
        category: "NAT gateways",
        what: `${r.name}: data processed`,
        quantity: same(0),
        unit: "GB",
        quote: ctx.quote("nat:processed"),
        usage: "per GB through the gateways, both directions",
      },
    );
  }
  return items;
}

/** Each load balancer, and the public IPv4 address an internet-facing one holds in each zone. */
export function loadBalancers(
  kube: Parameters<typeof loadBalancersOf>[0],
  records: readonly CostRecord[],
  ctx: Ctx,
): LineItem[] {
  const zones = num(records.find((r) => r.type === VPC)?.inputs.numberOfAvailabilityZones);
  return loadBalancersOf(kube).flatMap(({ kind, internetFacing, ...lb }) => [
    priced({ ...lb, category: "Load balancers", quote: ctx.quote(`elb:${kind}`) }),
    ...(internetFacing
      ? [
          priced({
            id: `${lb.id}:ipv4`,
            category: "Load balancers",
            what: `${lb.what}: internet-facing, a public IPv4 address per zone`,
            quantity: same(zones ?? 0),
            unit: "address",
            quote: zones
              ? ctx.quote("vpc:public-ipv4")
              : { missing: "numberOfAvailabilityZones is not in the synth" },
          }),
        ]
      : []),
  ]);
}
