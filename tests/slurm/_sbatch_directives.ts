/**
 * A stand-in for how sbatch reads the `#SBATCH` lines of a batch script (Slurm's
 * src/sbatch/opt.c, `_opt_batch_script` and `_get_argument`): the directives run from the top to
 * the first line that is neither a comment nor blank; after `#SBATCH`, each word ends at white
 * space outside quotes, a backslash takes the next character as itself, a single or double quote
 * starts quoting (to its match), and an unquoted, unescaped `#` ends the line as a comment.
 */

/** The option words sbatch reads from the `#SBATCH` lines of `script`, in order. */
export function sbatchDirectives(script: string): string[] {
  const words: string[] = [];
  for (const line of script.split("\n").slice(1)) {
    if (line.trim() === "") continue;
    if (!line.startsWith("#")) break;
    if (line.startsWith("#SBATCH")) words.push(...lineWords(line.slice("#SBATCH".length)));
  }
  return words;
}

function lineWords(line: string): string[] {
  const words: string[] = [];
  let at = 0;
  while (true) {
    while (at < line.length && /\s/.test(line[at])) at++;
    let word = "";
    let quote = "";
    let escaped = false;
    let copied = false;
    for (; at < line.length && (quote !== "" || !/\s/.test(line[at])); at++) {
      const char = line[at];
      if (escaped) escaped = false;
      else if (char === "\\") {
        escaped = true;
        continue;
      } else if (quote !== "") {
        if (char === quote) {
          quote = "";
          continue;
        }
      } else if (char === '"' || char === "'") {
        quote = char;
        continue;
      } else if (char === "#") break;
      word += char;
      copied = true;
    }
    if (quote !== "") throw new Error(`unmatched ${quote} in #SBATCH${line}`);
    if (!copied) return words;
    words.push(word);
  }
}
