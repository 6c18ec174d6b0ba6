/**
 * A reader of the YAML the Kubernetes manifests are written in (scripts/kubernetes/manifests.ts
 * writes JSON, which YAML reads as flow collections): `{}`, `[]`, double-quoted strings, numbers,
 * true, false and null, read by YAML's rules, not JSON's. Where the two differ it follows YAML:
 * its escapes (`\0 \a \v \e \N \_ \L \P \x..` besides JSON's; `\u` of a surrogate refused, as
 * go-yaml, which kubectl uses, refuses it), and only YAML's printable characters may stand as they
 * are (DEL, the C1 controls, U+FEFF, U+FFFE and U+FFFF are refused; a raw line break inside a
 * string, U+0085, U+2028 and U+2029 included, would be folded, so it is refused too). A manifest
 * that this reads to the values given reads so in any YAML reader.
 */

/** YAML's double-quoted escapes (YAML 1.2, 5.7; 1.1 has the same but `\/`). */
const ESCAPES: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\x85",
  _: "\xa0",
  L: "\u2028",
  P: "\u2029",
};

/** Hex digits after `\x`, `\u` and `\U`. */
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

/** YAML's c-printable (YAML 1.2, 5.1), less its line breaks (tab is printable). */
function printableInScalar(code: number): boolean {
  return code === 0x09 || (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xd7ff && code !== 0x2028 && code !== 0x2029) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Parses `text` as YAML flow content; throws an Error naming the offset of anything else. */
export function parseYamlFlow(text: string): unknown {
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`YAML at ${at}: ${what}`);
  };
  const skipSpace = () => {
    while (at < text.length && " \t\n\r".includes(text[at])) at++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[at] !== char) fail(`expected ${char}, found ${JSON.stringify(text[at])}`);
    at++;
  };

  function quoted(): string {
    expect('"');
    let value = "";
    for (;;) {
      const code = text.codePointAt(at);
      if (code === undefined) return fail("unterminated string");
      const char = String.fromCodePoint(code);
      at += char.length;
      if (char === '"') return value;
      if (char !== "\\") {
        if (!printableInScalar(code)) fail(`U+${code.toString(16)} stands raw in a string`);
        value += char;
        continue;
      }
      const escape = text[at++];
      if (escape in ESCAPES) {
        value += ESCAPES[escape];
      } else if (escape in HEX_DIGITS) {
        const hex = text.slice(at, at + HEX_DIGITS[escape]);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== HEX_DIGITS[escape]) fail("bad hex");
        const point = parseInt(hex, 16);
        if ((point >= 0xd800 && point <= 0xdfff) || point > 0x10ffff) {
          fail(`\\${escape}${hex} is no character`);
        }
        value += String.fromCodePoint(point);
        at += hex.length;
      } else {
        fail(`unknown escape \\${escape}`);
      }
    }
  }

  function node(): unknown {
    skipSpace();
    const char = text[at];
    if (char === '"') return quoted();
    if (char === "{") {
      at++;
      const mapping: Record<string, unknown> = {};
      skipSpace();
      if (text[at] === "}") return at++, mapping;
      for (;;) {
        skipSpace();
        const key = quoted();
        expect(":");
        if (key in mapping) fail(`key ${key} twice`);
        mapping[key] = node();
        skipSpace();
        if (text[at] === "}") return at++, mapping;
        expect(",");
      }
    }
    if (char === "[") {
      at++;
      const sequence: unknown[] = [];
      skipSpace();
      if (text[at] === "]") return at++, sequence;
      for (;;) {
        sequence.push(node());
        skipSpace();
        if (text[at] === "]") return at++, sequence;
        expect(",");
      }
    }
    // A plain scalar: in these manifests, a decimal integer, true, false or null.
    const plain = /^(-?[0-9]+|true|false|null)(?=[\s,\]}]|$)/.exec(text.slice(at));
    if (plain === null) return fail(`unexpected ${JSON.stringify(char)}`);
    at += plain[0].length;
    const word = plain[0];
    return word === "true"
      ? true
      : word === "false"
      ? false
      : word === "null"
      ? null
      : Number(word);
  }

  const value = node();
  skipSpace();
  if (at !== text.length) fail("text after the document");
  return value;
}
