/**
 * `escapeHtml` (lib/viz/_escape.ts) escapes every occurrence of each character, not only the
 * first: the page and table tests (tests/viz/html_test.ts) hold at most one `&` per text.
 */
import { assertEquals } from "@std/assert";
import { escapeHtml } from "../../lib/viz/_escape.ts";

Deno.test("escapeHtml: every &, <, > and double quote, however many, and & first", () => {
  assertEquals(
    escapeHtml('a & b && "c" <d> <<e>> &lt;'),
    "a &amp; b &amp;&amp; &quot;c&quot; &lt;d&gt; &lt;&lt;e&gt;&gt; &amp;lt;",
  );
  // A single quote is left: the workspace writes its attribute values in double quotes.
  assertEquals(escapeHtml("it's"), "it's");
});
