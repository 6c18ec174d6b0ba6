/**
 * The Ranges tables of docs/configuration.md read as data, and the boundary cases each documented
 * range implies: the values at both ends that must be accepted and the values just outside, of
 * the wrong kind, NaN, the infinities, a number as text and null that must be refused. The audits
 * (tests/train/settings_audit_test.ts, tests/experiments/config_audit_test.ts) run every case
 * through the resolver users call, so the page and the validators cannot disagree unnoticed.
 */
import { assert, assertEquals } from "@std/assert";
import { SettingError } from "../lib/util/settings.ts";

/** One end of a documented numeric range. */
export interface Bound {
  /** The bound's value (`2^31 - 1` read as 2147483647). */
  value: number;
  /** `>=` / `<=` (true) or `>` / `<` (false). */
  inclusive: boolean;
}

/** What the Allowed column of a row says, as far as a boundary test can use it. */
export type Allowed =
  | { kind: "number"; integer: boolean; optional: boolean; low?: Bound; high?: Bound }
  | { kind: "oneOf"; values: string[]; optional: boolean }
  | { kind: "boolean" }
  | { kind: "unparsed"; text: string };

/** A row of a Ranges table. */
export interface DocumentedSetting {
  /** The field, nested ones as `a.b`. */
  field: string;
  /** The Allowed column as written. */
  text: string;
  /** What it says. */
  allowed: Allowed;
}

const page = Deno.readTextFileSync(new URL("../docs/configuration.md", import.meta.url));

/**
 * The rows of the three-column table (Field, Default, Allowed) under the `### ` heading whose
 * first backticked name is `object`, or of the table whose first header cell names it (the
 * `PlanOptions` table under "Experiment plan"). Throws when the page has no such table.
 */
export function documentedSettings(object: string): DocumentedSetting[] {
  const lines = page.split("\n");
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith("### ")) heading = line.match(/`([^`]+)`/)?.[1] ?? line;
    if (!line.startsWith("|") || lines[i - 1]?.startsWith("|")) continue;
    const header = cells(line);
    const named = heading === object || header[0].includes(`\`${object}\``);
    if (!named || header.length !== 3) continue;
    const rows: DocumentedSetting[] = [];
    for (let j = i + 2; j < lines.length && lines[j].startsWith("|"); j++) {
      const [fields, , text] = cells(lines[j]);
      for (const field of fields.split(",").map((f) => f.trim().replaceAll("`", ""))) {
        rows.push({ field, text, allowed: parseAllowed(text) });
      }
    }
    return rows;
  }
  throw new Error(`docs/configuration.md has no Ranges table of ${object}`);
}

function cells(line: string): string[] {
  return line.split("|").slice(1, -1).map((cell) => cell.trim());
}

function bound(text: string): number {
  const power = text.match(/^2\^(\d+)( - 1)?$/);
  if (power) return 2 ** Number(power[1]) - (power[2] ? 1 : 0);
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`not a bound: ${text}`);
  return value;
}

/**
 * The Allowed text as a range, a list of strings or true/false. What follows a `;` and what is in
 * parentheses is commentary (a count's rounding, a unit) and is not read; a range that depends on
 * another setting or on the data (`<= numItems`, "a non-empty list ...") is `unparsed`.
 */
