/**
 * Shell safety as a property (fast-check): hostile strings in every string that can reach
 * a command never run anything. Each generated command is parsed by `bash -n` and then
 * run by bash as `nobody`, with every external command stubbed out, against a canary: an
 * injected `echo > CANARY` (a builtin and a redirection) would create the file.
 *  - the script builders, with no validation in front of them, quote everything;
 *  - the components either refuse the value (ResourceError) or produce such safe commands.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { DrbdResource, GnbdExport, LvmVolume, Ocfs2Client } from "../../components";
import { rootShell } from "../../components/remote";
import { removeFileScript, writeBlockScript, writeFileScript } from "../../components/remote/remote-file";
import { drbdCreateMdScript, drbdInitialPrimaryScript, drbdUpScript } from "../../components/drbd/scripts";
import { lvmDeleteScript, lvmEnsureScript } from "../../components/lvm/scripts";
import { nbdImportScript } from "../../components/ocfs2/nbd-import";
import { formatScript, mountScript, unmountScript } from "../../components/ocfs2/scripts";
import { Recorder, host, installMocks, scripts } from "./harness";

beforeAll(installMocks);

const canaryDir = fs.mkdtempSync(path.join(os.tmpdir(), "canary-"));
fs.chmodSync(canaryDir, 0o1777);
const CANARY = path.join(canaryDir, "injected");

const hostile = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.constantFrom(
      `;echo x>${CANARY};`,
      `$(echo x>${CANARY})`,
      `\`echo x>${CANARY}\``,
      `'; echo x>${CANARY}; '`,
      `"; echo x>${CANARY}; "`,
      `\necho x>${CANARY}\n`,
      `'"$(echo x>${CANARY})"'`,
      `\\'; echo x>${CANARY} #`,
      `&& echo x>${CANARY}`,
      `| echo x>${CANARY}`,
    ),
    fc.string({ maxLength: 8 }),
  )
  .map(([a, p, b]) => `${a}${p}${b}`)
  .filter((s) => !s.includes("\0"));

/** Parses and runs command lines (as the SSH login shell would get them) with externals stubbed; true when the canary fired. */
function injected(commands: string[]): boolean {
  const text = commands.join("\n");
  const parsed = spawnSync("bash", ["-n", "-c", text], { encoding: "utf8" });
  expect(parsed.stderr).toBe("");
  // `sh -ec SCRIPT` runs SCRIPT in a bash whose unknown commands all succeed and do nothing.
  const stub = `sh() { /bin/bash -c "command_not_found_handle() { return 0; }"$'\\n'"$2" </dev/null; }\nsudo() { shift; "$@"; }\n`;
  spawnSync(
    "setpriv",
    [
      "--reuid=65534",
      "--regid=65534",
      "--clear-groups",
      "env",
      "-i",
      "PATH=/nonexistent",
      `HOME=${canaryDir}`,
      "/bin/bash",
      "-c",
      stub + text,
    ],
    {
      cwd: canaryDir,
      encoding: "utf8",
      timeout: 20_000,
      input: "",
    },
  );
  const fired = fs.existsSync(CANARY);
  fs.rmSync(CANARY, { force: true });
  return fired;
}

/** The property: parsed, run, and nothing injected ran. */
function runStubbed(commands: string[]): void {
  expect(injected(commands)).toBe(false);
}

test("the canary catches an unquoted value (the check can fail)", () => {
  expect(injected([rootShell("root", `lvs vg1/$(echo x>${CANARY})`)])).toBe(true);
  expect(injected([`sh -ec 'lvs vg1/'$(echo x>${CANARY})`])).toBe(true);
});

const runs = { numRuns: 40 };

test("the script builders quote every value, validation or not", () => {
  fc.assert(
    fc.property(hostile, hostile, (a, b) => {
      runStubbed(
        [
          writeFileScript(`/tmp/${a}`, "0644", "root:root"),
          removeFileScript(a),
          writeBlockScript(`/tmp/${a}`, b, true),
          lvmEnsureScript({ physicalVolumes: [a, b], volumeGroup: a, name: b, sizeBytes: 1 }),
          lvmDeleteScript({ physicalVolumes: [a], volumeGroup: a, name: b, sizeBytes: 1 }, true),
          drbdCreateMdScript({ resource: a, disk: b, connectTimeout: 1 }, false),
          drbdUpScript({ resource: a, disk: b, connectTimeout: 1 }),
          drbdInitialPrimaryScript({ resource: a, disk: b, connectTimeout: 1 }),
          nbdImportScript({ server: a, exportName: b, device: a, connectTimeout: 1, port: 10809 }),
          formatScript({ device: a, label: b, slots: 1, clusterName: a }),
          mountScript({ device: a, mountPoint: b, options: a, formatTimeout: 1 }),
          unmountScript(b),
        ].map((s) => rootShell("root", s)),
      );
    }),
    runs,
  );
});

