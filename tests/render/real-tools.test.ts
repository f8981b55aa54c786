/**
 * Each rendered file of the dev stack, checked by the real tool that reads it on Debian 12:
 * drbdadm (8.4 and 9 parsers), corosync -t, o2cb, xmllint, lvmconfig, sh/bash -n, and a
 * real nbd-server started and stopped by the rendered Heartbeat resource script.
 */
import * as fs from "fs";
import * as path from "path";
import { renderDrbd, renderDrbdGlobal } from "../../components/drbd/render";
import { seedDrbdSpec } from "./drbd-spec";
import { renderLvmFilter } from "../../components/lvm/render";
import { renderIpResourceScript } from "../../components/heartbeat/render";
import { renderNbdResourceScript, renderNbdServerConf, renderNbdAuthFile } from "../../components/export/nbd";
import { RenderedFile, fileAt, renderStack } from "./rendered";
import { run, tempDir } from "./tools";

let dev: RenderedFile[];
let seed: RenderedFile[];
beforeAll(async () => {
  dev = await renderStack("dev");
  seed = await renderStack("dev-2006");
});

/** drbdadm's parse of the dev stack's DRBD files, as `drbdadm dump` prints them back. */
function drbdDump(global: string, res: string, env: Record<string, string>, drbdadm = "drbdadm") {
  const dir = tempDir({ "global_common.conf": global, "cluster.res": res });
  fs.writeFileSync(
    path.join(dir, "drbd.conf"),
    `include "${dir}/global_common.conf";\ninclude "${dir}/*.res";\n`,
  );
  return run(drbdadm, ["-c", path.join(dir, "drbd.conf"), "dump", "all"], { env });
}

describe("DRBD", () => {
  test("drbdadm 8.4 parses the resource exactly as meant", () => {
    for (const host of ["xenamo4", "xenamo5"]) {
      const r = drbdDump(
        fileAt(dev, host, "/etc/drbd.d/global_common.conf").content,
        fileAt(dev, host, "/etc/drbd.d/cluster.res").content,
        { DRBD_DRIVER_VERSION_OVERRIDE: "8.4.11" },
        "/usr/lib/drbd/drbdadm-84",
      );
      expect(r.stderr).not.toMatch(/error|unknown/i);
      expect(r.status).toBe(0);
      const dump = r.stdout.replace(/\s+/g, " ");
      for (const expected of [
        "usage-count no;",
        "protocol C;",
        "cram-hmac-alg sha1;",
        "after-sb-0pri discard-zero-changes;",
        "after-sb-1pri consensus;",
        "after-sb-2pri disconnect;",
        "on-io-error detach;",
        "resync-rate 5M;",
        "degr-wfc-timeout 120;",
        "on xenamo4 { device /dev/drbd0 minor 0; disk /dev/vg1/cluster; meta-disk internal; address ipv4 10.0.0.4:7788; }",
        "on xenamo5 { device /dev/drbd0 minor 0; disk /dev/vg1/cluster; meta-disk internal; address ipv4 10.0.0.5:7788; }",
      ]) {
        expect(dump).toContain(expected);
      }
    }
  });

  test("drbdadm 9 parses the version 9 rendering", () => {
    const res = renderDrbd(seedDrbdSpec("9", "/dev/vg1/cluster"));
    const r = drbdDump(renderDrbdGlobal(), res, {});
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/\s+/g, " ")).toContain(
      "on xenamo4 { node-id 0; device /dev/drbd0 minor 0; disk /dev/vg1/cluster; meta-disk internal; address ipv4 10.0.0.4:7788; }",
    );
  });

  test("the fencing policy and its Pacemaker handlers parse where each version wants them: disk in 8.4, net in 9", () => {
    const fenced = (version: "8.4" | "9") => ({
      ...seedDrbdSpec(version, "/dev/vg1/cluster"),
      fencing: "resource-and-stonith" as const,
    });
    const v84 = drbdDump(
      renderDrbdGlobal(),
      renderDrbd(fenced("8.4")),
      { DRBD_DRIVER_VERSION_OVERRIDE: "8.4.11" },
      "/usr/lib/drbd/drbdadm-84",
    );
    expect(v84.stderr).not.toMatch(/error|unknown/i);
    expect(v84.status).toBe(0);
    const dump84 = v84.stdout.replace(/\s+/g, " ");
    expect(dump84).toMatch(/disk \{[^}]*fencing resource-and-stonith;/);
    const never = "--timeout 2147483647 --dc-timeout 2147483647";
    expect(dump84).toContain(`fence-peer "/usr/local/lib/xenstorage/drbd/crm-fence-peer.sh ${never}";`);
    expect(dump84).toContain("after-resync-target /usr/lib/drbd/crm-unfence-peer.sh;");
    const v9 = drbdDump(renderDrbdGlobal(), renderDrbd(fenced("9")), {});
    expect(v9.status).toBe(0);
    const dump9 = v9.stdout.replace(/\s+/g, " ");
    expect(dump9).toMatch(/net \{[^}]*fencing resource-and-stonith;/);
    expect(dump9).toContain(`fence-peer "/usr/local/lib/xenstorage/drbd/crm-fence-peer.9.sh ${never}";`);
    expect(dump9).toMatch(/unfence-peer "?\/usr\/lib\/drbd\/crm-unfence-peer.9.sh"?;/);
    expect(dump9).toMatch(/options \{[^}]*auto-promote no;/);
    // Each handler the rendering names, or adapts (fence-handler.ts), ships with drbd-utils.
    for (const script of [
      "crm-fence-peer.sh",
      "crm-unfence-peer.sh",
      "crm-fence-peer.9.sh",
      "crm-unfence-peer.9.sh",
    ])
      expect(fs.existsSync(`/usr/lib/drbd/${script}`)).toBe(true);
  });

  test("the checker catches a broken file (the check can fail)", () => {
    const res = fileAt(dev, "xenamo4", "/etc/drbd.d/cluster.res").content.replace(
      "protocol C;",
      "protocol D;",
    );
    const r = drbdDump(
      renderDrbdGlobal(),
      res,
      { DRBD_DRIVER_VERSION_OVERRIDE: "8.4.11" },
      "/usr/lib/drbd/drbdadm-84",
    );
    expect(r.status).not.toBe(0);
  });
});

