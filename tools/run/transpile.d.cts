// Types of tools/run/transpile.cjs (plain CommonJS: it must load before any TypeScript can).
import type { Options } from "@swc/core";

/** The swc options for one file. */
export declare function swcOptions(filename: string): Options;
/** The cache entry's name for a file's text under one compiler version (hex SHA-256). */
export declare function cacheKey(source: string, filename: string, version: string): string;
/** JavaScript for one TypeScript file, from `cacheDir` when cached (undefined: no cache). */
export declare function transpile(
  source: string,
  filename: string,
  cacheDir: string | undefined,
): string;
