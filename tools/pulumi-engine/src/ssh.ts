/**
 * Runs one command on a host through the OpenSSH client, the way pulumi-command's remote
 * Command does through its SSH library: the command string goes to the remote login
 * shell, stdin is piped, stdout and stderr are collected. Connections to one host are
 * multiplexed (ControlMaster) for the life of the provider process.
 */
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface Connection {
  host: string;
  port?: number;
  user?: string;
  privateKey?: string;
  privateKeyPassword?: string;
  password?: string;
  agentSocketPath?: string;
  hostKey?: string;
  dialErrorLimit?: number;
  perDialTimeout?: number;
  proxy?: unknown;
}

export interface Result {
  stdout: string;
  stderr: string;
}

/** A private directory (0700) for keys, known_hosts and control sockets; removed at exit. */
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "xs-ssh-"));
fs.chmodSync(workDir, 0o700);
process.on("exit", () => fs.rmSync(workDir, { recursive: true, force: true }));

const HOST_ALIAS = "xenstorage-pinned-host";
const prepared = new Map<string, string[]>();
/** sshd allows 10 sessions per connection (MaxSessions); stay below it on the shared one. */
const SESSIONS_PER_HOST = 8;
const sessions = new Map<string, { active: number; waiting: (() => void)[] }>();

async function withSession<T>(connection: Connection, fn: () => Promise<T>): Promise<T> {
  const key = `${connection.user ?? "root"}@${connection.host}:${connection.port ?? 22}`;
  const slot = sessions.get(key) ?? { active: 0, waiting: [] };
  sessions.set(key, slot);
  while (slot.active >= SESSIONS_PER_HOST) await new Promise<void>((r) => slot.waiting.push(r));
  slot.active++;
  try {
    return await fn();
  } finally {
    slot.active--;
    slot.waiting.shift()?.();
  }
}

function unsupported(connection: Connection): string | undefined {
  if (connection.password !== undefined) return "password authentication";
  if (connection.privateKeyPassword !== undefined) return "encrypted private keys (privateKeyPassword)";
  if (connection.proxy !== undefined) return "proxy (bastion) connections";
  return undefined;
}

/** ssh options for a connection; the key and the pinned host key are written once to private files. */
function sshOptions(connection: Connection): string[] {
  const id = crypto.createHash("sha256").update(JSON.stringify(connection)).digest("hex").slice(0, 16);
  const cached = prepared.get(id);
  if (cached) return cached;
  const options = [
    "-F",
    "/dev/null",
    "-o",
    "BatchMode=yes",
    "-o",
    "LogLevel=ERROR",
    "-o",
    `ConnectTimeout=${connection.perDialTimeout ?? 15}`,
    "-o",
    "ServerAliveInterval=10",
    "-o",
    "ServerAliveCountMax=6",
    "-o",
    "ControlMaster=auto",
    "-o",
    `ControlPath=${path.join(workDir, `cm-${id}`)}`,
    "-o",
    "ControlPersist=120",
    "-p",
    String(connection.port ?? 22),
    "-l",
    connection.user ?? "root",
  ];
  if (connection.privateKey !== undefined) {
    const keyFile = path.join(workDir, `key-${id}`);
    const key = connection.privateKey.endsWith("\n") ? connection.privateKey : `${connection.privateKey}\n`;
    fs.writeFileSync(keyFile, key, { mode: 0o600 });
    options.push("-i", keyFile, "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none");
  }
  if (connection.hostKey !== undefined) {
    const knownHosts = path.join(workDir, `known-${id}`);
    fs.writeFileSync(knownHosts, `${HOST_ALIAS} ${connection.hostKey.trim()}\n`, { mode: 0o600 });
    options.push(
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      `UserKnownHostsFile=${knownHosts}`,
      "-o",
      `HostKeyAlias=${HOST_ALIAS}`,
    );
  } else {
    options.push("-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null");
  }
  prepared.set(id, options);
  return options;
}

function ssh(
  connection: Connection,
  command: string,
  stdin: string | undefined,
  environment: Record<string, string>,
): Promise<{ code: number | null } & Result> {
  const setEnv = Object.entries(environment).flatMap(([k, v]) => ["-o", `SetEnv=${k}=${v}`]);
  const env = { ...process.env };
  if (connection.privateKey === undefined && connection.agentSocketPath !== undefined)
    env.SSH_AUTH_SOCK = connection.agentSocketPath;
  return new Promise((resolve, reject) => {
    const child = spawn("ssh", [...sshOptions(connection), ...setEnv, connection.host, "--", command], {
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.on("error", () => undefined);
    child.stdin.end(stdin ?? "");
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether this process already holds a master connection to the host (asked locally, no session). */
function masterUp(connection: Connection): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("ssh", [...sshOptions(connection), "-O", "check", connection.host], {
      stdio: "ignore",
    });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}

/**
 * With XENSTORAGE_SSH_TRACE set to a file, each remote session is appended to it as a JSON
 * line (host, start and end in ms): `npm run bench` counts them.
 */
function trace(connection: Connection, start: number): void {
  const file = process.env.XENSTORAGE_SSH_TRACE;
  if (!file) return;
  const host = `${connection.host}:${connection.port ?? 22}`;
  fs.appendFileSync(file, `${JSON.stringify({ host, start, end: Date.now() })}\n`);
}

async function session(
  connection: Connection,
  command: string,
  stdin?: string,
  environment: Record<string, string> = {},
): Promise<{ code: number | null } & Result> {
  const start = Date.now();
  const r = await ssh(connection, command, stdin, environment);
  trace(connection, start);
  return r;
}

/**
 * Runs the command once. While no master connection is up, dials first (up to
 * `dialErrorLimit` attempts), so that an unreachable host is retried but a command never is.
 */
export async function runRemote(
  connection: Connection,
  command: string,
  stdin?: string,
  environment: Record<string, string> = {},
): Promise<Result> {
  const missing = unsupported(connection);
  if (missing)
    throw new Error(
      `this engine build's command provider does not support ${missing}; use a private key or an SSH agent`,
    );
  const limit = connection.dialErrorLimit ?? 10;
  return withSession(connection, async () => {
    for (let attempt = 1; !(await masterUp(connection)); attempt++) {
      const probe = await session(connection, "true");
      if (probe.code === 0) break;
      if (limit >= 0 && attempt >= limit) {
        const target = `${connection.user ?? "root"}@${connection.host}:${connection.port ?? 22}`;
        throw new Error(`ssh to ${target} failed after ${attempt} attempts: ${probe.stderr.trim()}`);
      }
      await sleep(1000);
    }
    const r = await session(connection, command, stdin, environment);
    if (r.code !== 0) {
      const tail = r.stderr.trim().split("\n").slice(-20).join("\n");
      throw new Error(`Process exited with status ${r.code}${tail ? `:\n${tail}` : ""}`);
    }
    return { stdout: r.stdout, stderr: r.stderr };
  });
}
