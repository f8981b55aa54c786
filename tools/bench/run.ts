/**
 * npm run bench: how long a program evaluation, a preview and a deploy take, each as a ratio
 * against a floor measured in the same run (absolute times are noisy on shared machines).
 *
 *   npm run bench            program evaluation and preview
 *   BENCH_LAB=1 npm run bench   also a deploy from nothing and a no-op deploy in a fresh VM lab
 *
 * Prints a markdown table (the README keeps the latest one) and writes it to .bench/results.md.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO, pulumi } from "../../tests/engine/cli";
import { criticalPath, remoteCommandsRun } from "./timings";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WORK = path.join(REPO, ".bench");

interface Row {
  measure: string;
  figure: string;
  floor: string;
  ratio?: number;
  goal?: { text: string; met: boolean };
}
const rows: Row[] = [];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function timedMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function mustPass(what: string, r: { status: number | null; stdout: string; stderr: string }): void {
  if (r.status !== 0)
    throw new Error(`bench: ${what} failed:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
}

// 1. Program evaluation with mocks, each in a fresh process.
interface Evaluation {
  resources: number;
  ms: number;
  maxRssKb: number;
}
function evaluate(kind: string): Evaluation {
  const runs = Array.from({ length: RUNS }, () => {
    const r = spawnSync(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join(__dirname, "evaluate.ts"), kind],
      { cwd: REPO, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
    );
    mustPass(`evaluating ${kind}`, r);
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as Evaluation;
  });
  return {
    resources: runs[0].resources,
    ms: median(runs.map((r) => r.ms)),
    maxRssKb: Math.max(...runs.map((r) => r.maxRssKb)),
  };
}

/** Xen clients evaluated: the seed's three, and up to 255, the most OCFS2 allows (o2cb numbers nodes 0 to 254). */
const CLIENTS = [3, 25, 255] as const;

function programEvaluation(): void {
  const empty = evaluate("empty");
  const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;
  const floor = `${secs(empty.ms)}, ${mb(empty.maxRssKb)} (empty program)`;
  const byClients = new Map<number, Evaluation>();
  for (const [label, kind] of [
    ["xenamo stack (dev)", "xenamo"],
    ...CLIENTS.map((n) => [`${n} Xen clients`, `clients:${n}`]),
  ]) {
    const e = evaluate(kind);
    if (kind.startsWith("clients:")) byClients.set(Number(kind.slice(8)), e);
    rows.push({
      measure: `evaluate with mocks: ${label}`,
      figure: `${secs(e.ms)}, ${mb(e.maxRssKb)}, ${e.resources} resources`,
      floor,
      ratio: e.ms / empty.ms,
    });
  }
  const [few, some, most] = CLIENTS.map((n) => byClients.get(n)!);
  const perResource = (a: Evaluation, b: Evaluation) => (b.ms - a.ms) / (b.resources - a.resources);
  rows.push({
    measure: `evaluate: ${CLIENTS[2]} clients against ${CLIENTS[0]} clients`,
    figure: secs(most.ms),
    floor: `${secs(few.ms)} (${CLIENTS[0]} clients)`,
    ratio: most.ms / few.ms,
    goal: { text: "< 5×", met: most.ms / few.ms < 5 },
  });
  const growth = perResource(some, most) / perResource(few, some);
  rows.push({
    measure: `evaluate: growth per resource, ${CLIENTS[1]}→${CLIENTS[2]} against ${CLIENTS[0]}→${CLIENTS[1]} (1 = linear)`,
    figure: `${perResource(some, most).toFixed(2)} ms/resource`,
    floor: `${perResource(few, some).toFixed(2)} ms/resource`,
    ratio: growth,
    goal: { text: "≤ 1.5× (linear)", met: growth <= 1.5 },
  });
}

// 2. Preview with the real engine, against an empty program's preview.
const EMPTY = path.join(WORK, "empty");
const PASSPHRASE = { PULUMI_CONFIG_PASSPHRASE: "bench-only" };

function emptyProject(): void {
  fs.mkdirSync(EMPTY, { recursive: true });
  fs.writeFileSync(
    path.join(EMPTY, "Pulumi.yaml"),
    "name: bench-empty\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n",
  );
  fs.writeFileSync(
    path.join(EMPTY, "index.ts"),
    'import * as pulumi from "@pulumi/pulumi";\nexport const stack = pulumi.getStack();\n',
  );
  const exists = pulumi(["stack", "select", "bench", "--cwd", EMPTY, "--non-interactive"], {
    env: PASSPHRASE,
  });
  if (exists.status !== 0)
    mustPass(
      "stack init",
      pulumi(["stack", "init", "bench", "--cwd", EMPTY, "--non-interactive"], { env: PASSPHRASE }),
    );
}

