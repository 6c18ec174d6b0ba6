/**
 * docs/method.md's "concrete design (file, option, default)" table, which the README names as
 * the home of the workspace's documented defaults, against the `DEFAULT_X` constants the code
 * runs with: each value the table states (d = 64, 2 blocks, tau = 0.2, rho = 0.3, 30 warm-up
 * steps, ...) is read from the page and compared with the constant's field, so that a changed
 * default or a changed page fails here. A row reworded so that its statement is no longer found
 * fails too: the statement is then read anew, not silently skipped.
 */
import { assert, assertEquals } from "@std/assert";
import { DEFAULT_ATTRIBUTION_CONFIG } from "../../lib/attribution/mod.ts";
import { DEFAULT_SPLIT } from "../../lib/data/mod.ts";
import { DEFAULT_DEMURE_CONFIG } from "../../lib/demure/mod.ts";
import { DEFAULT_ENCODER_CONFIG, DEFAULT_FUSION_CONFIG } from "../../lib/encoders/mod.ts";
import { DEFAULT_INFO_NCE_CONFIG, DEFAULT_RECOMMENDATION_LOSS } from "../../lib/losses/mod.ts";
import { DEFAULT_MODEL_CONFIG, DEFAULT_SASREC_CONFIG } from "../../lib/models/mod.ts";

const page = Deno.readTextFileSync(new URL("../../docs/method.md", import.meta.url));

/** The table's rows: the step (first cell) to its default (third cell). */
function designRows(): Map<string, string> {
  const start = page.indexOf("## The concrete design");
  assert(start >= 0, "docs/method.md has no design table");
  const rows = new Map<string, string>();
  for (const line of page.slice(start).split("\n").slice(1)) {
    if (rows.size > 0 && !line.startsWith("|")) break;
    if (!line.startsWith("| ") || line.startsWith("| step") || line.startsWith("| ---")) continue;
    const [step, , value] = line.split("|").slice(1, 4).map((cell) => cell.trim());
    rows.set(step.replaceAll("`", ""), value);
  }
  return rows;
}

/** What one row states: a pattern of its default cell, and the code's values of its groups. */
interface Statement {
  step: string;
  pattern: RegExp;
  /** Each captured group, as the page writes it, against the code's value. */
  code: (string | number)[];
}

const ORDINALS: Readonly<Record<string, number>> = { every: 1, "every second": 2 };

const STATEMENTS: readonly Statement[] = [
  { step: "modality encoders e_{i,m}", pattern: /\bd = (\d+)/, code: [DEFAULT_ENCODER_CONFIG.dim] },
  { step: "modality encoders e_{i,m}", pattern: /\bd = (\d+)/, code: [DEFAULT_MODEL_CONFIG.dim] },
  {
    step: "masked fusion v = fuse(w * e)",
    pattern: /^masked (mean) over present modalities/,
    code: [DEFAULT_FUSION_CONFIG.kind],
  },
  {
    step: "backbone",
    pattern: /^(SASRec): (\d+) blocks, (\d+) head, dropout ([\d.]+)/,
    code: [
      DEFAULT_MODEL_CONFIG.backbone === "sasrec" ? "SASRec" : DEFAULT_MODEL_CONFIG.backbone,
      DEFAULT_SASREC_CONFIG.blocks,
      DEFAULT_SASREC_CONFIG.heads,
      DEFAULT_SASREC_CONFIG.dropout,
    ],
  },
  {
    step: "recommendation loss",
    pattern: /^(cross-entropy) over all items, at (every position|the last position)/,
    code: [
      DEFAULT_RECOMMENDATION_LOSS.kind.replace("_", "-"),
      DEFAULT_RECOMMENDATION_LOSS.positions === "all" ? "every position" : "the last position",
    ],
  },
  {
    step: "contribution",
    pattern: /^(gradient x input)/,
    code: [DEFAULT_ATTRIBUTION_CONFIG.method.replaceAll("_", " ")],
  },
  {
    step: "loss attributed",
    pattern: /up to (\d+) of them/,
    code: [DEFAULT_SPLIT.maxLength],
  },
  {
    step: "loss attributed",
    pattern: /up to (\d+) of them/,
    code: [DEFAULT_MODEL_CONFIG.maxLength],
  },
  {
    step: "normalisation, selection",
    pattern:
      /^(z-score) per user window .* bottom rho = ([\d.]+) of the user's \((user, modality)\)/,
    code: [
      DEFAULT_DEMURE_CONFIG.attribution.normalisation === "zscore" ? "z-score" : "rank",
      DEFAULT_DEMURE_CONFIG.rho,
      DEFAULT_DEMURE_CONFIG.attribution.granularity.replace("_", ", "),
    ],
  },
  {
    step: "schedule",
    pattern:
      /^after (\d+) warm-up (steps); a window's mask is computed at (every second|every) visit/,
    code: [
      DEFAULT_DEMURE_CONFIG.warmupSteps,
      DEFAULT_DEMURE_CONFIG.warmupBy,
      DEFAULT_DEMURE_CONFIG.everyVisits,
    ],
  },
  {
    step: "contrastive loss",
    pattern: /^InfoNCE, (cosine), tau = ([\d.]+)/,
    code: [DEFAULT_INFO_NCE_CONFIG.similarity, DEFAULT_DEMURE_CONFIG.temperature],
  },
  {
    step: "contrastive loss",
    pattern: /^InfoNCE, (cosine), tau = ([\d.]+)/,
    code: [DEFAULT_INFO_NCE_CONFIG.similarity, DEFAULT_INFO_NCE_CONFIG.temperature],
  },
  {
    step: "total",
    pattern: /lambda L_cl`, lambda = ([\d.]+)/,
    code: [DEFAULT_DEMURE_CONFIG.lambda],
  },
];

/** A captured group as the value it states: a number, an ordinal ("every second": 2), or text. */
function stated(text: string): string | number {
  if (text in ORDINALS) return ORDINALS[text];
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

Deno.test("docs/method.md's design table states the code's defaults", () => {
  const rows = designRows();
  const wrong: string[] = [];
  for (const { step, pattern, code } of STATEMENTS) {
    const cell = rows.get(step);
    assert(
      cell !== undefined,
      `docs/method.md: no design row "${step}" (rows: ${[...rows.keys()]})`,
    );
    const match = pattern.exec(cell);
    assert(match !== null, `docs/method.md "${step}": ${pattern} not found in "${cell}"`);
    const page = match.slice(1).map(stated);
    if (JSON.stringify(page) !== JSON.stringify(code)) {
      wrong.push(
        `${step}: the page says ${JSON.stringify(page)}, the code ${JSON.stringify(code)}`,
      );
    }
  }
  assertEquals(wrong, []);
});

Deno.test("the ordinals the table uses read as the counts they say", () => {
  assertEquals(stated("every second"), 2);
  assertEquals(stated("every"), 1);
  assertEquals(stated("0.3"), 0.3);
  assertEquals(stated("steps"), "steps");
});
