#!/usr/bin/env bash
# Renders docs/diagrams/*.mmd (or the .mmd files given) into the committed SVGs beside them, each
# stamped with the sha256 of its source so test/diagrams.test.ts can tell when one is stale.
# Run it after editing a .mmd; it is not part of `npm test` or .ci/run (it needs Chromium).
#
# Needs: Node, and Chromium at $CHROMIUM (Debian: apt-get install chromium). mermaid-cli is fetched
# by npx at the pinned version, without puppeteer's own browser download.
set -euo pipefail

MERMAID_CLI_VERSION=12.2.0
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
root="$(cd "$(dirname "$0")/.." && pwd)"

if [[ ! -x "$CHROMIUM" ]]; then
  echo "render-diagrams: no Chromium at $CHROMIUM (got nothing there); install it (apt-get install chromium) or set CHROMIUM" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# --no-sandbox: Chromium's sandbox needs user namespaces, which containers and CI runners often lack.
printf '{"executablePath": "%s", "args": ["--no-sandbox"]}\n' "$CHROMIUM" >"$work/puppeteer.json"

if [[ $# -gt 0 ]]; then sources=("$@"); else sources=("$root"/docs/diagrams/*.mmd); fi

for src in "${sources[@]}"; do
  out="${src%.mmd}.svg"
  PUPPETEER_SKIP_DOWNLOAD=1 npm_config_loglevel=error \
    npx -y "@mermaid-js/mermaid-cli@$MERMAID_CLI_VERSION" \
    --quiet -p "$work/puppeteer.json" -i "$src" -o "$work/raw.svg"
  hash="$(sha256sum "$src" | cut -d' ' -f1)"
  node - "$work/raw.svg" "$out" "$hash" <<'JS'
const fs = require("node:fs");
const [raw, out, hash] = process.argv.slice(2);
let svg = fs.readFileSync(raw, "utf8");
const [, , w, h] = /viewBox="([^"]+)"/.exec(svg)[1].split(/\s+/).map(Number);
// mermaid writes width="100%": an <img> of it (GitHub, npm) then stretches to the column's width,
// blowing a narrow diagram up to twice its size. Its own size keeps the text at the size it was laid out.
svg = svg.replace(/<svg id="my-svg" width="100%"/, `<svg id="my-svg" width="${Math.ceil(w)}" height="${Math.ceil(h)}"`);
// Labels are one <tspan> per word, each after the first starting with a space; renderers that
// follow the SVG default whitespace rule (librsvg) drop those spaces, and preserve keeps them.
svg = svg.replace(/<svg /, '<svg xml:space="preserve" ');
if (!svg.includes(`width="${Math.ceil(w)}"`)) throw new Error(`${out}: mermaid's <svg> header changed; update render-diagrams.sh`);
fs.writeFileSync(out, `<!-- source-sha256: ${hash} (${out.split("/").pop().replace(/svg$/, "mmd")}, rendered by scripts/render-diagrams.sh) -->\n${svg}\n`);
JS
  echo "rendered ${out#"$root"/}"
done