export function parseAllowed(text: string): Allowed {
  let t = text.replaceAll("`", "");
  for (let before = ""; before !== t;) [before, t] = [t, t.replace(/\s*\([^()]*\)/g, "")];
  t = t.split(";")[0].trim();
  const optional = t.startsWith("undefined or ");
  if (optional) t = t.slice("undefined or ".length);
  if (t === "true, false") return { kind: "boolean" };
  if (t.startsWith('"') && t.replace(/"[^"]*"/g, "").replace(/[,\s]/g, "") === "") {
    return { kind: "oneOf", values: [...t.matchAll(/"([^"]*)"/g)].map((m) => m[1]), optional };
  }
  const number = t.replace(/^(an? )?(finite )?/, "");
  const integer = number.startsWith("integer");
  const range = number.replace(/^(integer|number)\s*/, "");
  const end = String.raw`(2\^\d+ - 1|2\^\d+|-?\d+(?:\.\d+)?(?:e-?\d+)?)`;
  const m = range.match(new RegExp(`^(>=|>) ${end}(?: and (<=|<) ${end})?(.*)$`));
  // "integer >= 1 that divides dim" keeps its first part; "... and <= numItems" is unparsed.
  if (!m || /^\s*and\b/.test(m[5])) return { kind: "unparsed", text };
  return {
    kind: "number",
    integer,
    optional,
    low: { value: bound(m[2]), inclusive: m[1] === ">=" },
    ...(m[3] ? { high: { value: bound(m[4]), inclusive: m[3] === "<=" } } : {}),
  };
}

const float = new Float64Array(1);
const bits = new BigInt64Array(float.buffer);

/** The next double above `x` (for `x` >= 0) or below it (`direction` -1). */
export function nextDouble(x: number, direction: 1 | -1): number {
  if (x === 0) return direction * Number.MIN_VALUE;
  float[0] = x;
  bits[0] += BigInt(Math.sign(x) * direction);
  return float[0];
}

/** The values a documented range must accept and those it must refuse. */
export interface BoundaryCases {
  /** Both ends of the range (the largest usable value where the range has no upper end). */
  accepted: unknown[];
  /** Just outside each end, a fraction for an integer, the wrong kinds. */
  refused: unknown[];
}

/**
 * The boundary cases of `allowed`; `largest` replaces the top of a range without an upper end
 * (`Number.MAX_SAFE_INTEGER` for integers, `Number.MAX_VALUE` otherwise) where the resolver builds
 * something that size (a plan's trials) or another setting bounds it (SASRec's heads, `dim`).
 */
export function boundaryCases(allowed: Allowed, largest?: number): BoundaryCases {
  const wrongKinds = [null, true, [], {}];
  if (allowed.kind === "boolean") return { accepted: [true, false], refused: ["true", 0, 1, null] };
  if (allowed.kind === "oneOf") {
    const first = allowed.values[0];
    return {
      accepted: allowed.values,
      refused: [first.toUpperCase(), ` ${first}`, "", `${first}s`, 0, ...wrongKinds],
    };
  }
  if (allowed.kind === "unparsed") return { accepted: [], refused: [] };
  const { integer, low, high } = allowed;
  const step = (x: number, direction: 1 | -1) => integer ? x + direction : nextDouble(x, direction);
  const bottom = low === undefined ? undefined : low.inclusive ? low.value : step(low.value, 1);
  const top = largest ??
    (high === undefined
      ? integer ? Number.MAX_SAFE_INTEGER : Number.MAX_VALUE
      : high.inclusive
      ? high.value
      : step(high.value, -1));
  const accepted = bottom === undefined ? [top] : [bottom, top];
  const refused: unknown[] = [NaN, Infinity, -Infinity, String(accepted[0]), ...wrongKinds];
  if (low !== undefined) refused.push(low.inclusive ? step(low.value, -1) : low.value);
  if (high !== undefined) refused.push(high.inclusive ? step(high.value, 1) : high.value);
  if (integer) refused.push(accepted[0] as number + 0.5);
  return { accepted, refused };
}

/** `{ a: { b: value } }` for the path `a.b` under `prefix`. */
export function nested(path: string, value: unknown): Record<string, unknown> {
  return path.split(".").reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<
    string,
    unknown
  >;
}

/**
 * Asserts that `error` refuses `value` of `setting` as the page says: a SettingError naming the
 * setting and holding the very value, whose allowed range states the documented bounds (`>= 1`,
 * `< 1`) and kind (an integer or not), or every documented choice.
 */
export function assertRefusedAsDocumented(
  error: unknown,
  setting: string,
  value: unknown,
  allowed: Allowed,
): void {
  const what = `${setting} = ${String(value)}`;
  assert(error instanceof SettingError, `${what}: expected a SettingError, got ${error}`);
  assertEquals(error.setting, setting, what);
  assert(Object.is(error.value, value), `${what}: the error holds ${String(error.value)}`);
  assert(error.message.startsWith(`${setting} is `), error.message);
  if (allowed.kind === "number") {
    assertEquals(error.allowed.startsWith("an integer"), allowed.integer, error.message);
    for (const [end, ops] of [[allowed.low, [">=", ">"]], [allowed.high, ["<=", "<"]]] as const) {
      if (end === undefined) continue;
      const words = `${end.inclusive ? ops[0] : ops[1]} ${end.value}`;
      assert(error.allowed.includes(words), `${error.message}: the page says ${words}`);
    }
  } else if (allowed.kind === "oneOf") {
    for (const choice of allowed.values) {
      assert(error.allowed.includes(`"${choice}"`), `${error.message}: the page lists ${choice}`);
    }
  } else if (allowed.kind === "boolean") {
    assertEquals(error.allowed, "true or false", error.message);
  }
}

/** A misspelling of `name` a notebook could hold: all lower case, else the last letter doubled. */
export function typoOf(name: string): string {
  const lower = name.toLowerCase();
  return lower !== name ? lower : `${name}${name.at(-1)}`;
}
