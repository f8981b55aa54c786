import * as pulumi from "@pulumi/pulumi";
import { Rule } from "./rules";

/**
 * Checks a component's arguments against the rules in `rules.ts` and fails with a
 * `pulumi.ResourceError` that names the component, the field, the bad value and what is
 * allowed. A component resolves its arguments before it registers itself, so the error
 * names the component in its text rather than by resource. Plain values are checked at construction, before any resource is registered;
 * an Output is checked when it resolves, which is still before any command that uses it
 * can run, because the command's inputs are built from the checked Output.
 * @internal
 */
export class Checker {
  constructor(private readonly label: string) {}

  /** Fails now with the standard message. */
  fail(field: string, value: unknown, allowed: string): never {
    throw new pulumi.ResourceError(
      `${this.label}: ${field} is ${show(value)}; expected ${allowed}.`,
      undefined,
    );
  }

  /** Checks a plain value now. */
  plain<T>(field: string, value: T, rule: Rule<T>): T {
    const problem = rule(value);
    if (problem !== undefined) this.fail(field, value, problem);
    return value;
  }

  /** Checks an Input: now when it is plain, on resolution when it is an Output or a Promise. */
  input<T>(field: string, value: pulumi.Input<T>, rule: Rule<T>): pulumi.Output<T> {
    if (isDeferred(value)) {
      return pulumi
        .output(value)
        .apply((resolved) => this.plain(field, resolved as T, rule)) as pulumi.Output<T>;
    }
    return pulumi.output(this.plain(field, value as T, rule)) as pulumi.Output<T>;
  }

  /** Like `input`, but a plain value stays plain, so that a check `across` fields still runs at once. */
  value<T>(field: string, value: pulumi.Input<T>, rule: Rule<T>): pulumi.Input<T> {
    return isDeferred(value) ? this.input(field, value, rule) : this.plain(field, value as T, rule);
  }

  /** Like `input` for a secret: the message never shows the value. */
  secret<T>(field: string, value: pulumi.Input<T>, rule: Rule<T>): pulumi.Output<T> {
    return pulumi.output(value).apply((resolved) => {
      const problem = rule(resolved as T);
      if (problem !== undefined) this.fail(field, "(secret)", problem);
      return resolved as T;
    });
  }

  /** Like `input`, with a default for an absent value. */
  optional<T>(
    field: string,
    value: pulumi.Input<T> | undefined,
    fallback: T,
    rule: Rule<T>,
  ): pulumi.Output<T> {
    return this.input(field, value === undefined ? fallback : value, rule);
  }

  /**
   * A check across fields (timings in order, an address inside another's network): now when
   * every value is plain, on resolution when any is an Output. Build what the commands run
   * from the returned Output, so that a failure still comes before any host is touched.
   * `shown` picks what the message shows as the bad value (default: all the values).
   */
  across<V>(
    field: string,
    values: V,
    rule: Rule<pulumi.Unwrap<V>>,
    shown: (values: pulumi.Unwrap<V>) => unknown = (v) => v,
  ): pulumi.Output<pulumi.Unwrap<V>> {
    const checked = (resolved: pulumi.Unwrap<V>) => {
      const problem = rule(resolved);
      if (problem !== undefined) this.fail(field, shown(resolved), problem);
      return resolved;
    };
    if (containsDeferred(values)) return pulumi.output(values).apply(checked);
    return pulumi.output(checked(values as pulumi.Unwrap<V>)) as pulumi.Output<pulumi.Unwrap<V>>;
  }

  /**
   * `subject`, held back until the `across` check over `values` (which returned `checked`) has
   * passed. When every value was plain that check has already run, and a plain subject stays
   * plain, so that the checks of the parts it is passed to still run at once.
   */
  gate<T>(subject: pulumi.Input<T>, values: unknown, checked: pulumi.Output<unknown>): pulumi.Input<T> {
    return containsDeferred(values) ? pulumi.all([subject, checked]).apply(([s]) => s as T) : subject;
  }

  /** Checks that the keys (for example node names or numbers) are unique. */
  unique(field: string, keys: readonly (string | number)[]): void {
    const twice = repeated(keys);
    if (twice !== undefined) this.fail(field, twice, ONCE);
  }

  /** Like `unique` for Inputs: now when every value is plain, on resolution otherwise; gives the values. */
  distinct<T extends string | number>(field: string, values: pulumi.Input<T>[]): pulumi.Output<T[]> {
    return this.across(
      field,
      values,
      (v) => (repeated(v as T[]) === undefined ? undefined : ONCE),
      (v) => repeated(v as T[]),
    ) as pulumi.Output<T[]>;
  }
}

const ONCE = "each value once (this one appears twice)";

function repeated<T>(keys: readonly T[]): T | undefined {
  return keys.find((key, i) => keys.indexOf(key) !== i);
}

function isDeferred(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}

function containsDeferred(value: unknown): boolean {
  if (isDeferred(value)) return true;
  if (Array.isArray(value)) return value.some(containsDeferred);
  return typeof value === "object" && value !== null && Object.values(value).some(containsDeferred);
}

function show(value: unknown): string {
  if (value === undefined) return "missing";
  if (typeof value === "string" || typeof value === "number") return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
