/**
 * The safety table: bad configurations (bad-input-cases.ts), each refused by a
 * pulumi.ResourceError that names the component, the field, the value and what is allowed,
 * before any remote command carries the value.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { cases, outputCases } from "./bad-input-cases";
import { installMocks, refusal } from "./harness";
import type { OutputRefusal } from "./output-refusals";

beforeAll(installMocks);

test("the table has at least 40 bad configurations", () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
});

/** A shown text value as a command would carry it (without its JSON quotes); numbers and lists are not searched for. */
function text(shown: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(shown);
    return typeof parsed === "string" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the message and gives the component it names. */
function expectNamed(raw: string, field: string, value: string, allowed: RegExp): string {
  // Pulumi prefixes the properties it was serializing when an Output failed.
  const message = raw.replace(/^(error serializing property "[^"]*": )+/, "");
  expect(message).toContain(`${field} is `);
  expect(message).toContain(value);
  expect(message).toMatch(allowed);
  const component = message.match(/^\w+ "([^"]+)": /)?.[1];
  expect(component).toBeDefined();
  return component!;
}

test.each(cases)(
  "%s: refused at construction, naming component, field, value and what is allowed; nothing sent",
  async (_label, build, field, value, allowed) => {
    const { error, atConstruction, sent } = await refusal(build);
    expect(error).toBeInstanceOf(pulumi.ResourceError);
    const component = expectNamed(error!.message, field, value, allowed);
    expect(atConstruction).toBe(true);
    // Nothing of the refused component reached the engine, and no command of another carries the value.
    expect(sent.filter((c) => c.name.startsWith(`${component}-`)).map((c) => c.name)).toEqual([]);
    const bad = text(value);
    expect(sent.filter((c) => bad !== undefined && c.inputs.includes(bad)).map((c) => c.name)).toEqual([]);
  },
);

describe("Outputs", () => {
  let refusals: OutputRefusal[] = [];
  beforeAll(() => {
    const run = spawnSync(
      path.join(__dirname, "..", "..", "node_modules", ".bin", "ts-node"),
      ["--transpile-only", path.join(__dirname, "output-refusals.ts")],
      { encoding: "utf8", timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
    );
    if (run.status !== 0) throw new Error(`output-refusals.ts failed:\n${run.stderr}`);
    refusals = JSON.parse(run.stdout) as OutputRefusal[];
  }, 120_000);

  test.each(outputCases)(
    "%s: refused when the Outputs resolve, and no command sent carries %s",
    (label, _carried, _build, field, value, allowed) => {
      const r = refusals.find((x) => x.label === label)!;
      expect(r.resourceError).toBe(true);
      expectNamed(r.message, field, value, allowed);
      expect(r.atConstruction).toBe(false);
      expect(r.carriedBy).toEqual([]);
    },
  );
});
