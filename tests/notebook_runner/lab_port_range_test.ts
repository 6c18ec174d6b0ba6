/**
 * startLabServer refuses a port outside 1-65535 (0 would let the OS pick one), a port range
 * (`portRange`) outside it or empty, and a start timeout that is not a number > 0 before starting;
 * without a range it tries the default one, 8888-8937, in order.
 *
 * No test here can start a real Jupyter, whatever the code under test lets through: the Python
 * is a stand-in that exits at once, or one that cannot run. With the real one, a start timeout of
 * Infinity let through (a mutant of checkNumber, mutation round ED) started Jupyter on 8888 and
 * the test, its start resolving, never stopped it: a server in a session of its own outlives the
 * test process (found orphaned, holding 8888, 2026-12-06).
 */
import { assertEquals, assertRejects, assertStrictEquals } from "@std/assert";
import {
  DEFAULT_LAB_PORT,
  DEFAULT_LAB_PORTS,
  type LabPortRange,
  startLabServer,
} from "../../lib/notebook_runner/lab_server.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { fakePython, freePort } from "./_lab_stand_ins.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** Runs `body` with a stand-in Python that passes labProblem and whose server exits 3 at once. */
async function withExitingPython(body: (python: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "lab_port_range_" });
  try {
    await body(await fakePython(dir, "exit 3"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("lab server: a port outside 1-65535 or not an integer is a SettingError naming it", () =>
  withExitingPython(async (python) => {
    for (const port of [0, -1, 65536, 8888.5, NaN]) {
      const error = await assertRejects(
        () => startLabServer({ projectRoot, python, port }),
        SettingError,
        `LabServerConfig.port is ${port}; allowed: an integer >= 1 and <= 65535`,
      ) as SettingError;
      assertEquals(error.setting, "LabServerConfig.port");
    }
  }));

Deno.test("lab server: a start timeout that is not a number > 0 is a SettingError before anything starts", async () => {
  // NaN and -1 started a server and gave up on it at once ("did not answer within NaN s").
  // A Python that cannot run: a timeout let through is that error, and no server starts.
  const python = "/nonexistent/python3";
  for (const startTimeoutSeconds of [NaN, -1, 0, Infinity]) {
    const error = await assertRejects(
      () => startLabServer({ projectRoot, python, port: freePort(), startTimeoutSeconds }),
      SettingError,
      `LabServerConfig.startTimeoutSeconds is ${startTimeoutSeconds}; allowed: a finite number > 0`,
    ) as SettingError;
    assertEquals(error.setting, "LabServerConfig.startTimeoutSeconds");
  }
});

Deno.test("lab server: a port range outside 1-65535, empty, or not whole numbers is a SettingError before anything starts", async () => {
  // A Python that cannot run: had the range been checked after the start began, that would be
  // the error.
  const python = "/nonexistent/python3";
  const cases: [LabPortRange, string, unknown, string][] = [
    [{ first: 0, count: 5 }, "first", 0, "an integer >= 1 and <= 65535"],
    [{ first: 65536, count: 1 }, "first", 65536, "an integer >= 1 and <= 65535"],
    [{ first: 8888.5, count: 5 }, "first", 8888.5, "an integer >= 1 and <= 65535"],
    [{ first: NaN, count: 5 }, "first", NaN, "an integer >= 1 and <= 65535"],
    [{ first: 8888, count: 0 }, "count", 0, "an integer >= 1 and <= 56648"],
    [{ first: 8888, count: 2.5 }, "count", 2.5, "an integer >= 1 and <= 56648"],
    // The last port would be 65536.
    [{ first: 65500, count: 37 }, "count", 37, "an integer >= 1 and <= 36"],
  ];
  for (const [portRange, field, value, allowed] of cases) {
    const error = await assertRejects(
      () => startLabServer({ projectRoot, python, portRange }),
      SettingError,
      `LabServerConfig.portRange.${field} is ${value}; allowed: ${allowed}`,
    ) as SettingError;
    assertEquals(error.setting, `LabServerConfig.portRange.${field}`);
  }
  // The last port 65535 is allowed: the start goes on to the Python.
  await assertRejects(
    () => startLabServer({ projectRoot, python, portRange: { first: 65500, count: 36 } }),
    Error,
    "cannot run /nonexistent/python3",
  );
});

Deno.test("lab server: the default range is 8888 and the next 49, tried in order and named 8888-8937", async () => {
  assertEquals(DEFAULT_LAB_PORTS, { first: 8888, count: 50 });
  assertStrictEquals(DEFAULT_LAB_PORT, 8888);
  const { listen } = Deno;
  const asked: (number | undefined)[] = [];
  await withExitingPython(async (python) => {
    // Every port of it "in use", no port touched: a server already on 8888 changes nothing here.
    Deno.listen = ((options: Deno.ListenOptions) => {
      asked.push(options.port);
      throw new Deno.errors.AddrInUse(`stand-in: port ${options.port} in use`);
    }) as typeof Deno.listen;
    try {
      await assertRejects(
        () => startLabServer({ projectRoot, python }),
        Error,
        "ports 8888-8937 are all in use; pass --port N",
      );
    } finally {
      Deno.listen = listen;
    }
  });
  assertEquals(asked, [...Array(50).keys()].map((offset) => 8888 + offset));
});
