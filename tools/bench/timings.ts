/** Pure figures for `npm run bench`: the critical path of a deploy and the remote commands it ran. */

interface EngineEvent {
  timestamp: number;
  resourcePreEvent?: { metadata: { urn: string; type?: string; op?: string } };
  resOutputsEvent?: { metadata: { urn: string } };
}

interface Deployment {
  deployment: { resources?: { urn: string; type: string; custom?: boolean; dependencies?: string[] }[] };
}

export interface CriticalPath {
  seconds: number;
  /** Short names of the resources along it, first to last. */
  chain: string[];
}

/**
 * The longest dependency chain of a deploy, each resource weighted by its step's duration in
 * the engine's events (`pulumi up --json`; the engine stamps events in whole seconds).
 */
export function criticalPath(eventLog: string, exported: Deployment): CriticalPath {
  const resources = (exported.deployment.resources ?? []).filter(
    // Steps that do work; a component or the stack only spans its children.
    (r) => r.custom === true && !r.type.startsWith("pulumi:providers:"),
  );
  const steps = new Set(resources.map((r) => r.urn));
  const started = new Map<string, number>();
  const took = new Map<string, number>();
  for (const line of eventLog.split("\n")) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as EngineEvent;
    if (e.resourcePreEvent) started.set(e.resourcePreEvent.metadata.urn, e.timestamp);
    const done = e.resOutputsEvent?.metadata.urn;
    if (done !== undefined && steps.has(done) && started.has(done))
      took.set(done, e.timestamp - started.get(done)!);
  }
  const dependencies = new Map(
    resources.map((r) => [r.urn, (r.dependencies ?? []).filter((d) => took.has(d))]),
  );
  const longest = new Map<string, CriticalPath>();
  const visit = (urn: string): CriticalPath => {
    const known = longest.get(urn);
    if (known) return known;
    const before = (dependencies.get(urn) ?? [])
      .map(visit)
      .reduce<CriticalPath>((a, b) => (b.seconds > a.seconds ? b : a), { seconds: 0, chain: [] });
    const path = {
      seconds: before.seconds + took.get(urn)!,
      chain: [...before.chain, urn.split("::").pop()!],
    };
    longest.set(urn, path);
    return path;
  };
  return [...took.keys()]
    .map(visit)
    .reduce((a, b) => (b.seconds > a.seconds ? b : a), { seconds: 0, chain: [] });
}

/** How many remote commands a deploy ran: the engine's steps on `command:remote:Command` that did something. */
export function remoteCommandsRun(eventLog: string): number {
  return eventLog
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as EngineEvent).resourcePreEvent?.metadata)
    .filter((m) => m?.type === "command:remote:Command" && m.op !== "same" && m.op !== "read").length;
}
