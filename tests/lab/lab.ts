/** Helpers for the lab suites: the guests (lab/vms.sh) and the lab stack (tools/pulumi.sh). */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CliResult, REPO, pulumi } from "../engine/cli";

export function lab(args: string[], timeoutMs = 1_800_000): CliResult {
  const r = spawnSync("bash", [path.join(REPO, "lab", args[0]), ...args.slice(1)], {
    cwd: REPO,
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** Runs a shell command as root on xenamoN. */
export function vm(n: number, command: string): CliResult {
  return lab(["vms.sh", "ssh", String(n), command], 600_000);
}

/** The lab stack. */
export function stack(...args: string[]): CliResult {
  // Five TCG guests on two cores are slow: a deploy may take well over ten minutes under load.
  return pulumi([...args, "--stack", "lab", "--non-interactive"], { timeoutMs: 2_400_000 });
}

/** `pulumi up`; on failure its output is printed, since that is where the reason is. */
export function up(...extra: string[]): CliResult {
  const r = stack("up", "--yes", "--skip-preview", ...extra);
  if (r.status !== 0) console.log(`pulumi up failed:\n${r.stdout.slice(-20000)}\n${r.stderr.slice(-5000)}`);
  return r;
}

/**
 * Fails the test unless `pulumi up` succeeded, with the error lines of its diagnostics in the
 * failure itself: the summary of failed tests at the end of a long run is what a reader sees.
 */
export function expectUp(r: CliResult): void {
  if (r.status === 0) return;
  const out = r.stdout + r.stderr;
  const errors = out
    .slice(Math.max(0, out.lastIndexOf("Diagnostics:")))
    .split("\n")
    .filter((line) => /error|fail|timed? ?out/i.test(line))
    .slice(0, 30);
  throw new Error(`pulumi up exited ${r.status}:\n${errors.join("\n")}`);
}

/** Polls `test` every 2 s until it is true or `seconds` pass. */
export async function eventually(test: () => boolean, seconds: number): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (test()) return true;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return test();
}

/** Wall time of `fn`, in seconds, printed with a label (the README records these). */
export function timed<T>(label: string, fn: () => T): T {
  const start = Date.now();
  const result = fn();
  console.log(`lab timing: ${label} ${((Date.now() - start) / 1000).toFixed(0)} s`);
  return result;
}

export const MOUNT = "/srv/xen";
export const CONFIG_KEY = "xen-storage:heartbeat";

/** The Xen nodes' numbers (xenamoN), as the lab runs them. */
export function xenNodes(): number[] {
  return lab(["vms.sh", "nodes"])
    .stdout.trim()
    .split(/\s+/)
    .filter((n) => !["xenamo4", "xenamo5"].includes(n))
    .map((n) => Number(n.slice(-1)));
}

/** sha256 of a file on the OCFS2 mount of xenamoN. */
export function checksum(n: number, file: string): string {
  return vm(n, `sha256sum ${MOUNT}/${file} | cut -d' ' -f1`).stdout.trim();
}

/** A healthy deployed lab: the running one, or one booted and deployed from nothing. */
export function deployedLab(): void {
  if (lab(["health.sh"]).status === 0) return;
  lab(["down.sh"]);
  const boot = lab(["vms.sh", "up"], 3_000_000);
  if (boot.status !== 0) throw new Error(`lab did not boot:\n${boot.stdout}\n${boot.stderr}`);
  if (lab(["configure.sh"]).status !== 0) throw new Error("lab stack not configured");
  expectUp(up());
}

/** The last lines xenamoN's console printed (lab/vms.sh keeps it in .lab/xenamoN/serial.log). */
function consoleTail(n: number, lines: number): string {
  const file = path.join(REPO, ".lab", `xenamo${n}`, "serial.log");
  if (!fs.existsSync(file)) return "(no console log)\n";
  return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
}

/**
 * What an operator looks at when a deploy hangs: uptime, DRBD, addresses, mounts, the import
 * and the kernel's last lines; the console's, for a host SSH does not reach (a panic, a hang,
 * a reset in progress).
 */
export function hostStates(hosts: number[]): string {
  return hosts
    .map((n) => {
      const r = vm(
        n,
        "uptime; cat /proc/drbd 2>/dev/null; ip -o -4 addr show dev eth1; grep ocfs2 /proc/mounts; " +
          "journalctl --no-pager -u 'xenstorage-nbd-import-*' -n 15; dmesg | tail -25",
      );
      const unreachable = r.status !== 0 ? `its console:\n${consoleTail(n, 60)}` : "";
      return `--- xenamo${n} (ssh exit ${r.status})\n${r.stdout}${r.stderr}${unreachable}`;
    })
    .join("\n");
}
