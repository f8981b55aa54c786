/**
 * HeartbeatPair's start step, run with stand-ins for `service` and `systemctl` that behave
 * like a heartbeat that is running, starts, or hangs.
 */
import { heartbeatStartScript } from "../../components/heartbeat/scripts";
import { runWithStandIns } from "./stand-ins";

type Heartbeat = "running" | "starts" | "hangs";

function startWith(heartbeat: Heartbeat) {
  return runWithStandIns(heartbeatStartScript(2), {
    service: [
      'case "$2" in',
      `  status) ${heartbeat === "running" ? "exit 0" : "exit 3"} ;;`,
      `  start) ${heartbeat === "hangs" ? "exec sleep 60" : "exit 0"} ;;`,
      "esac",
    ].join("\n"),
    systemctl: '[ "$1" != list-jobs ] || echo "42 drbd.service start running"',
    "update-rc.d": ":",
  });
}

describe("heartbeatStartScript", () => {
  test("a running heartbeat is reloaded, not started again", () => {
    const r = startWith("running");
    expect(r.status).toBe(0);
    expect(r.calls).toContain("service heartbeat reload");
    expect(r.calls).not.toContain("service heartbeat start");
  });

  test("a stopped heartbeat is started", () => {
    const r = startWith("starts");
    expect(r.status).toBe(0);
    expect(r.calls).toContain("service heartbeat start");
  });

  test("a start that hangs (queued behind drbd.service at boot) fails in bounded time and says why", () => {
    const r = startWith("hangs");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("heartbeat did not start in 2 s");
    expect(r.stderr).toContain("42 drbd.service start running");
  });
});
