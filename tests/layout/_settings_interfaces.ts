/**
 * The settings objects a caller passes, as `deno doc` reads them: the fields of each interface
 * named `...Config`, `...Options` or `...Settings` that the root `mod.ts` or a folder's `mod.ts`
 * exports. The one reader behind option_names_api50_test.ts (one spelling per concept) and
 * options_values_api51_test.ts (every field refuses a wrong value), which each had a copy.
 */
import { docJson, folderModules } from "./_doc_examples.ts";

/** The shape of the `deno doc --json` output read here. */
interface DocSymbols {
  symbols: {
    name: string;
    declarations: { kind: string; def?: { properties?: { name: string }[] } }[];
  }[];
}

/** Each exported settings interface's field names, by interface name. */
export async function settingsInterfaces(): Promise<Map<string, string[]>> {
  const fields = new Map<string, string[]>();
  for (const doc of Object.values(await docJson(["mod.ts", ...folderModules()]))) {
    for (const { name, declarations } of (doc as DocSymbols).symbols) {
      if (!/(Config|Options|Settings)$/.test(name)) continue;
      for (const declaration of declarations) {
        if (declaration.kind !== "interface") continue;
        fields.set(name, (declaration.def?.properties ?? []).map((p) => p.name));
      }
    }
  }
  return fields;
}
