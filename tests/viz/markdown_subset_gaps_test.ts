/**
 * Edges of the report's Markdown subset (lib/viz/_markdown.ts) that tests/viz/html_test.ts does not
 * reach: a paragraph right before a heading, table or fence (no blank line) stays before it; a
 * "```" inside a line opens no block; an empty code span is text; headings and table cells keep
 * the inline markup. Found by mutation round NB.
 */
import { assertEquals } from "@std/assert";
import { markdownToHtml } from "../../lib/viz/_markdown.ts";

Deno.test("markdown subset: a paragraph directly above a heading, table or fence stays above it", () => {
  // Without the flush the paragraph was emitted at the next blank line: below the block (NB20-22).
  assertEquals(
    markdownToHtml("intro\n## Results\nafter"),
    "<p>intro</p>\n<h2>Results</h2>\n<p>after</p>",
  );
  assertEquals(
    markdownToHtml("intro\n| a |\n| --- |\n| 1 |"),
    "<p>intro</p>\n<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
  );
  assertEquals(
    markdownToHtml("intro\n```\nusers 671\n```"),
    "<p>intro</p>\n<pre><code>users 671</code></pre>",
  );
});

Deno.test("markdown subset: a fence opens only at the start of a line; an empty code span is text", () => {
  // "```" inside a sentence swallowed the rest of the text as code (NB16); "``" became an empty
  // <code> (NB24).
  assertEquals(
    markdownToHtml("write ``` to open a block\nnext line"),
    "<p>write ``` to open a block next line</p>",
  );
  assertEquals(markdownToHtml("a `` b"), "<p>a `` b</p>");
});

Deno.test("markdown subset: headings and table cells keep bold, emphasis and code spans", () => {
  // The subset promises its inline markup in every block, not only in paragraphs (NB27, NB28).
  assertEquals(
    markdownToHtml("## **Main** *table* `x`"),
    "<h2><strong>Main</strong> <em>table</em> <code>x</code></h2>",
  );
  assertEquals(
    markdownToHtml("| **best** | *b* |\n| --- | --- |\n| `c*d` | **0.1 ± 0.2** |"),
    "<table><thead><tr><th><strong>best</strong></th><th><em>b</em></th></tr></thead>" +
      "<tbody><tr><td><code>c*d</code></td><td><strong>0.1 ±&nbsp;0.2</strong></td></tr></tbody></table>",
  );
});

Deno.test("markdown subset: a separator row under a line that is no table row makes no table", () => {
  // Read as a header, "intro" became a one-cell table headed "ntr" (NB59).
  assertEquals(markdownToHtml("intro\n| --- |"), "<p>intro | --- |</p>");
});

Deno.test("a pipe table reads \\| as a | inside its cell, as GitHub's tables do", () => {
  const html = markdownToHtml("| a\\|b | c |\n| --- | --- |\n| x\\|y | z |");
  assertEquals(
    html,
    "<table><thead><tr><th>a|b</th><th>c</th></tr></thead>" +
      "<tbody><tr><td>x|y</td><td>z</td></tr></tbody></table>",
  );
});