function previewMs(args: string[], env: Record<string, string> = {}): number {
  return median(
    Array.from({ length: RUNS }, () =>
      timedMs(() =>
        mustPass(`preview ${args.join(" ")}`, pulumi(["preview", ...args, "--non-interactive"], { env })),
      ),
    ),
  );
}

function preview(): void {
  emptyProject();
  const floor = previewMs(["--stack", "bench", "--cwd", EMPTY], PASSPHRASE);
  const dev = previewMs(["--stack", "dev"]);
  rows.push({
    measure: "pulumi preview --stack dev (68 remote commands)",
    figure: secs(dev),
    floor: `${secs(floor)} (empty program)`,
    ratio: dev / floor,
    goal: { text: "≤ 1.5×", met: dev / floor <= 1.5 },
  });
}

// 3 and 4. Deploys in a fresh lab.
function lab(script: string, ...args: string[]): void {
  const r = spawnSync("bash", [path.join(REPO, "lab", script), ...args], {
    cwd: REPO,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  mustPass(`lab/${script} ${args.join(" ")}`, { ...r, stdout: r.stdout ?? "", stderr: r.stderr ?? "" });
}

/**
 * SSH logins each guest's sshd has accepted since it booted (its journal), this query's own
 * included. Pulumi's command provider opens one per remote command.
 */
function sshSessions(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of [4, 5, 1, 2, 3]) {
    const r = spawnSync(
      "bash",
      [
        path.join(REPO, "lab", "vms.sh"),
        "ssh",
        String(n),
        "journalctl -u ssh -o cat | grep -c 'Accepted publickey'",
      ],
      {
        encoding: "utf8",
      },
    );
    counts[`xenamo${n}`] = Number(r.stdout.trim());
  }
  return counts;
}

/** `pulumi up --json`: its wall time and its engine events (one JSON object per line). */
function up(): { ms: number; events: string } {
  let events = "";
  const ms = timedMs(() => {
    const r = pulumi(["up", "--yes", "--skip-preview", "--stack", "lab", "--non-interactive", "--json"], {
      timeoutMs: 2_400_000,
    });
    mustPass("pulumi up --stack lab", r);
    events = r.stdout;
  });
  return { ms, events };
}

function deploys(): void {
  lab("down.sh");
  lab("vms.sh", "up");
  lab("configure.sh");
  const before = sshSessions();
  const { ms: wall, events } = up();
  const after = sshSessions();
  fs.writeFileSync(path.join(WORK, "up-events.jsonl"), events);
  const exported = pulumi(["stack", "export", "--stack", "lab"]);
  mustPass("stack export", exported);
  const critical = criticalPath(events, JSON.parse(exported.stdout));
  const overPath = wall / (critical.seconds * 1000);
  rows.push({
    measure: "pulumi up from nothing (lab, five guests)",
    figure: secs(wall),
    floor: `${critical.seconds} s critical path: ${critical.chain.join(" → ")}`,
    ratio: overPath,
    goal: { text: "≤ 1.3×", met: overPath <= 1.3 },
  });
  rows.push({
    measure: `SSH sessions during that up, per host (${remoteCommandsRun(events)} remote commands)`,
    figure: Object.keys(after)
      // Less one: the query that took `before` is counted in `after`.
      .map((host) => `${host}: ${after[host] - before[host] - 1}`)
      .join(", "),
    floor: "-",
  });

  const previewLab = previewMs(["--stack", "lab"]);
  const noops = Array.from({ length: RUNS }, () => up());
  const noop = median(noops.map((u) => u.ms));
  const remote = Math.max(...noops.map((u) => remoteCommandsRun(u.events)));
  rows.push({
    measure: `second pulumi up (no changes; ${remote} remote commands)`,
    figure: secs(noop),
    floor: `${secs(previewLab)} (pulumi preview --stack lab)`,
    ratio: noop / previewLab,
    goal: { text: "≤ 1.2×, 0 remote commands", met: noop / previewLab <= 1.2 && remote === 0 },
  });
  if (process.env.LAB_KEEP !== "1") lab("down.sh");
}

function table(): string {
  const met = (r: Row) => (r.goal === undefined ? "" : r.goal.met ? "met" : "**missed**");
  const lines = [
    `Run ${new Date().toISOString().slice(0, 16)}Z on ${os.cpus().length} × ${os.cpus()[0].model.trim()}, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}; medians of ${RUNS} runs.`,
    "",
    "| measure | figure | floor | ratio | goal | |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.measure} | ${r.figure} | ${r.floor} | ${r.ratio === undefined ? "-" : `${r.ratio.toFixed(2)}×`} | ${r.goal?.text ?? "-"} | ${met(r)} |`,
    ),
  ];
  return lines.join("\n");
}

fs.mkdirSync(WORK, { recursive: true });
programEvaluation();
preview();
if (process.env.BENCH_LAB === "1") deploys();
const result = table();
fs.writeFileSync(path.join(WORK, "results.md"), `${result}\n`);
console.log(result);
