/**
 * The failover timeline of a drill: each step of a takeover, read from the hosts' own logs and
 * clocks, in seconds after the kill (which the test's own clock records).
 */
import { vm } from "../lab/lab";

/** A guest's clock minus this machine's, in seconds, and how far that may be off. */
interface Clock {
  offset: number;
  error: number;
}

/** The best of three readings: the one with the shortest round trip. */
function clockOf(n: number): Clock {
  const readings = [1, 2, 3].map(() => {
    const before = Date.now() / 1000;
    const guest = Number(vm(n, "date +%s.%N").stdout.trim());
    const after = Date.now() / 1000;
    return { offset: guest - (before + after) / 2, error: (after - before) / 2 };
  });
  return readings.reduce((best, r) => (r.error < best.error ? r : best));
}

/** Guest time (seconds since the epoch) of the first journal entry from `since` (guest time) on matching `pattern`. */
function firstLogged(n: number, since: number, selector: string, pattern: string): number | undefined {
  const r = vm(
    n,
    `journalctl --no-pager -o short-unix --since @${Math.floor(since)} ${selector} | grep -m1 -E '${pattern}' | cut -d' ' -f1`,
  );
  const t = Number(r.stdout.trim());
  return r.stdout.trim() === "" || Number.isNaN(t) ? undefined : t;
}

/** The steps, in the order a takeover takes them. */
export const STEPS = [
  "peer declared dead",
  "DRBD Primary",
  "export serving",
  "address up",
  "address announced",
  "client connected",
  "client's map switched",
  "first write acknowledged",
] as const;
export type Step = (typeof STEPS)[number];
export type Timeline = Partial<Record<Step, number>>;

/**
 * The timeline of the takeover after `killed` was killed at `killedAt` (this machine's ms):
 * `survivor` took over; `writer` wrote through it, acknowledging each block in `ackLog`
 * ("BLOCK EPOCH" lines).
 */
export function takeoverTimeline(
  killedAt: number,
  killed: number,
  survivor: number,
  writer: number,
  ackLog: string,
): { timeline: Timeline; clockError: number } {
  const s = clockOf(survivor);
  const w = clockOf(writer);
  const kill = killedAt / 1000;
  const onSurvivor = (selector: string, pattern: string) => {
    const t = firstLogged(survivor, kill + s.offset - 2, selector, pattern);
    return t === undefined ? undefined : t - s.offset - kill;
  };
  const onWriter = (pattern: string) =>
    firstLogged(writer, kill + w.offset - 2, "-u 'xenstorage-nbd-import-*'", pattern);
  const moved = onWriter("moved from");
  const firstAck =
    moved === undefined
      ? undefined
      : Number(vm(writer, `awk '$2 >= ${moved} { print $2; exit }' ${ackLog}`).stdout.trim() || Number.NaN);
  const sinceKill = (t: number | undefined) =>
    t === undefined || Number.isNaN(t) ? undefined : t - w.offset - kill;
  return {
    timeline: {
      "peer declared dead": onSurvivor("-t heartbeat", `node xenamo${killed}: is dead`),
      "DRBD Primary": onSurvivor("-k", "role\\( Secondary -> Primary \\)"),
      "export serving": onSurvivor("-t xenstorage-nbd", ": serving"),
      "address up": onSurvivor("-t xenstorage-ip", ": up on"),
      "address announced": onSurvivor("-t xenstorage-ip", ": announced"),
      "client connected": sinceKill(onWriter("connected /dev/nbd")),
      "client's map switched": sinceKill(moved),
      "first write acknowledged": sinceKill(firstAck),
    },
    clockError: s.error + w.error,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Seconds with one decimal, or "-" for a step not found in the logs. */
const fmt = (t: number | undefined) => (t === undefined ? "-" : t.toFixed(1));

/** One row per kill and the minimum, median and maximum of each step, as a Markdown table. */
export function timelineTable(timelines: Timeline[]): string {
  const header = [
    "step (s after the kill)",
    ...timelines.map((_, i) => `kill ${i + 1}`),
    "min",
    "median",
    "max",
  ];
  const rows = STEPS.map((step) => {
    const found = timelines.map((t) => t[step]).filter((t): t is number => t !== undefined);
    const stats =
      found.length === 0 ? ["-", "-", "-"] : [Math.min(...found), median(found), Math.max(...found)].map(fmt);
    return [step, ...timelines.map((t) => fmt(t[step])), ...stats];
  });
  return [header, header.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

/**
 * Steps missing from the logs, or logged before the step that must precede them on the same
 * host (the survivor's steps on its clock; the writer's on its own).
 */
export function timelineFaults(timeline: Timeline): string[] {
  const missing = STEPS.filter((step) => timeline[step] === undefined).map((step) => `${step}: not logged`);
  const chains: Step[][] = [
    ["peer declared dead", "DRBD Primary", "export serving", "address up", "address announced"],
    ["client connected", "client's map switched", "first write acknowledged"],
  ];
  const early = chains.flatMap((chain) =>
    chain.slice(1).flatMap((step, i) => {
      const [before, after] = [timeline[chain[i]], timeline[step]];
      return before !== undefined && after !== undefined && after < before
        ? [`${step} before ${chain[i]}`]
        : [];
    }),
  );
  return [...missing, ...early];
}

/** The median of one step over the kills (undefined where a kill lacks it). */
export function medianOf(timelines: Timeline[], step: Step): number | undefined {
  const found = timelines.map((t) => t[step]);
  return found.every((t): t is number => t !== undefined) ? median(found) : undefined;
}
