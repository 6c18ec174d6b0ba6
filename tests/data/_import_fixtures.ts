/**
 * Shared by the importer tests: input files written under a fresh base path in one temporary
 * folder per test file (removed when the test process ends), and the assertion that an importer
 * rejects its input with a DataError at exactly one file, line and field.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { DataError } from "../../lib/data/errors.ts";

/** A temporary folder whose `write(files)` writes extension -> content under a new base path. */
export function importFixtures(prefix: string): {
  dir: string;
  write: (files: Record<string, string | Uint8Array>) => string;
} {
  const dir = Deno.makeTempDirSync({ prefix });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  let counter = 0;
  const write = (files: Record<string, string | Uint8Array>) => {
    const base = `${dir}/case${counter++}`;
    for (const [extension, content] of Object.entries(files)) {
      if (typeof content === "string") Deno.writeTextFileSync(`${base}${extension}`, content);
      else Deno.writeFileSync(`${base}${extension}`, content);
    }
    return base;
  };
  return { dir, write };
}

/** Asserts that `fn` throws a DataError at exactly this file, line and field. */
export function assertDataError(
  fn: () => unknown,
  file: string,
  line: number,
  field: string,
  detail: string,
): void {
  const error = assertThrows(fn);
  assert(error instanceof DataError, `expected DataError, got ${error}`);
  assertEquals([error.file, error.line, error.field], [file, line, field]);
  assert(error.detail.includes(detail), `"${error.detail}" lacks "${detail}"`);
  assert(error.message.includes(`${file}:${line}: field "${field}"`));
}
