// A chart's `kubeVersion` (Chart.yaml) is a semver range Helm checks against the cluster before it
// installs or upgrades (helm/helm pkg/chartutil/capabilities.go, `IsCompatibleRange`): a range
// that excludes the cluster's version fails the release. Helm reads EKS's `v1.36.x-eks-…` as a
// prerelease of 1.36.x, which is why charts write `>= 1.25.0-0`.

/** One comparator of a range: `>=1.25.0-0`, `< 1.34`, `1.30`. */
const COMPARATOR = /^(>=|<=|>|<|=)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?$/;

/** `a` compared with `b`, each [major, minor, patch]. */
const compare = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/**
 * Whether a cluster of `minor` (any patch, as EKS serves it: a prerelease such as
 * `1.36.2-eks-…`) satisfies `range`; undefined when the range has syntax this reader does not
 * take (`~`, `^`, `x`, hyphen ranges), so the caller says it could not tell.
 */
export function kubeVersionAllows(range: string, minor: string): boolean | undefined {
  const [major, min] = minor.split(".").map(Number);
  // The lowest and highest patch of the minor Helm could see: every comparator must hold for one.
  const patches = [0, 999];
  let known = true;
  const alternatives = range.split("||").map((alt) =>
    alt
      .trim()
      .replace(/(>=|<=|>|<|=)\s+/g, "$1")
      .split(/[\s,]+/)
      .filter(Boolean),
  );
  const holds = alternatives.some((comparators) =>
    patches.some((patch) =>
      comparators.every((c) => {
        const m = COMPARATOR.exec(c);
        if (!m) {
          known = false;
          return false;
        }
        const bound = [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
        // A `-0` prerelease bound admits EKS's prerelease versions of that patch.
        const d = compare([major, min, patch], bound);
        switch (m[1] ?? "=") {
          case ">=":
            return d >= 0;
          case ">":
            return d > 0;
          case "<=":
            return d <= 0;
          case "<":
            return d < 0;
          default:
            return d === 0;
        }
      }),
    ),
  );
  return known ? holds : undefined;
}
