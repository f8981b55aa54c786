/**
 * Runs a library script in the sandbox with stand-ins for some commands: small sh scripts
 * put first on PATH, which append their arguments to a log the test reads back. /run is
 * empty there, so the scripts take their non-systemd paths unless a stand-in says otherwise.
 */
import * as fs from "fs";
import * as path from "path";
import { Ran, tempDir } from "../render/tools";
import { inSandbox } from "./sandbox";

export interface RanWithStandIns extends Ran {
  /** One line per stand-in call: its name and arguments. */
  calls: string;
}

/** `standIns` maps a command name to the body of its sh script. */
export function runWithStandIns(script: string, standIns: Record<string, string>): RanWithStandIns {
  const bin = tempDir(
    Object.fromEntries(
      Object.entries(standIns).map(([name, body]) => [
        name,
        `#!/bin/sh\necho "${name} $*" >> "$LOG"\n${body}\n`,
      ]),
    ),
  );
  for (const name of Object.keys(standIns)) fs.chmodSync(path.join(bin, name), 0o755);
  const log = path.join(bin, "calls.log");
  fs.writeFileSync(log, "");
  const ran = inSandbox(script, {
    env: { PATH: `${bin}:${process.env.PATH}`, LOG: log },
    prelude: "mount -t tmpfs none /run",
  });
  return { ...ran, calls: fs.readFileSync(log, "utf8") };
}
