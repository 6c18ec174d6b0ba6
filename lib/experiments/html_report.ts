/**
 * The HTML report of a reproduction (`report.html`, self-contained: plotly.js inlined once): the
 * markdown report's tables plus figures (main tables, noise level, attribution quality, and the
 * diagnosis curves of Demure against its backbone). {@linkcode writeReport} writes it with
 * `summary.json` and `summary.md`.
 *
 * @example
 * ```ts
 * const paths = await writeReport(summarise(outcome), "results/full");
 * console.log(paths.html);
 * ```
 */
import { writeFilesAtomically } from "../data/atomic_write.ts";
import { groupedBars } from "../viz/grouped_bars.ts";
import { type FigureSection, renderHtmlReport, type ReportSection } from "../viz/html_report.ts";
import { lineWithBands, symmetricBand } from "../viz/line_bands.ts";
import { summaryMarkdown } from "./markdown_report.ts";
import type { Diagnosis, ReproductionSummary } from "./summary.ts";

/** A finite series only (plotly figures refuse NaN): epochs without a value are dropped. */
function finitePoints(x: number[], y: number[]): { x: number[]; y: number[] } {
  const keep = y.map((v, i) => Number.isFinite(v) && Number.isFinite(x[i]));
  return { x: x.filter((_, i) => keep[i]), y: y.filter((_, i) => keep[i]) };
}

/**
 * The figures of one diagnosis: validation NDCG@10, L_rec and lambda L_cl per epoch for the
 * backbone and Demure, Demure's noise rate per modality per epoch, and the gain by item popularity.
 *
 * @example
 * ```ts
 * for (const section of diagnosisFigures(summary.diagnosis[0])) await display(section.figure);
 * ```
 */
export function diagnosisFigures(d: Diagnosis): FigureSection[] {
  const sections: FigureSection[] = [];
  const curve = (name: string, pick: (c: (typeof d.curves)[number]) => number[]) => ({
    kind: "figure" as const,
    caption: `${d.dataset}: ${name} per epoch, SASRec-MM and Demure-SASRec (first seed)`,
    figure: lineWithBands({
      title: `${name} (${d.dataset})`,
      xTitle: "epoch",
      yTitle: name,
      series: d.curves.map((c) => ({ name: c.system, ...finitePoints(c.epochs, pick(c)) })),
    }),
  });
  sections.push(curve("validation NDCG@10", (c) => c.validNdcg));
  sections.push(curve("L_rec", (c) => c.recommendationLoss));
  const demure = d.curves[1];
  if (demure.auxiliaryLoss.some((v) => v !== 0)) {
    sections.push(curve("lambda L_cl", (c) => c.auxiliaryLoss));
  }
  if (demure.noiseRate && Object.keys(demure.noiseRate).length > 0) {
    sections.push({
      kind: "figure",
      caption:
        `${d.dataset}: share of each modality's pairs masked as noise, per epoch (first seed)`,
      figure: lineWithBands({
        title: `Noise rate per modality (${d.dataset}, Demure-SASRec)`,
        xTitle: "epoch",
        yTitle: "noise rate",
        series: Object.entries(demure.noiseRate).map(([modality, rates]) => ({
          name: modality,
          ...finitePoints(demure.epochs.slice(0, rates.length), rates),
        })),
      }),
    });
  }
  if (d.popularity.length > 0) {
    sections.push({
      kind: "figure",
      caption: `${d.dataset}: test NDCG@10 by training interactions of the test item ` +
        "(each user's NDCG@10 averaged over the main table's seeds)",
      figure: groupedBars({
        categories: d.popularity.map((b) => `${b.label} (${b.users} users)`),
        series: ["SASRec-MM", "Demure-SASRec"].map((system) => ({
          name: system,
          values: d.popularity.map((b) => b.bySystem[system]?.["NDCG@10"] ?? 0),
        })),
        title: `Test NDCG@10 by item popularity (${d.dataset})`,
        yTitle: "test NDCG@10",
      }),
    });
  }
  return sections;
}

/** The HTML report's sections: the markdown report plus figures. */
export function reportSections(summary: ReproductionSummary): ReportSection[] {
  const sections: ReportSection[] = [{ kind: "text", markdown: summaryMarkdown(summary) }];
  for (const [label, { rows }] of Object.entries(summary.main)) {
    if (rows.length === 0) continue;
    sections.push({
      kind: "figure",
      caption: `${label}: test NDCG@10 and HR@10, mean ± std over seeds`,
      figure: groupedBars({
        categories: rows.map((r) => r.system),
        series: ["NDCG@10", "HR@10"].map((metric) => ({
          name: metric,
          values: rows.map((r) => r.test[metric].mean),
          errors: rows.map((r) => r.test[metric].std),
        })),
        title: `Main table: ${label}`,
      }),
    });
  }
  for (const d of summary.diagnosis) sections.push(...diagnosisFigures(d));
  const noise = summary.noiseLevel.filter((n) =>
    Number.isFinite(n.multiModal.mean + n.demure.mean + n.multiModal.std + n.demure.std)
  );
  if (noise.length > 1) {
    const x = noise.map((n) => n.noiseFraction);
    sections.push({
      kind: "figure",
      caption: "Test NDCG@10 as the fraction of each user's modalities that are noise grows",
      figure: lineWithBands({
        title: "Noise level (synthetic)",
        xTitle: "noise fraction",
        yTitle: "test NDCG@10",
        series: (["multiModal", "demure"] as const).map((key) => ({
          name: key === "demure" ? "Demure-SASRec" : "SASRec-MM",
          x,
          y: noise.map((n) => n[key].mean),
          band: symmetricBand(noise.map((n) => n[key].mean), noise.map((n) => n[key].std)),
        })),
      }),
    });
  }
  if (summary.attribution.length > 0) {
    const methods = [...new Set(summary.attribution.map((a) => a.method))];
    const systems = [...new Set(summary.attribution.map((a) => a.system))];
    sections.push({
      kind: "figure",
      caption: "ROC-AUC of the noise scores against the planted truth, per attribution method",
      figure: groupedBars({
        categories: methods,
        series: systems.map((system) => ({
          name: system,
          values: methods.map((m) =>
            summary.attribution.find((a) => a.system === system && a.method === m)?.rocAuc.mean ?? 0
          ),
        })),
        title: "Attribution quality (synthetic)",
        yTitle: "ROC-AUC (pairs)",
      }),
    });
  }
  return sections;
}

/** Writes summary.json, summary.md and report.html under `directory` (atomically). */
export async function writeReport(
  summary: ReproductionSummary,
  directory: string,
): Promise<{ json: string; markdown: string; html: string }> {
  Deno.mkdirSync(directory, { recursive: true });
  const paths = {
    json: `${directory}/summary.json`,
    markdown: `${directory}/summary.md`,
    html: `${directory}/report.html`,
  };
  const html = await renderHtmlReport(reportSections(summary), {
    title: `Demure reproduction (${summary.mode})`,
  });
  writeFilesAtomically([
    { path: paths.json, data: JSON.stringify(summary, null, 1) },
    { path: paths.markdown, data: summaryMarkdown(summary) },
    { path: paths.html, data: html },
  ]);
  return paths;
}
