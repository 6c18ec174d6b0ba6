/**
 * A path or name read from the environment (`DEMURE_JUPYTER_PYTHON`, `DEMURE_CHROMIUM`,
 * `DEMURE_CHROMIUM_USER`), read one way everywhere: unset or "" is undefined (the caller's
 * default); a value that starts or ends with white space, or is nothing else, throws, naming the
 * variable and the value. Such values were used as written, so `DEMURE_JUPYTER_PYTHON="/usr/bin/python3 "`
 * (a stray space after a copy) said Jupyter was missing, advising an install, with the program
 * there: a path cannot be told from a typo, and trimming it would run another program than the
 * one named.
 *
 * @example
 * ```ts
 * envText("DEMURE_CHROMIUM") ?? "/usr/bin/chromium";
 * ```
 */
export function envText(name: string): string | undefined {
  const value = Deno.env.get(name);
  if (value === undefined || value === "") return undefined;
  if (value.trim() !== value) {
    throw new Error(
      `${name}=${JSON.stringify(value)}: starts or ends with white space; ` +
        `set it to the path or name alone, or unset it for the default`,
    );
  }
  return value;
}
