/**
 * The scripts' one reading of a command line (scripts/cli/options.ts): what node:util's parseArgs
 * would let through is refused with a message naming the option.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { integerOption, parseOptions, UsageError } from "../../scripts/cli/options.ts";

const OPTIONS = {
  out: { type: "string" },
  quick: { type: "boolean", default: false },
  read: { type: "string", multiple: true },
} as const;

Deno.test("parseOptions reads both forms of a value and the declared defaults", () => {
  assertEquals(parseOptions(["--out", "a"], OPTIONS).values.out, "a");
  const { out, quick } = parseOptions(["--out=a", "--quick"], OPTIONS).values;
  assertEquals([out, quick], ["a", true]);
  assertEquals(parseOptions([], OPTIONS).values.quick, false);
  // A list option is given once per entry.
  assertEquals(parseOptions(["--read", "a", "--read", "b"], OPTIONS).values.read, ["a", "b"]);
});

Deno.test("parseOptions refuses a repeated option, which parseArgs would let the last one win", () => {
  assertThrows(
    () => parseOptions(["--out", "a", "--out", "b"], OPTIONS),
    UsageError,
    "--out given twice: give it once",
  );
  assertThrows(
    () => parseOptions(["--quick", "--quick", "--quick"], OPTIONS),
    UsageError,
    "--quick given 3 times: give it once",
  );
});

Deno.test("parseOptions refuses an empty value, an unknown option and a missing value", () => {
  assertThrows(() => parseOptions(["--out="], OPTIONS), UsageError, "--out: an empty value");
  assertThrows(() => parseOptions(["--out", ""], OPTIONS), UsageError, "--out: an empty value");
  const unknown = assertThrows(() => parseOptions(["--bogus"], OPTIONS), UsageError);
  // The first sentence of node:util's message, which names the option, and nothing after it.
  assertEquals(unknown.message, "Unknown option '--bogus'");
  assertThrows(
    () => parseOptions(["--out"], OPTIONS),
    UsageError,
    "Option '--out <value>' argument missing",
  );
  assertThrows(
    () => parseOptions(["--out", "-1"], OPTIONS),
    UsageError,
    "(a value starting with a dash: --name=-1)",
  );
});

Deno.test("parseOptions refuses arguments that are not options unless the script takes them", () => {
  assertThrows(
    () => parseOptions(["notes.ipynb"], OPTIONS),
    UsageError,
    'unexpected argument "notes.ipynb" (the script takes options only)',
  );
  assertEquals(
    parseOptions(["--quick", "a.ipynb", "b.ipynb"], OPTIONS, { allowPositionals: true })
      .positionals,
    ["a.ipynb", "b.ipynb"],
  );
});

Deno.test("integerOption takes decimal integers in the range only", () => {
  assertEquals(integerOption("cpus", "16", 1, 256), 16);
  assertEquals(integerOption("quiet", "0", 0, 10), 0);
  for (const text of ["0", "257", "0x10", "1e2", "1.5", "-3", " 4", ""]) {
    assertThrows(
      () => integerOption("cpus", text, 1, 256),
      UsageError,
      `--cpus ${text}: must be an integer in 1..256`,
    );
  }
  assertThrows(() => integerOption("n", "9".repeat(20), 1, Number.MAX_SAFE_INTEGER), UsageError);
});
