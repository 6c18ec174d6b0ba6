/**
 * `deno task readme-figure --help` (scripts/readme_figure.ts `usage()`), where mutation round
 * mu54d found no test: it names the folder the quick figure goes to and the default `--from` of
 * each mode as paths from the project's root, the full mode's first (RF2: the absolute paths;
 * RF3: the PNG's path for its folder; RF4: the two defaults swapped all passed).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { usage } from "../../scripts/readme_figure.ts";

Deno.test("readme-figure --help: where the quick figure goes, and --from's default in each mode", () => {
  const text = usage();
  assertStringIncludes(text, "(a check: results/quick/figures/)");
  assertStringIncludes(text, "default results-of-record/full, with --quick results/quick)");
  // Paths from the project's root: no absolute path of this checkout.
  const root = new URL("../../", import.meta.url).pathname;
  assertEquals(text.includes(root), false, text);
});
