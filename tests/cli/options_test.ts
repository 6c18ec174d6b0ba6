/**
 * The scripts' one reading of a command line (scripts/cli/options.ts): what node:util's parseArgs
 * would let through is refused with a message naming the option.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes, assertThrows } from "@std/assert";
import {
  choiceOption,
  decimalInteger,
  integerOption,
  listOption,
  numberOption,
  parseOptions,
  UsageError,
} from "../../scripts/cli/options.ts";

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
  // The first sentence of node:util's message, which names the option, then the options there are.
  assertEquals(unknown.message, "Unknown option '--bogus' (options: --out, --quick, --read)");
  // A short form is shown with its option; one the script sets on its subprocesses is not.
  const withShort = { ...OPTIONS, help: { type: "boolean", short: "h" } } as const;
  assertEquals(
    assertThrows(() => parseOptions(["-x"], withShort, { hidden: ["read"] }), UsageError).message,
    "Unknown option '-x' (options: --out, --quick, --help/-h)",
  );
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

Deno.test("parseOptions with passOn: the words after -- are the positionals, a word before it is refused by name", () => {
  assertEquals(
    parseOptions(["--quick", "--", "--seeds", "0", "x"], OPTIONS, { passOn: "reproduce" })
      .positionals,
    ["--seeds", "0", "x"],
  );
  // `slurm oops -- --quick` passed "oops" on with the flags, and reproduce refused it (status 1).
  for (const args of [["oops", "--", "--quick"], ["--quick", "oops"], ["oops"]]) {
    assertThrows(
      () => parseOptions(args, OPTIONS, { passOn: "reproduce" }),
      UsageError,
      'unexpected argument "oops" (the command takes options; words for reproduce go after --)',
    );
  }
});

Deno.test("integerOption takes decimal integers in the range only", () => {
  assertEquals(integerOption("cpus", "16", 1, 256), 16);
  assertEquals(integerOption("quiet", "0", 0, 10), 0);
  // Both ends of the range are in it.
  assertEquals(integerOption("cpus", "256", 1, 256), 256);
  assertEquals(integerOption("cpus", "1", 1, 256), 1);
  for (const text of ["0", "257", "0x10", "1e2", "1.5", "-3", " 4", ""]) {
    assertThrows(
      () => integerOption("cpus", text, 1, 256),
      UsageError,
      `--cpus ${text}: must be an integer in 1..256`,
    );
  }
  assertThrows(() => integerOption("n", "9".repeat(20), 1, Number.MAX_SAFE_INTEGER), UsageError);
});

Deno.test("decimalInteger reads plain digits only, and no integer it would have to round", () => {
  assertEquals(decimalInteger("0"), 0);
  assertEquals(decimalInteger("42"), 42);
  assertEquals(decimalInteger(String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
  assertEquals(decimalInteger("-7", { negative: true }), -7);
  // Number() reads each of these as a number: 16, 1000, 2, 3, 5, 5, 0, -7 and (rounded) 1e20.
  const refused = ["0x10", "1e3", "2.0", "0b11", " 5", "5 ", "", "-7", "99999999999999999999"];
  for (const text of [...refused, "9007199254740992", "+5", "x", "1_000"]) {
    assertEquals(decimalInteger(text), NaN, JSON.stringify(text));
  }
  for (const text of ["- 7", "--7", " -7", "-99999999999999999999", "-"]) {
    assertEquals(decimalInteger(text, { negative: true }), NaN, JSON.stringify(text));
  }
});

Deno.test("integerOption takes a minus only where its range holds negative numbers", () => {
  assertEquals(integerOption("shift", "-3", -5, 5), -3);
  assertThrows(
    () => integerOption("shift", "-6", -5, 5),
    UsageError,
    "--shift -6: must be an integer in -5..5",
  );
  assertThrows(
    () => integerOption("shift", " -3", -5, 5),
    UsageError,
    "--shift  -3: must be an integer in -5..5",
  );
  // Where the range starts at 0, "-0" is no way of writing a number (it was read as -0, in range).
  assertThrows(
    () => integerOption("quiet", "-0", 0, 10),
    UsageError,
    "--quiet -0: must be an integer in 0..10",
  );
});

Deno.test("choiceOption and listOption take the allowed values only, a list each entry once", () => {
  const allowed = ["movielens", "beauty"] as const;
  assertEquals(choiceOption("workload", "beauty", allowed), "beauty");
  assertThrows(
    () => choiceOption("workload", "Beauty", allowed),
    UsageError,
    "--workload Beauty: must be one of movielens, beauty",
  );
  // The whole value: an allowed name with more after it is not that name.
  assertThrows(
    () => choiceOption("workload", "beauty2", allowed),
    UsageError,
    "--workload beauty2",
  );
  assertEquals(listOption("runs", "beauty,movielens", allowed), ["beauty", "movielens"]);
  for (const [text, entry] of [["movielens,x", "x"], ["movielens,", ""], ["", ""]]) {
    assertThrows(
      () => listOption("runs", text, allowed),
      UsageError,
      `--runs: "${entry}" is not one of movielens, beauty`,
    );
  }
  assertThrows(
    () => listOption("runs", "beauty,movielens,beauty", allowed),
    UsageError,
    '--runs: "beauty" given twice',
  );
});

Deno.test("numberOption takes decimal numbers in the range only", () => {
  assertEquals(numberOption("smoothing", "0.3", { above: 0, max: 1 }), 0.3);
  assertEquals(numberOption("smoothing", "1", { above: 0, max: 1 }), 1);
  assertEquals(numberOption("smoothing", ".5", { above: 0, max: 1 }), 0.5);
  assertEquals(numberOption("rate", "0", { min: 0, max: 1 }), 0);
  assertEquals(numberOption("shift", "-1.5", { min: -2, max: 0 }), -1.5);
  for (const text of ["0", "1.01", "-0.5", "x", "", "1e-1", "0x1", " 0.5", "0.5.1", "Infinity"]) {
    assertThrows(
      () => numberOption("smoothing", text, { above: 0, max: 1 }),
      UsageError,
      `--smoothing ${text}: must be a number in (0, 1]`,
    );
  }
  assertThrows(
    () => numberOption("rate", "-0.1", { min: 0, max: 1 }),
    UsageError,
    "--rate -0.1: must be a number in [0, 1]",
  );
});

Deno.test("parseOptions names the first of several stray arguments, the one to look at first", () => {
  assertThrows(
    () => parseOptions(["a.ipynb", "--quick", "b.ipynb"], OPTIONS),
    UsageError,
    'unexpected argument "a.ipynb" (the script takes options only)',
  );
});

Deno.test("decimalInteger and integerOption: an empty text is no integer, where a minus is allowed too", () => {
  // Number("") is 0, in most ranges that hold negative numbers.
  assertEquals(decimalInteger("", { negative: true }), NaN);
  assertThrows(
    () => integerOption("shift", "", -5, 5),
    UsageError,
    "--shift : must be an integer in -5..5",
  );
});

Deno.test("numberOption: a point may end the digits (1.) but no white space may follow them", () => {
  // "1." is decimal notation as much as ".5" is; Number("0.5 ") would read 0.5, a value not typed.
  assertEquals(numberOption("smoothing", "1.", { above: 0, max: 1 }), 1);
  for (const text of ["0.5 ", "0.5\n", "."]) {
    assertThrows(
      () => numberOption("smoothing", text, { above: 0, max: 1 }),
      UsageError,
      "must be a number in (0, 1]",
    );
  }
});

Deno.test("runScript: a usage error points at --help (status 2), a failure is one line (status 1), a bug keeps its stack", async () => {
  const fixture = new URL("./_run_script_fixture.ts", import.meta.url).pathname;
  const run = async (ending: string) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", fixture, ending],
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    return [output.code, new TextDecoder().decode(output.stderr)];
  };
  const [usage, failure, status, done, bug] = await Promise.all(
    ["usage", "failure", "status", "done", "bug"].map(run),
  );
  assertEquals(usage, [2, "fixture: --out: an empty value; see --help\n"]);
  // A tool missing is no mistake in the command line: --help would not help.
  assertEquals(failure, [1, "fixture: sbatch: not found\n"]);
  assertEquals(status, [3, ""]);
  assertEquals(done, [0, ""]);
  // Any other error is a bug: it keeps its stack, which a one-line message would lose.
  const [bugCode, bugText] = bug as [number, string];
  assert(bugCode !== 0 && !String(bugText).startsWith("fixture:"), String(bugText));
  assertStringIncludes(String(bugText), "TypeError: cells is undefined");
  assertMatch(String(bugText), /\n\s+at .*_run_script_fixture\.ts:\d+/);
});
