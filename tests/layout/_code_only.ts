/**
 * A module's text with its comments and the text of its string, template and regular expression
 * literals blanked (newlines kept, so line numbers stay), for layout checks that look for calls in
 * the code a module runs itself: code written inside a literal is run, if at all, by another
 * process (`deno eval`, a script written to a file). A template's `${...}` interpolations are code
 * of the module and stay.
 *
 * A lexer, not a parser: a `/` starts a regular expression after an operator, an opening bracket,
 * a comma or semicolon, the start, or a keyword such as `return`; elsewhere it divides.
 */

/** Keywords after which a `/` starts a regular expression rather than dividing. */
const BEFORE_AN_EXPRESSION = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

/** `source` with comments and literal text blanked; see the module's documentation. */
export function codeOnly(source: string): string {
  let out = "";
  let i = 0;
  // The last code token before `i`: an identifier or keyword, or one punctuation character.
  let previous = "";
  const blankTo = (end: number) => {
    out += source.slice(i, end).replace(/[^\n]/g, " ");
    i = end;
  };
  const regexMayStart = () =>
    previous === "" || BEFORE_AN_EXPRESSION.has(previous) || !/^[\w$)\]}]/.test(previous);

  /** Code up to the end, or (in an interpolation) up to its closing `}`, left unread. */
  const code = (interpolation: boolean): void => {
    let depth = 0;
    while (i < source.length) {
      const c = source[i];
      const next = source[i + 1];
      if (c === "/" && next === "/") {
        const end = source.indexOf("\n", i);
        blankTo(end < 0 ? source.length : end);
      } else if (c === "/" && next === "*") {
        const end = source.indexOf("*/", i + 2);
        blankTo(end < 0 ? source.length : end + 2);
      } else if (c === '"' || c === "'") {
        blankTo(quotedEnd(source, i));
        previous = "literal";
      } else if (c === "`") {
        blankTo(i + 1);
        template();
        previous = "literal";
      } else if (c === "/" && regexMayStart()) {
        blankTo(regexEnd(source, i));
        previous = "literal";
      } else if (interpolation && c === "}" && depth === 0) {
        return;
      } else {
        if (c === "{") depth++;
        if (c === "}") depth--;
        const word = /^[\w$]+/.exec(source.slice(i, i + 64))?.[0];
        const token = word ?? c;
        out += token;
        i += token.length;
        if (/\S/.test(token)) previous = token;
      }
    }
  };

  /** A template's text after its opening backtick, through its closing one. */
  const template = (): void => {
    while (i < source.length) {
      const c = source[i];
      if (c === "\\") blankTo(Math.min(i + 2, source.length));
      else if (c === "`") return blankTo(i + 1);
      else if (c === "$" && source[i + 1] === "{") {
        blankTo(i + 2);
        previous = "";
        code(true);
        blankTo(Math.min(i + 1, source.length));
      } else blankTo(i + 1);
    }
  };

  code(false);
  return out;
}

/** The index after the string literal that opens at `start` (its quote), or at the line's end. */
function quotedEnd(source: string, start: number): number {
  const quote = source[start];
  let j = start + 1;
  while (j < source.length && source[j] !== quote && source[j] !== "\n") {
    j += source[j] === "\\" ? 2 : 1;
  }
  return Math.min(j + 1, source.length);
}

/** The index after the regular expression literal (and its flags) that opens at `start`. */
function regexEnd(source: string, start: number): number {
  let j = start + 1;
  let inClass = false;
  while (j < source.length && source[j] !== "\n") {
    const c = source[j];
    if (c === "\\") j++;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) break;
    j++;
  }
  j++;
  while (j < source.length && /\w/.test(source[j])) j++;
  return Math.min(j, source.length);
}
