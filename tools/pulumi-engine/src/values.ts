/**
 * Pulumi property values as a provider receives them: secrets arrive wrapped in an
 * object marked with a signature, unknowns (during preview) as a sentinel string.
 */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Props = Record<string, unknown>;

export function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG] === SECRET;
}

/** Wraps a value as a secret (once). */
export function secret(value: unknown): unknown {
  return isSecret(value) ? value : { [SIG]: SECRET, value };
}

/** The plain value with every secret wrapper removed, at any depth. */
export function reveal(value: unknown): unknown {
  if (isSecret(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}

/** True when the value holds an unknown anywhere (only during preview). */
export function hasUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(hasUnknown);
  return false;
}

/** Deep equality of two revealed values. */
export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(reveal(a))) === JSON.stringify(canonical(reveal(b)));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Props)[k])]),
    );
  }
  return value;
}

/** The keys among `keys` whose values differ between `olds` and `news` (an unknown counts as a change). */
export function changedKeys(olds: Props, news: Props, keys: readonly string[]): string[] {
  return keys.filter((k) => hasUnknown(news[k]) || !same(olds[k], news[k]));
}

/** The resource's name, the last part of its URN. */
export function nameOf(urn: string): string {
  return urn.split("::").pop() ?? "resource";
}

/** The resource's type token, the last part of its URN's type chain. */
export function typeOf(urn: string): string {
  return (urn.split("::")[2] ?? "").split("$").pop() ?? "";
}
