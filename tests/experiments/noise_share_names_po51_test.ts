/**
 * "Noise fraction" named two things: Demure's rho (the share of each user's modalities it treats
 * as noise) and the synthetic data's planted share of noise modalities (`noiseFraction`, the
 * noise-level experiment's axis). Each has its own name in prose: the denoising ratio rho and the
 * planted noise share. The code identifiers stay (`SyntheticConfig.noiseFraction` is in every
 * stored synthetic cell's settings and key; `DEFAULT_NOISE_FRACTION` is exported), so the phrase is
 * looked for outside code spans only.
 */
import { assert, assertEquals } from "@std/assert";

const root = new URL("../../", import.meta.url).pathname;

/** The bare phrase, across a line break or with a hyphen too ("noise-fraction cells"). */
const AMBIGUOUS = /noise[\s-]+fractions?/gi;

/** Each occurrence of the bare phrase in `markdown`, outside fenced blocks and code spans. */
function unqualifiedNoiseFraction(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`]*`/g, "");
  return [...prose.matchAll(AMBIGUOUS)].map((match) =>
    prose.slice(Math.max(0, match.index - 40), match.index + match[0].length + 20)
      .replace(/\s+/g, " ")
  );
}

/** The markdown of the docs (docs/*.md, README.md) and of the notebooks' markdown cells. */
function markdownTexts(): { origin: string; text: string }[] {
  const texts = [{ origin: "README.md", text: Deno.readTextFileSync(`${root}README.md`) }];
  for (const entry of Deno.readDirSync(`${root}docs`)) {
    if (!entry.isFile || !entry.name.endsWith(".md")) continue;
    texts.push({
      origin: `docs/${entry.name}`,
      text: Deno.readTextFileSync(`${root}docs/${entry.name}`),
    });
  }
  for (const entry of Deno.readDirSync(`${root}notebooks`)) {
    if (!entry.name.endsWith(".ipynb")) continue;
    const notebook = JSON.parse(Deno.readTextFileSync(`${root}notebooks/${entry.name}`)) as {
      cells: { cell_type: string; source: string[] | string }[];
    };
    notebook.cells.forEach((cell, index) => {
      if (cell.cell_type !== "markdown") return;
      const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      texts.push({ origin: `notebooks/${entry.name}, cell ${index}`, text });
    });
  }
  return texts;
}

Deno.test("unqualifiedNoiseFraction: the bare phrase in prose, not identifiers in code", () => {
  assertEquals(unqualifiedNoiseFraction("sensitive to the noise fraction ρ").length, 1);
  assertEquals(unqualifiedNoiseFraction("at noise\nfractions 0.25 and 0.75").length, 1);
  assertEquals(unqualifiedNoiseFraction("4 Noise-fraction cells").length, 1);
  assertEquals(
    unqualifiedNoiseFraction(
      "the planted noise share (`noiseFraction`), `DEFAULT_NOISE_FRACTION`, the denoising ratio",
    ),
    [],
  );
  assertEquals(unqualifiedNoiseFraction("```ts\nconst noise fraction = 1;\n```"), []);
});

Deno.test("docs/, README.md and the notebooks' markdown name rho and the planted share apart", () => {
  const texts = markdownTexts();
  assert(texts.filter((t) => t.origin.startsWith("notebooks/")).length > 20, "notebook cells");
  const found = texts.flatMap(({ origin, text }) =>
    unqualifiedNoiseFraction(text).map((context) => `${origin}: ...${context}...`)
  );
  assertEquals(
    found,
    [],
    'say "denoising ratio rho" (Demure\'s share treated as noise) or "planted noise share" (the ' +
      "synthetic data's)",
  );
  // Both names are in use where the two meanings are explained (docs/configuration.md).
  const configuration = Deno.readTextFileSync(`${root}docs/configuration.md`);
  assert(configuration.includes("denoising ratio"), "docs/configuration.md: denoising ratio");
  assert(configuration.includes("planted noise share"), "docs/configuration.md: planted share");
});
