/**
 * What a changed setting does to the resource graph, as Pulumi's command provider sees it:
 * it replaces a command only when its `triggers` change, and otherwise runs its update
 * script. So no command may carry triggers, and a changed setting must change the text of
 * exactly the files and update scripts it concerns (never a create-only or delete script).
 */
import * as pulumi from "@pulumi/pulumi";
import { XenStorageCluster, clusterArgsFromConfig } from "../../stacks";
import { Recorder, installMocks, resolve, scripts } from "./harness";
import { loadStackConfig } from "./stack-config";

beforeAll(installMocks);

interface Command {
  create: string;
  update: string;
  delete?: string;
  stdin?: string;
  triggers: unknown;
  ignoreChanges: string[];
}

async function commands(extra: Record<string, unknown> = {}): Promise<Map<string, Command>> {
  loadStackConfig("dev", { "xen-storage:sshPrivateKey": "KEY", ...extra });
  const rec = new Recorder();
  new XenStorageCluster("xenamo", clusterArgsFromConfig(new pulumi.Config("xen-storage")), rec.opts);
  const all = await Promise.all(
    rec.commands().map(async (c): Promise<[string, Command]> => [
      c.name,
      {
        ...(await scripts(c)),
        triggers: await resolve(c.props.triggers),
        ignoreChanges: c.opts.ignoreChanges ?? [],
      },
    ]),
  );
  return new Map(all);
}

/** Which commands changed, and in which of their fields. */
function changes(before: Map<string, Command>, after: Map<string, Command>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, b] of before) {
    const a = after.get(name)!;
    const fields = (["create", "update", "delete", "stdin"] as const).filter((f) => a[f] !== b[f]);
    if (fields.length > 0) out[name] = fields;
  }
  return out;
}

const dev = {
  heartbeat: { virtualIp: "10.0.0.6/24", interface: "eth0", deadtime: 10 },
  drbd: { resourceName: "cluster" },
  cluster: { tokenMs: 3000 },
  ocfs2: { mountOptions: "_netdev,noatime" },
};
const config = (overrides: Partial<typeof dev>) =>
  Object.fromEntries(Object.entries({ ...dev, ...overrides }).map(([k, v]) => [`xen-storage:${k}`, v]));

test("no command carries triggers, and states written with them keep them (no replacement)", async () => {
  const all = await commands(config({}));
  expect(all.size).toBeGreaterThan(60);
  for (const [name, c] of all) {
    expect({ name, triggers: c.triggers }).toEqual({ name, triggers: undefined });
    expect({ name, ignores: c.ignoreChanges }).toEqual({ name, ignores: ["triggers"] });
  }
});

test("a changed Heartbeat deadtime rewrites ha.cf and reloads Heartbeat through its update script", async () => {
  const before = await commands(config({}));
  const after = await commands(config({ heartbeat: { ...dev.heartbeat, deadtime: 12 } }));
  expect(changes(before, after)).toEqual({
    "xenamo-heartbeat-xenamo4-ha-cf": ["stdin"],
    "xenamo-heartbeat-xenamo5-ha-cf": ["stdin"],
    "xenamo-heartbeat-xenamo4-start": ["update"],
    "xenamo-heartbeat-xenamo5-start": ["update"],
  });
  expect(after.get("xenamo-heartbeat-xenamo4-ha-cf")!.stdin).toMatch(/^deadtime 12$/m);
});

test("a changed DRBD option rewrites the resource file and re-runs drbdadm adjust, never drbdadm down", async () => {
  const before = await commands(config({}));
  const after = await commands(config({ drbd: { ...dev.drbd, resyncRate: "30M" } } as Partial<typeof dev>));
  expect(changes(before, after)).toEqual({
    "xenamo-drbd-xenamo4-config": ["stdin"],
    "xenamo-drbd-xenamo5-config": ["stdin"],
    "xenamo-drbd-xenamo4-up": ["update"],
    "xenamo-drbd-xenamo5-up": ["update"],
  });
  expect(after.get("xenamo-drbd-xenamo4-up")!.update).toContain("drbdadm adjust");
  expect(after.get("xenamo-drbd-xenamo4-up")!.update).not.toContain("drbdadm down");
});

test("a changed corosync token and OCFS2 mount options update files and reload or remount in place", async () => {
  const before = await commands(config({}));
  const after = await commands(
    config({ cluster: { tokenMs: 4000 }, ocfs2: { mountOptions: "_netdev,noatime,commit=10" } }),
  );
  const changed = changes(before, after);
  for (const n of [1, 2, 3, 4, 5]) {
    expect(changed[`xenamo-cluster-xenamo${n}-corosync-conf`]).toEqual(["stdin"]);
    expect(changed[`xenamo-cluster-xenamo${n}-start`]).toEqual(["update"]);
  }
  for (const n of [1, 2, 3]) {
    expect(changed[`xenamo-ocfs2-xenamo${n}-fstab`]).toEqual(["stdin"]);
    // The mount's create changes too (it mounts with the options), but an update runs `update`.
    expect(changed[`xenamo-ocfs2-xenamo${n}-mount`]).toEqual(["create", "update"]);
    expect(after.get(`xenamo-ocfs2-xenamo${n}-mount`)!.update).toContain("remount,_netdev,noatime,commit=10");
  }
  expect(Object.keys(changed)).toHaveLength(16);
});

test("a changed export port re-serves the export, and the clients take it from their settings without a restart", async () => {
  const before = await commands(config({}));
  const after = await commands({ ...config({}), "xen-storage:export": { port: 10810 } });
  const expected: Record<string, string[]> = {};
  for (const n of [4, 5]) {
    expected[`xenamo-export-xenamo${n}-nbd-conf`] = ["stdin"];
    expected[`xenamo-export-xenamo${n}-reserve`] = ["update"];
  }
  for (const n of [1, 2, 3]) expected[`xenamo-ocfs2-xenamo${n}-nbd-import-settings`] = ["stdin"];
  expect(changes(before, after)).toEqual(expected);
  expect(after.get("xenamo-ocfs2-xenamo1-nbd-import-settings")!.stdin).toMatch(/^port=10810$/m);
});