describe("corosync", () => {
  test.each([1, 2, 3, 4, 5])(
    "corosync -t accepts the config on xenamo%i, which finds itself in the nodelist",
    (n) => {
      const conf = fileAt(dev, `xenamo${n}`, "/etc/corosync/corosync.conf").content;
      const dir = tempDir({ "corosync.conf": conf });
      // corosync -t needs the authkey and a local address of the node: a namespace of its own gives both.
      const r = run("unshare", [
        "-m",
        "-n",
        "sh",
        "-ec",
        `ip link set lo up; ip addr add 10.0.0.${n}/32 dev lo; mount -t tmpfs none /etc/corosync; head -c 256 /dev/urandom > /etc/corosync/authkey; corosync -t -c ${dir}/corosync.conf`,
      ]);
      expect(r.stderr + r.stdout).toContain("exiting normally");
      expect(r.status).toBe(0);
    },
  );
});

describe("OCFS2", () => {
  test.each([1, 2, 3])("o2cb reads xenamo%i's cluster.conf with all three nodes", (n) => {
    const dir = tempDir({ "cluster.conf": fileAt(dev, `xenamo${n}`, "/etc/ocfs2/cluster.conf").content });
    const r = run("o2cb", [`--config-file=${dir}/cluster.conf`, "list-nodes", "xencluster"]);
    expect(r.status).toBe(0);
    const listed = run("o2cb", [`--config-file=${dir}/cluster.conf`, "list-cluster", "xencluster"]).stdout;
    for (const i of [1, 2, 3])
      expect(listed).toContain(
        `number = ${i - 1}\n\tname = xenamo${i}\n\tip_address = 10.0.0.${i}\n\tip_port = 7777`,
      );
    expect(listed).toContain("node_count = 3");
  });
});

