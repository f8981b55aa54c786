import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { rootShell, shq } from "../../components/remote";
import { XenStorageCluster, clusterArgsFromConfig } from "../../stacks";
import { Recorder, installMocks, scripts } from "./harness";
import { loadStackConfig } from "./stack-config";

beforeAll(installMocks);

function sh(shell: string, args: string[], input?: string) {
  return spawnSync(shell, args, { input, encoding: "utf8" });
}

describe("shq", () => {
  test("any string without NUL comes back unchanged through bash and dash, and runs nothing", () => {
    const canary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "canary-")), "ran");
    const hostile = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.constantFrom(
        `; touch ${canary}`,
        `$(touch ${canary})`,
        `\`touch ${canary}\``,
        `'; touch ${canary}; '`,
        `"\n touch ${canary}"`,
      ),
    );
    fc.assert(
      fc.property(
        hostile.filter((s) => !s.includes("\0")),
        (value) => {
          for (const shell of ["bash", "dash"]) {
            const r = sh(shell, ["-c", `printf %s ${shq(value)}`]);
            expect(r.stdout).toBe(value);
          }
          expect(fs.existsSync(canary)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  test("NUL is refused", () => {
    expect(() => shq("a\0b")).toThrow(/NUL/);
  });

  test("rootShell runs the script under sh -e, through sudo for another user", () => {
    expect(rootShell("root", "echo hi")).toBe("sh -ec 'echo hi'");
    expect(rootShell("admin", "echo hi")).toBe("sudo -n sh -ec 'echo hi'");
    expect(sh("bash", ["-c", rootShell("root", "false; echo not-reached")]).stdout).toBe("");
  });
});

describe.each(["dev", "dev-2006"])("every command of the %s stack", (stack) => {
  test("parses with bash -n (the login shell) and dash -n (the script itself)", async () => {
    loadStackConfig(stack, { "xen-storage:sshPrivateKey": "KEY" });
    const rec = new Recorder();
    new XenStorageCluster("xenamo", clusterArgsFromConfig(new pulumi.Config("xen-storage")), rec.opts);
    const commands = rec.commands();
    expect(commands.length).toBeGreaterThan(40);
    for (const c of commands) {
      const s = await scripts(c);
      for (const line of [s.create, s.update, s.delete].filter((l): l is string => l !== undefined)) {
        expect(line.startsWith("sh -ec ")).toBe(true);
        const outer = sh("bash", ["-n", "-c", line]);
        expect({ name: c.name, stderr: outer.stderr }).toEqual({ name: c.name, stderr: "" });
        const inner = sh("bash", ["-c", line.replace(/^sh -ec /, "dash -nec ")]);
        expect({ name: c.name, stderr: inner.stderr, status: inner.status }).toEqual({
          name: c.name,
          stderr: "",
          status: 0,
        });
      }
    }
  });
});
