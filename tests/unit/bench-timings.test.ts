import { criticalPath, remoteCommandsRun } from "../../tools/bench/timings";

const STACK = "urn:pulumi:lab::xen-storage::pulumi:pulumi:Stack::xen-storage-lab";
const urn = (name: string) => `urn:pulumi:lab::xen-storage::command:remote:Command::${name}`;
const events = (spans: Record<string, [number, number]>) =>
  Object.entries(spans)
    .flatMap(([name, [start, end]]) => [
      { timestamp: start, resourcePreEvent: { metadata: { urn: urn(name) } } },
      { timestamp: end, resOutputsEvent: { metadata: { urn: urn(name) } } },
    ])
    .sort((a, b) => a.timestamp - b.timestamp)
    .map((e) => JSON.stringify(e))
    .join("\n");
const state = (deps: Record<string, string[]>) => ({
  deployment: {
    resources: [
      { urn: STACK, type: "pulumi:pulumi:Stack" },
      ...Object.entries(deps).map(([name, on]) => ({
        urn: urn(name),
        type: "command:remote:Command",
        custom: true,
        dependencies: on.map(urn),
      })),
    ],
  },
});

describe("bench timings", () => {
  test("the critical path is the longest chain by step duration, not by step count", () => {
    // a(10) -> b(5) -> c(5) = 20 s over three steps; a(10) -> d(30) = 40 s over two.
    const log = events({ a: [0, 10], b: [10, 15], c: [15, 20], d: [10, 40] });
    const deps = { a: [], b: ["a"], c: ["b"], d: ["a"] };
    expect(criticalPath(log, state(deps))).toEqual({ seconds: 40, chain: ["a", "d"] });
  });

  test("the stack, which spans its children, is not a step", () => {
    const log = [
      JSON.stringify({ timestamp: 0, resourcePreEvent: { metadata: { urn: STACK } } }),
      events({ a: [1, 3] }),
      JSON.stringify({ timestamp: 100, resOutputsEvent: { metadata: { urn: STACK } } }),
    ].join("\n");
    expect(criticalPath(log, state({ a: [] }))).toEqual({ seconds: 2, chain: ["a"] });
  });

  test("waiting is not counted: a step's weight is its own duration only", () => {
    // e starts late (at 50) though it depends only on a: the path is a + e = 15, not 55.
    const log = events({ a: [0, 10], e: [50, 55] });
    expect(criticalPath(log, state({ a: [], e: ["a"] }))).toEqual({ seconds: 15, chain: ["a", "e"] });
  });

  test("remote commands run are the remote steps that did something", () => {
    const pre = (type: string, op: string) =>
      JSON.stringify({ timestamp: 0, resourcePreEvent: { metadata: { urn: urn(op), type, op } } });
    const log = [
      pre("command:remote:Command", "create"),
      pre("command:remote:Command", "update"),
      pre("command:remote:Command", "same"),
      pre("random:index/randomPassword:RandomPassword", "create"),
      "",
    ].join("\n");
    expect(remoteCommandsRun(log)).toBe(2);
  });
});
