/**
 * The webgpu route's uploads through GPUQueue.writeBuffer: tests/backend/_webgpu_uploads_cases.ts, run by `deno test` in a process of its own. Its probe
 * sets DENO_WEBGPU_BACKEND and XDG_RUNTIME_DIR for wgpu and keeps them (lib/backend/webgpu.ts), and
 * `deno test --parallel` runs every test module in this one process: here, every program another
 * test starts afterwards would inherit them. The child's output (the adapter, or why its tests
 * were skipped) is printed.
 */
import { testInSubprocess } from "../_eval_in_subprocess.ts";

Deno.test("webgpu uploads: tests/backend/_webgpu_uploads_cases.ts, in a process of its own", async () => {
  console.log(await testInSubprocess("tests/backend/_webgpu_uploads_cases.ts"));
});
