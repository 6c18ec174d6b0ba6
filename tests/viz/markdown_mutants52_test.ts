/**
 * Gaps found by hand mutation testing (session 52) of the report's Markdown subset
 * (lib/viz/_markdown.ts): each test fails on a small change a reader of the page would see.
 */
import { assertEquals } from "@std/assert";
import { markdownToHtml } from "../../lib/viz/_markdown.ts";

Deno.test("markdown subset: only #, ## and ### are headings; #### and deeper stay text", () => {
  // The subset has three levels; a deeper one is outside it and, as documented, shows literally.
  assertEquals(markdownToHtml("### Three"), "<h3>Three</h3>");
  assertEquals(markdownToHtml("#### Four"), "<p>#### Four</p>");
  assertEquals(markdownToHtml("###### Six"), "<p>###### Six</p>");
});
