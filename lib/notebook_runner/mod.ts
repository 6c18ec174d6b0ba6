/**
 * Running notebooks from outside a kernel: the project-local Deno kernelspec, headless execution
 * and HTML rendering (`./run.sh notebooks`), and the interactive notebook server
 * (`./run.sh lab`), the notebooks' code as modules for a type check. Used by scripts and tests; what runs inside the kernel is `lib/notebook`.
 *
 * @example
 * ```ts
 * import { startLabServer } from "./lib/notebook_runner/mod.ts";
 * const server = await startLabServer({ projectRoot: Deno.cwd() });
 * console.log(server.url);
 * await server.stop();
 * ```
 */
export { type DenoKernelspec, ensureDenoKernelspec, type KernelspecConfig } from "./kernelspec.ts";
export {
  type CellProgress,
  type CellRunning,
  DEFAULT_CELL_TIMEOUT_SECONDS,
  DEFAULT_PROGRESS_SECONDS,
  DEFAULT_QUIET_MS,
  executeNotebook,
  type ExecuteOptions,
  jupyterProblem,
  type NotebookRunnerConfig,
  type NotebookRunResult,
  PROGRESS_SECONDS_RANGE,
  type RenderHtmlOptions,
  renderNotebookHtml,
} from "./execute_notebook.ts";
export {
  DEFAULT_LAB_PORT,
  DEFAULT_LAB_PORTS,
  DEFAULT_LAB_SERVER_CONFIG,
  type LabPortRange,
  labProblem,
  type LabServer,
  type LabServerConfig,
  type LabStopReport,
  startLabServer,
} from "./lab_server.ts";
export { KERNEL_FLAGS, kernelFlagsOn, kernelFlagsProblem } from "./kernel_flags.ts";
export { listNotebooks } from "./list_notebooks.ts";
export { locateInNotebook, type NotebookModule, notebookModule } from "./notebook_module.ts";
export { descendantsOf, isAlive, type ProcessId, signalIfAlive } from "./processes.ts";
