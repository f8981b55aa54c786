/**
 * HeartbeatPair's start step, run by sh with stand-ins for `service` and `systemctl` that
 * record what they were asked and behave like a heartbeat that is running, starts, or hangs.
 */
import * as fs from "fs";
import * as path from "path";
import { heartbeatStartScript } from "../../components/scripts/cluster";
import { tempDir } from "../render/tools";
import { inSandbox } from "./sandbox";

type Heartbeat = "running" | "starts" | "hangs";

function startWith(heartbeat: Heartbeat) {
  const startAction = { running: "exit 0", starts: "exit 0", hangs: "exec sleep 60" }[heartbeat];
  const bin = tempDir({
    service: [
      "#!/bin/sh",
      'echo "$*" >> "$LOG"',
      'case "$2" in',
      `  status) ${heartbeat === "running" ? "exit 0" : "exit 3"} ;;`,
      `  start) ${startAction} ;;`,
      "esac",
    ].join("\n"),
    systemctl:
      '#!/bin/sh\necho "systemctl $*" >> "$LOG"\n[ "$1" != list-jobs ] || echo "42 drbd.service start running"\n',
    "update-rc.d": "#!/bin/sh\n",
  });
  for (const f of fs.readdirSync(bin)) fs.chmodSync(path.join(bin, f), 0o755);
  const log = path.join(bin, "log");
  fs.writeFileSync(log, "");
  const ran = inSandbox(heartbeatStartScript(2), {
    env: { PATH: `${bin}:${process.env.PATH}`, LOG: log },
    prelude: "mount -t tmpfs none /run",
  });
  return { ...ran, calls: fs.readFileSync(log, "utf8") };
}

describe("heartbeatStartScript", () => {
  test("a running heartbeat is reloaded, not started again", () => {
    const r = startWith("running");
    expect(r.status).toBe(0);
    expect(r.calls).toContain("heartbeat reload");
    expect(r.calls).not.toContain("heartbeat start");
  });

  test("a stopped heartbeat is started", () => {
    const r = startWith("starts");
    expect(r.status).toBe(0);
    expect(r.calls).toContain("heartbeat start");
  });

  test("a start that hangs (queued behind drbd.service at boot) fails in bounded time and says why", () => {
    const r = startWith("hangs");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("heartbeat did not start in 2 s");
    expect(r.stderr).toContain("42 drbd.service start running");
  });
});
