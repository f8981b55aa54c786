/** Runs the real Debian tools that check rendered files. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(
  command: string,
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Ran {
  const r = spawnSync(command, args, {
    input: options.input,
    encoding: "utf8",
    env: { ...process.env, ...options.env },
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** A shell script, run by sh. */
export function sh(script: string, options: { input?: string; env?: Record<string, string> } = {}): Ran {
  return run("sh", ["-c", script], options);
}

/** Writes files into a new temporary directory and returns its path. */
export function tempDir(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xenstorage-"));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}