describe("cman cluster.conf (2006 flavor)", () => {
  test("is well-formed XML with the seed's five nodes and fence_manual", () => {
    const dir = tempDir({ "cluster.conf": fileAt(seed, "xenamo1", "/etc/cluster/cluster.conf").content });
    expect(run("xmllint", ["--noout", `${dir}/cluster.conf`]).status).toBe(0);
    expect(run("xmllint", ["--xpath", "count(//clusternode)", `${dir}/cluster.conf`]).stdout.trim()).toBe(
      "5",
    );
    expect(
      run("xmllint", ["--xpath", "string(//fencedevice/@agent)", `${dir}/cluster.conf`]).stdout.trim(),
    ).toBe("fence_manual");
  });
});

describe("shell scripts written to hosts", () => {
  test.each([
    ["dev", "xenamo4", "/etc/ha.d/resource.d/xenstorage-nbd", "dash"],
    ["dev", "xenamo4", "/etc/ha.d/resource.d/xenstorage-ip", "dash"],
    ["dev", "xenamo1", "/usr/local/sbin/xenstorage-nbd-import", "dash"],
    ["dev-2006", "xenamo4", "/etc/ha.d/resource.d/drbddisk", "bash"],
    ["dev-2006", "xenamo1", "/etc/init.d/clvmd", "dash"],
  ])("%s %s %s parses with %s -n", (stack, host, file, shell) => {
    const f = fileAt(stack === "dev" ? dev : seed, host, file);
    const r = run(shell, ["-n"], { input: f.content });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("LVM filter", () => {
  test("lvmconfig reads the rendered global_filter from lvmlocal.conf", () => {
    const dir = tempDir({
      "lvm.conf": fs.readFileSync("/etc/lvm/lvm.conf", "utf8"),
      "lvmlocal.conf": renderLvmFilter(["/dev/vdb", "/dev/vg1/cluster"]),
    });
    const r = run("lvmconfig", ["--type", "current", "devices/global_filter"], {
      env: { LVM_SYSTEM_DIR: dir },
    });
    expect(r.stdout.trim()).toBe('global_filter=["r|^/dev/vdb$|","r|^/dev/vg1/cluster$|","a|.*|"]');
  });
});

describe("NBD export", () => {
  test("the Heartbeat resource script serves through a real nbd-server that stays up when the export is given up, and closes its connections", () => {
    const dir = tempDir({ "disk.img": "" });
    fs.truncateSync(path.join(dir, "disk.img"), 4 * 1024 * 1024);
    fs.chmodSync(path.join(dir, "disk.img"), 0o666);
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(
      path.join(dir, "ocfscluster.conf"),
      renderNbdServerConf({
        name: "ocfscluster",
        device: `${dir}/disk.img`,
        port: 20809,
        authFile: `${dir}/ocfscluster.allow`,
      }),
    );
    fs.writeFileSync(path.join(dir, "ocfscluster.allow"), renderNbdAuthFile(["127.0.0.1"]));
    fs.writeFileSync(path.join(dir, "other.allow"), renderNbdAuthFile(["192.0.2.1"]));
    fs.writeFileSync(path.join(dir, "xenstorage-nbd"), renderNbdResourceScript(dir), { mode: 0o755 });
    const r = run("unshare", [
      "-n",
      "-m",
      "-p",
      "--fork",
      "--mount-proc",
      "sh",
      "-c",
      [
        "ip link set lo up; mount -t tmpfs none /run",
        `s=${dir}/xenstorage-nbd`,
        "server() { cat /run/xenstorage-nbd-ocfscluster.pid; }",
        "connections() { pgrep -c -P $(server); }",
        '$s ocfscluster status; echo "status-before=$?"',
        '$s ocfscluster start; echo "start=$?"',
        '$s ocfscluster status; echo "status-running=$?"',
        "first=$(server)",
        '$s ocfscluster start; echo "start-again=$?"',
        '[ "$(server)" = "$first" ] && [ "$(pgrep -c -x nbd-server)" = 1 ] && echo one-server',
        "nbdinfo --size nbd://127.0.0.1:20809/ocfscluster",
        // a client that stays connected: nbd-server serves it from a child process
        "bash -c 'exec 3<>/dev/tcp/127.0.0.1/20809; sleep 60' & sleep 1",
        'echo "connected=$(connections)"',
        '$s ocfscluster stop; echo "stop=$?"',
        '$s ocfscluster status; echo "status-stopped=$?"',
        'echo "connected-after-stop=$(connections)"',
        'kill -0 "$first" && echo server-kept',
        '$s ocfscluster restart; echo "restart=$?"',
        '[ "$(server)" != "$first" ] && kill -0 "$(server)" && ! kill -0 "$first" 2>/dev/null && echo server-renewed',
        // nbd-server reads the authfile on each connection: a client not listed is turned away
        // (nbd-server 3.24 admitted every IPv4 client of an `A/32` line)
        `cp ${dir}/other.allow ${dir}/ocfscluster.allow`,
        'nbdinfo --size nbd://127.0.0.1:20809/ocfscluster 2>/dev/null; echo "other-client=$?"',
        "kill $(server)",
      ].join("\n"),
    ]);
    expect(r.stdout).toContain("status-before=3");
    expect(r.stdout).toContain("start=0");
    expect(r.stdout).toContain("status-running=0");
    expect(r.stdout).toContain("start-again=0");
    expect(r.stdout).toContain("one-server");
    expect(r.stdout).toContain("4194304");
    expect(r.stdout).toContain("connected=1");
    expect(r.stdout).toContain("stop=0");
    expect(r.stdout).toContain("status-stopped=3");
    expect(r.stdout).toContain("connected-after-stop=0");
    expect(r.stdout).toContain("server-kept");
    expect(r.stdout).toContain("restart=0");
    expect(r.stdout).toContain("server-renewed");
    expect(r.stdout).toMatch(/other-client=[1-9]/);
  });
});

describe("virtual IP", () => {
  test("the Heartbeat resource script holds the address and announces it with a real send_arp: a client's stale ARP entry then names this host", () => {
    const dir = tempDir({ "xenstorage-ip": renderIpResourceScript() });
    fs.chmodSync(path.join(dir, "xenstorage-ip"), 0o755);
    const r = run("unshare", [
      "-n",
      "-m",
      "--fork",
      "sh",
      "-c",
      [
        "mount -t tmpfs none /run",
        // a client in a network namespace of its own, on the other end of a virtual cable
        "ip netns add client",
        "ip link add eth9 type veth peer name eth0 netns client",
        "ip link set eth9 up; ip -n client link set eth0 up; ip -n client addr add 192.0.2.1/24 dev eth0",
        "ip -n client neigh replace 192.0.2.6 lladdr 02:00:00:00:00:99 dev eth0 nud stale",
        // the kernel ignores an ARP update within a second of the last (locktime)
        "sleep 1.2",
        `s="${dir}/xenstorage-ip 192.0.2.6/24/eth9"`,
        '$s status; echo "status-before=$?"',
        '$s start; echo "start=$?"',
        '$s status; echo "status-held=$?"',
        'echo "held=$(ip -o -4 addr show dev eth9 | grep -c " 192.0.2.6/24 ")"',
        "sleep 1.5",
        'echo "client-sees=$(ip -n client neigh show 192.0.2.6 dev eth0)"',
        'echo "this-host=$(ip -o link show eth9 | grep -o "link/ether [0-9a-f:]*" | cut -d" " -f2)"',
        '$s start; echo "start-again=$?"',
        'echo "held-again=$(ip -o -4 addr show dev eth9 | grep -c " 192.0.2.6/")"',
        '$s stop; echo "stop=$?"',
        '$s status; echo "status-after=$?"',
        'echo "held-after=$(ip -o -4 addr show dev eth9 | grep -c " 192.0.2.6/")"',
        '$s stop; echo "stop-again=$?"',
      ].join("\n"),
    ]);
    expect(r.stdout).toContain("status-before=3");
    expect(r.stdout).toContain("start=0");
    expect(r.stdout).toContain("status-held=0");
    expect(r.stdout).toContain("held=1");
    const mac = /this-host=(\S+)/.exec(r.stdout)?.[1];
    expect(mac).toMatch(/^[0-9a-f:]{17}$/);
    expect(/client-sees=(.*)/.exec(r.stdout)?.[1]).toContain(`lladdr ${mac}`);
    expect(r.stdout).toContain("start-again=0");
    expect(r.stdout).toContain("held-again=1");
    expect(r.stdout).toContain("stop=0");
    expect(r.stdout).toContain("status-after=3");
    expect(r.stdout).toContain("held-after=0");
    expect(r.stdout).toContain("stop-again=0");
  });
});
