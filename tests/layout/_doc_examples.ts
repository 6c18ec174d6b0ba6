/**
 * The code examples a reader copies: the TypeScript blocks of README.md and docs/*.md, and the
 * `@example` blocks of the root mod.ts's symbols (what `deno doc mod.ts` shows). Shared by
 * doc_examples_test.ts (the markdown examples run as written; the root's examples name only what
 * it exports) and doc_examples49_test.ts (every one of them type-checks against today's API).
 */
import { assert, assertEquals } from "@std/assert";

/** The project folder, with a trailing slash. */
export const root = new URL("../../", import.meta.url).pathname;

/** README.md and every docs/*.md, relative to the project folder. */
export const documents = [
  "README.md",
  ...[...Deno.readDirSync(`${root}docs`)]
    .filter((entry) => entry.isFile && entry.name.endsWith(".md"))
    .map((entry) => `docs/${entry.name}`)
    .sort(),
];

/** A fenced TypeScript block of a markdown file. */
export interface MarkdownBlock {
  /** The line of its opening fence (1-based). */
  line: number;
  /** Its text, without the fences. */
  code: string;
  /**
   * Marked a fragment (```ts ignore): a piece of a larger program that does not stand alone, so
   * neither run nor type-checked.
   */
  ignore: boolean;
}

/** The words after an opening fence that make a block TypeScript: `ts`, `typescript`. */
const TYPESCRIPT_FENCE = /^```(?:ts|typescript)(?:\s+(.*))?$/;

/** Every fenced block of a markdown file: its opening line, the words after its fence, its text. */
export function fencedBlocks(markdown: string): { line: number; info: string; code: string }[] {
  const blocks: { line: number; info: string; code: string }[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const opening = lines[i].trim();
    if (!opening.startsWith("```")) continue;
    const end = lines.findIndex((text, j) => j > i && text.trim() === "```");
    assert(end > i, `an unclosed \`\`\` block at line ${i + 1}`);
    blocks.push({
      line: i + 1,
      info: opening.slice(3).trim(),
      code: lines.slice(i + 1, end).join("\n"),
    });
    i = end;
  }
  return blocks;
}

/**
 * The TypeScript blocks (```ts or ```typescript, optionally followed by `ignore`) of a markdown
 * file. Any other word after the language is refused, so a misspelt marker cannot hide a block.
 */
export function typeScriptBlocks(markdown: string): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  for (const { line, info, code } of fencedBlocks(markdown)) {
    const fence = TYPESCRIPT_FENCE.exec(`\`\`\`${info}`);
    if (!fence) continue;
    const marker = (fence[1] ?? "").trim();
    assert(
      marker === "" || marker === "ignore",
      `line ${line}: "\`\`\`${info}": after the language only "ignore" (a fragment) is known`,
    );
    blocks.push({ line, code, ignore: marker === "ignore" });
  }
  return blocks;
}

/** Every lib/<folder>/mod.ts, relative to the project folder, in name order. */
export function folderModules(): string[] {
  return [...Deno.readDirSync(`${root}lib`)].filter((entry) => entry.isDirectory)
    .map((entry) => `lib/${entry.name}/mod.ts`).sort();
}

/** Every export of every lib/<folder>/mod.ts, by name (the root's are among them). */
export async function folderExports(): Promise<Record<string, unknown>> {
  const exported: Record<string, unknown> = {};
  for (const module of folderModules()) Object.assign(exported, await import(`${root}${module}`));
  return exported;
}

/** `deno doc --json` of `modules`: per module, its symbols (with their doc comments). */
export async function docJson(modules: string[]): Promise<Record<string, unknown>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...modules],
    cwd: root,
    stdout: "piped",
    stderr: "null", // @types/node's unresolved references: warnings, not errors
  }).output();
  assertEquals(output.code, 0, `deno doc --json ${modules.join(" ")} failed`);
  return JSON.parse(new TextDecoder().decode(output.stdout)).nodes;
}

/** The names `module` (an entry of {@linkcode docJson}'s answer) exports. */
export function exportedNames(module: unknown): string[] {
  return (module as { symbols: { name: string }[] }).symbols.map((symbol) => symbol.name);
}

/** An `@example` of a symbol's doc comment. */
export interface SymbolExample {
  /** The exported symbol whose doc comment (or a member's) holds it. */
  symbol: string;
  /** Its code, without the fences. */
  code: string;
  /** Marked a fragment (```ts ignore), as {@linkcode MarkdownBlock.ignore}. */
  ignore: boolean;
}

/** Every `@example` under `value` (a symbol, its members, their members), with its symbol. */
export function examplesOf(value: unknown, symbol: string, found: SymbolExample[]) {
  if (Array.isArray(value)) {
    for (const item of value) examplesOf(item, symbol, found);
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record.kind === "example" && typeof record.doc === "string") {
      // The tag's text is the fenced block; its fences are not code (nor template literals).
      const opening = /^\s*```([^\n]*)\n/.exec(record.doc)?.[1] ?? "";
      found.push({
        symbol,
        code: record.doc.replace(/^\s*```[^\n]*\n|```\s*$/g, ""),
        ignore: /\signore\b/.test(opening),
      });
    }
    for (const item of Object.values(record)) examplesOf(item, symbol, found);
  }
}

/**
 * The names `code` declares with `const`, `let`, `var`, `function` or `class` (each name of a
 * destructuring, too; a `for ... of` loop's variable), at any depth. Strings and comments are not
 * set apart: callers blank them.
 */
export function namesDeclared(code: string): Set<string> {
  const declared = new Set<string>();
  for (const [, names] of code.matchAll(/\b(?:const|let|var|function|class)\s+([^=;(]+)/g)) {
    // `for (const batch of trainingBatches(...))` declares `batch`, not what it iterates.
    const left = names.split(/\s(?:of|in)\s/)[0];
    for (const [name] of left.matchAll(/[A-Za-z_$][\w$]*/g)) declared.add(name);
  }
  return declared;
}

/**
 * The names `code` reads that it does not declare: identifiers that are not a property (`a.b`'s
 * `b`; a spread `...b` is read), not an object key (`{ b: 1 }`), not in a string or a comment.
 */
export function namesRead(code: string): Set<string> {
  const bare = code
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""')
    .replace(/\/\/.*$/gm, "")
    .replace(/\/\*[\s\S]*?\*\//g, "");
  const declared = namesDeclared(bare);
  const read = new Set<string>();
  const keywords = new Set(["await", "const", "for", "let", "new", "of", "return", "typeof"]);
  for (const match of bare.matchAll(/(?<![\w$])[A-Za-z_$][\w$]*/g)) {
    const before = bare.slice(0, match.index);
    const after = bare.slice(match.index + match[0].length);
    if (before.endsWith(".") && !before.endsWith("...")) continue;
    if (/^\s*:(?!:)/.test(after) && /[{,]\s*$/.test(before)) continue;
    if (!declared.has(match[0]) && !keywords.has(match[0])) read.add(match[0]);
  }
  return read;
}
