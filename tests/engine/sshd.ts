/**
 * A real OpenSSH server on 127.0.0.1, for the engine tests: its own host key, one client
 * key authorized for root, and a private mount namespace whose /var/lib/xenstorage is a
 * tmpfs (so the library's bookkeeping on the "host" does not touch this machine's).
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { tempDir } from "../render/tools";

export interface Sshd {
  port: number;
  privateKey: string;
  /** The server's public host key, `ssh-ed25519 AAAA...`. */
  hostKey: string;
  stop(): void;
}

function keygen(file: string): void {
  const r = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]);
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function listening(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error("sshd exited");
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => (s.end(), resolve(true)));
      s.on("error", () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("sshd did not start listening");
}

/**
 * `options.forceCommand`: what sshd runs instead of every command it is sent (sshd's own
 * `ForceCommand`; the command sent is in `$SSH_ORIGINAL_COMMAND`).
 */
export async function startSshd(options: { forceCommand?: string } = {}): Promise<Sshd> {
  const dir = tempDir();
  fs.chmodSync(dir, 0o700);
  keygen(path.join(dir, "host"));
  keygen(path.join(dir, "client"));
  fs.copyFileSync(path.join(dir, "client.pub"), path.join(dir, "authorized_keys"));
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${dir}/host`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      `PidFile ${dir}/sshd.pid`,
      ...(options.forceCommand === undefined ? [] : [`ForceCommand ${options.forceCommand}`]),
      "",
    ].join("\n"),
  );
  const child = spawn(
    "unshare",
    [
      "-m",
      "--propagation",
      "private",
      "sh",
      "-c",
      `mkdir -p /var/lib/xenstorage /run/sshd && mount -t tmpfs none /var/lib/xenstorage && exec /usr/sbin/sshd -D -e -f ${dir}/sshd_config`,
    ],
    { stdio: "ignore" },
  );
  await listening(port, child);
  return {
    port,
    privateKey: fs.readFileSync(path.join(dir, "client"), "utf8"),
    hostKey: fs.readFileSync(path.join(dir, "host.pub"), "utf8").split(" ").slice(0, 2).join(" "),
    stop: () => {
      child.kill("SIGTERM");
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