type Build = (value: string, opts: pulumi.ComponentResourceOptions) => unknown;
const storage = () => [host("xenamo4", 4), host("xenamo5", 5)];
const xen = () => [1, 2, 3].map((n) => host(`xenamo${n}`, n));
const targets: [string, Build][] = [
  [
    "LvmVolume.volumeGroup",
    (v, o) =>
      new LvmVolume(
        "l",
        { host: storage()[0], physicalVolumes: ["/dev/sdb"], size: "1G", volumeGroup: v },
        o,
      ),
  ],
  [
    "LvmVolume.physicalVolumes",
    (v, o) => new LvmVolume("l", { host: storage()[0], physicalVolumes: [v], size: "1G" }, o),
  ],
  [
    "LvmVolume.size",
    (v, o) => new LvmVolume("l", { host: storage()[0], physicalVolumes: ["/dev/sdb"], size: v }, o),
  ],
  [
    "DrbdResource.resourceName",
    (v, o) =>
      new DrbdResource(
        "d",
        { peers: storage().map((h) => ({ host: h, disk: "/dev/sdb" })), resourceName: v },
        o,
      ),
  ],
  [
    "DrbdResource.disk",
    (v, o) => new DrbdResource("d", { peers: storage().map((h) => ({ host: h, disk: v })) }, o),
  ],
  [
    "GnbdExport.exportName",
    (v, o) =>
      new GnbdExport(
        "e",
        { hosts: storage(), device: "/dev/drbd0", virtualIp: "10.0.0.6", exportName: v },
        o,
      ),
  ],
  [
    "GnbdExport.device",
    (v, o) => new GnbdExport("e", { hosts: storage(), device: v, virtualIp: "10.0.0.6" }, o),
  ],
  [
    "Ocfs2Client.mountPoint",
    (v, o) =>
      new Ocfs2Client(
        "c",
        { host: xen()[0], nodes: xen(), export: { address: "10.0.0.6", exportName: "x" }, mountPoint: v },
        o,
      ),
  ],
  [
    "Ocfs2Client.mountOptions",
    (v, o) =>
      new Ocfs2Client(
        "c",
        { host: xen()[0], nodes: xen(), export: { address: "10.0.0.6", exportName: "x" }, mountOptions: v },
        o,
      ),
  ],
  [
    "Ocfs2Client.label",
    (v, o) =>
      new Ocfs2Client(
        "c",
        {
          host: xen()[0],
          nodes: xen(),
          export: { address: "10.0.0.6", exportName: "x" },
          format: true,
          label: v,
        },
        o,
      ),
  ],
  [
    "Ocfs2Client.export.exportName",
    (v, o) =>
      new Ocfs2Client(
        "c",
        { host: xen()[0], nodes: xen(), export: { address: "10.0.0.6", exportName: v } },
        o,
      ),
  ],
  [
    "Host.user",
    (v, o) =>
      new LvmVolume(
        "l",
        { host: host("xenamo4", 4, { user: v }), physicalVolumes: ["/dev/sdb"], size: "1G" },
        o,
      ),
  ],
];

test.each(targets)("%s: a hostile value is refused or yields safe commands", async (_field, build) => {
  await fc.assert(
    fc.asyncProperty(hostile, async (value) => {
      const rec = new Recorder();
      try {
        build(value, rec.opts);
      } catch (e) {
        expect(e).toBeInstanceOf(pulumi.ResourceError);
        return;
      }
      const lines = (await Promise.all(rec.commands().map(scripts))).flatMap((s) => [
        s.create,
        s.update,
        s.delete ?? "",
      ]);
      runStubbed(lines);
    }),
    { numRuns: 15 },
  );
});
