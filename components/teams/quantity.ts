// Kubernetes resource quantities, parsed to compare them.
// https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
const QUANTITY = /^(\d+(?:\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;
export const QUANTITY_HINT = "use a Kubernetes quantity such as 500m, 2, 512Mi or 16Gi";
const SCALE: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** `512Mi` → 536870912; undefined for a non-quantity. */
export function quantityValue(q: unknown): number | undefined {
  const m = typeof q === "string" ? QUANTITY.exec(q) : undefined;
  return m ? Number(m[1]) * SCALE[m[2] ?? ""] : undefined;
}
