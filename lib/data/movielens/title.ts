/**
 * MovieLens titles: "Deer Hunter, The" puts the article last and foreign films carry alternative
 * titles in parentheses ("Killer, The (Die xue shuang xiong)"). These helpers give the readable
 * main title and its word tokens for the text modality.
 */

/**
 * Articles MovieLens moves to the end of a title (English, French, Spanish, Italian, German). At
 * least one character must come before, and not a space: ", The" alone or "Heat , The" has no
 * title word just before the comma (with `.*` they became "The " and "The Heat " with a trailing
 * space); they are left as they are.
 */
const TRAILING_ARTICLE =
  /^(.*\S), (The|A|An|Les|Le|La|L'|Los|Las|El|Il|I|Gli|Lo|Das|Der|Die|Den|Det|De|Het|Een)$/;

/**
 * Words left out of the title mean: they occur in thousands of titles and would pull every title
 * vector toward the same point. Used only when the title has other covered words.
 */
export const TITLE_STOP_WORDS: ReadonlySet<string> = new Set([
  "the",
  "a",
  "an",
  "of",
  "and",
  "in",
  "on",
  "to",
  "for",
  "with",
  "at",
  "by",
  "from",
  "&",
]);

/**
 * The main title with its article in front: trailing "(...)" groups (alternative titles, a year)
 * are removed, then ", The" is moved to the front. `null` (R's NA) stays `null`.
 *
 * @example
 * ```ts
 * readableTitle("Killer, The (Die xue shuang xiong)"); // "The Killer"
 * readableTitle("Good, the Bad and the Ugly, The"); // "The Good, the Bad and the Ugly"
 * ```
 */
export function readableTitle(raw: string | null): string | null {
  if (raw === null) return null;
  let title = raw.trim();
  while (true) {
    const stripped = title.replace(/\s*\([^()]*\)$/, "").trim();
    if (stripped === title || stripped.length === 0) break;
    title = stripped;
  }
  const match = TRAILING_ARTICLE.exec(title);
  if (match) {
    const article = match[2];
    title = article.endsWith("'") ? `${article}${match[1]}` : `${article} ${match[1]}`;
  }
  return title;
}

/**
 * Lower-cased word tokens (letters and digits, with inner apostrophes kept: "don't").
 *
 * @example
 * ```ts
 * titleTokens("The Lord of the Rings: The Two Towers"); // ["the", "lord", "of", "the", "rings", ...]
 * ```
 */
export function titleTokens(title: string): string[] {
  return title.toLowerCase().normalize("NFC").match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu) ?? [];
}
