import * as fs from "fs";
import * as path from "path";
import { removeFileScript, writeBlockScript, writeFileScript } from "../../components/remote/remote-file";
import { tempDir } from "../render/tools";
import { inSandbox } from "./sandbox";

describe("RemoteFile scripts, run for real", () => {
  test("write is atomic with mode and owner; delete restores the file that was there before", () => {
    const dir = tempDir({ "etc/app.conf": "original\n" });
    const file = path.join(dir, "etc/app.conf");
    const r = inSandbox(
      [
        writeFileScript(file, "0600", "root:root"),
        `stat -c '%a %U:%G' ${file}; cat ${file}`,
        `ls ${path.dirname(file)} | wc -l`,
        removeFileScript(file),
        `cat ${file}`,
      ].join("\n"),
      { input: "new content; $(reboot) `id` 'quoted'\n" },
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("600 root:root\nnew content; $(reboot) `id` 'quoted'\n1\noriginal\n");
  });

  test("a second write keeps the first original; delete of a file that did not exist removes it", () => {
    const dir = tempDir();
    const file = path.join(dir, "new.conf");
    const write = writeFileScript(file, "0644", "root:root");
    const r = inSandbox(
      [
        `echo one | { ${write}\n}`,
        `echo two | { ${write}\n}`,
        `cat ${file}`,
        removeFileScript(file),
        `test -e ${file} && echo still-there || echo gone`,
      ].join("\n"),
    );
    expect(r.stdout).toBe("two\ngone\n");
  });

  test("directories it creates can be read by a daemon that is not root (nbd-server reads its allow-list as nbd)", () => {
    const dir = tempDir();
    const file = path.join(dir, "etc/xenstorage/nbd/export.allow");
    const r = inSandbox(
      `${writeFileScript(file, "0644", "root:root")}\nstat -c %a ${path.dirname(file)} ${path.dirname(path.dirname(file))} ${file}`,
      { input: "10.0.0.1\n" },
    );
    expect(r.stdout).toBe("755\n755\n644\n");
  });

  test("a failed write leaves the old file and no temp file behind", () => {
    const dir = tempDir({ "keep.conf": "old\n" });
    const file = path.join(dir, "keep.conf");
    const r = inSandbox(writeFileScript(file, "0644", "nosuchuser:nosuchgroup"), { input: "new\n" });
    expect(r.status).not.toBe(0);
    expect(fs.readFileSync(file, "utf8")).toBe("old\n");
    expect(fs.readdirSync(dir)).toEqual(["keep.conf"]);
  });
});

describe("RemoteFileBlock scripts, run for real", () => {
  test("insert, replace and remove a marked block; other lines stay as they were", () => {
    const dir = tempDir({ fstab: "# /etc/fstab\nUUID=1 / ext4 defaults 0 1\n" });
    const file = path.join(dir, "fstab");
    fs.chmodSync(file, 0o644);
    const insert = writeBlockScript(file, "xen", true);
    const r = inSandbox(
      [
        `printf '/dev/nbd0 /srv/xen ocfs2 _netdev 0 0' | { ${insert}\n}`,
        `printf '/dev/nbd1 /srv/xen ocfs2 _netdev 0 0\\n' | { ${insert}\n}`,
        `cat ${file}; echo ---`,
        `stat -c %a ${file}`,
        writeBlockScript(file, "xen", false),
        `cat ${file}`,
      ].join("\n"),
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      [
        "# /etc/fstab",
        "UUID=1 / ext4 defaults 0 1",
        "# BEGIN xenstorage xen",
        "/dev/nbd1 /srv/xen ocfs2 _netdev 0 0",
        "# END xenstorage xen",
        "---",
        "644",
        "# /etc/fstab",
        "UUID=1 / ext4 defaults 0 1",
        "",
      ].join("\n"),
    );
  });
});
