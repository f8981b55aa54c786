/**
 * The 2006 flavor renders the seed's own files. Each is compared with the text of the
 * seed (docs/seed/xen-storage-backend-2006.txt), modulo whitespace, line continuations and
 * secrets (the seed's `<your-password>` stands where the generated key goes).
 */
import * as fs from "fs";
import * as path from "path";
import { CMAN_RC_ORDER } from "../../components/cluster/cman";
import { cmanRcScript } from "../../components/cluster/cman";
import { RenderedFile, fileAt, renderStack } from "./rendered";

const SEED = fs.readFileSync(
  path.join(__dirname, "..", "..", "docs", "seed", "xen-storage-backend-2006.txt"),
  "utf8",
);

/** The seed's lines from the first line starting with `first` to the first line after it matching `last`. */
function seedBlock(first: string, last: RegExp): string {
  const lines = SEED.split("\n");
  const start = lines.findIndex((l) => l.startsWith(first));
  if (start < 0) throw new Error(`seed has no line starting with ${first}`);
  const end = lines.findIndex((l, i) => i > start && last.test(l));
  return lines.slice(start, end + 1).join("\n");
}

function normal(text: string): string {
  return text
    .replace(/\\\n/g, " ")
    .replace(/[ \t]+/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .join("\n");
}

let files: RenderedFile[];
beforeAll(async () => {
  files = await renderStack("dev-2006");
});

const rendered = (host: string, file: string) => fileAt(files, host, file).content;

test("drbd.conf is the seed's DRBD 0.7 configuration", () => {
  expect(normal(rendered("xenamo4", "/etc/drbd.conf"))).toBe(normal(seedBlock("resource cluster {", /^}$/)));
  expect(rendered("xenamo5", "/etc/drbd.conf")).toBe(rendered("xenamo4", "/etc/drbd.conf"));
});

test("cluster.conf is the seed's, on all five hosts", () => {
  const seed = normal(seedBlock('<?xml version="1.0"?>', /^<\/cluster>$/));
  for (const n of [1, 2, 3, 4, 5])
    expect(normal(rendered(`xenamo${n}`, "/etc/cluster/cluster.conf"))).toBe(seed);
});

test("/etc/modules, /etc/sysconfig/cluster and the clvmd init script are the seed's", () => {
  expect(normal(rendered("xenamo1", "/etc/modules"))).toBe(normal(seedBlock("dm-mod", /^lock_dlm$/)));
  expect(normal(rendered("xenamo1", "/etc/sysconfig/cluster"))).toBe(
    normal(seedBlock('CCSD_OPTS=""', /^CLUSTERNAME=/)),
  );
  expect(normal(rendered("xenamo4", "/etc/init.d/clvmd"))).toBe(normal(seedBlock("#! /bin/sh", /^exit 0$/)));
});

test("the rc ordering is the seed's update-rc.d lines", () => {
  const seedLines = SEED.split("\n").filter((l) => l.startsWith("update-rc.d "));
  expect(seedLines).toHaveLength(4);
  const ours = cmanRcScript(CMAN_RC_ORDER)
    .split("\n")
    .filter((l) => l.startsWith("update-rc.d "))
    .map((l) => l.replace(/'/g, ""));
  expect(ours).toEqual(seedLines);
});

test("ha.cf is the seed's on xenamo4; xenamo5's names xenamo4 as its peer", () => {
  const seed = seedBlock("keepalive 1", /^node xenamo5$/);
  expect(normal(rendered("xenamo4", "/etc/ha.d/ha.cf"))).toBe(normal(seed));
  expect(normal(rendered("xenamo5", "/etc/ha.d/ha.cf"))).toBe(
    normal(seed.replace("ucast eth0 10.0.0.5", "ucast eth0 10.0.0.4")),
  );
});

test("haresources is the seed's", () => {
  expect(normal(rendered("xenamo4", "/etc/ha.d/haresources"))).toBe(
    normal(seedBlock("xenamo4 10.0.0.6/24", /^IPaddr::/)),
  );
});

test("authkeys is the seed's, with the generated key for <your-password>", () => {
  const text = rendered("xenamo4", "/etc/ha.d/authkeys");
  const key = text.match(/^2 sha1 (\S+)$/m)![1];
  expect(key).not.toBe("<your-password>");
  expect(normal(text.split(key).join("<your-password>"))).toBe(normal(seedBlock("auth 2", /^3 md5/)));
});

test("drbddisk serves GNBD as the seed's start) says; stop) has the seed's lines with exec last", () => {
  const ours = rendered("xenamo4", "/etc/ha.d/resource.d/drbddisk");
  const seedDrbddisk = SEED.slice(SEED.indexOf("/etc/ha.d/resources/drbddisk"));
  const section = (text: string, name: string) =>
    normal(text.slice(text.indexOf(`${name})`), text.indexOf(";;", text.indexOf(`${name})`)) + 2));
  expect(section(ours, "start")).toBe(section(seedDrbddisk, "start"));
  const seedStop = section(seedDrbddisk, "stop").split("\n");
  const ourStop = section(ours, "stop").split("\n");
  expect([...ourStop].sort()).toEqual([...seedStop].sort());
  expect(ourStop[ourStop.length - 2]).toBe("exec $DRBDADM secondary $RES");
});
