/**
 * Prints, as JSON, the benchmarks bench/evaluation_bench.ts registers with `DEMURE_BENCH_BACKENDS`
 * unset (its default backends), without running any: `Deno.bench` only records them. Run by
 * evaluation_bench_test in a subprocess (the variable is deleted here, never in the test's process).
 */
const registered: { name: string; group?: string; n?: number; warmup?: number }[] = [];
Deno.env.delete("DEMURE_BENCH_BACKENDS");
Object.defineProperty(Deno, "bench", {
  value: (definition: Deno.BenchDefinition) => {
    const { name, group, n, warmup } = definition;
    registered.push({ name, group, n, warmup });
  },
});
await import("../../bench/evaluation_bench.ts");
console.log(JSON.stringify(registered));
