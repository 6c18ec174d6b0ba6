/**
 * An on/off environment variable (`DEMURE_QUICK`, `DEMURE_RERUN`), read one way everywhere: "1"
 * or "true" is on; unset, "", "0" or "false" is off; anything else ("TRUE", "yes", " 1") throws,
 * naming the variable. Such values used to count as off, silently.
 *
 * @example
 * ```ts
 * envFlag("DEMURE_QUICK"); // false when unset
 * ```
 */
export function envFlag(name: string): boolean {
  const value = Deno.env.get(name);
  if (value === undefined || value === "" || value === "0" || value === "false") return false;
  if (value === "1" || value === "true") return true;
  throw new Error(`${name}=${JSON.stringify(value)}: must be 1 or true (on), 0 or false (off)`);
}
