/**
 * Keeps danfojs-node's import from printing Node's `punycode` deprecation warning (DEP0040) at
 * every start-up. The warning comes from `danfojs-node -> request@2.88 -> tough-cookie@2.5`,
 * which calls `require("punycode")` (the deprecated built-in) when it loads; the workspace never
 * uses that code (it makes HTTP requests for danfo's remote CSV reading). Only DEP0040 is dropped,
 * and only while danfojs-node loads: `dataframe.ts` imports this module before danfojs-node and
 * calls {@linkcode restoreDeprecationWarnings} right after, so every other warning still shows.
 */
import process from "node:process";

const original = process.emitWarning;

process.emitWarning = function (this: unknown, ...args: unknown[]): void {
  const [, typeOrOptions, code] = args;
  const warningCode = typeof typeOrOptions === "object" && typeOrOptions !== null
    ? (typeOrOptions as { code?: unknown }).code
    : code;
  if (warningCode === "DEP0040") return;
  (original as (...all: unknown[]) => void).apply(process, args);
} as typeof process.emitWarning;

/** Puts the original `process.emitWarning` back. */
export function restoreDeprecationWarnings(): void {
  process.emitWarning = original;
}
