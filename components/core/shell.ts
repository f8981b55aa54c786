import * as pulumi from "@pulumi/pulumi";

/**
 * Quotes one value for a POSIX shell. Every value that reaches a shell goes through here:
 * the result is a single word whatever the value holds (`;`, `$()`, backticks, quotes,
 * newlines). NUL cannot be passed to a shell at all, so it is refused.
 * @internal
 */
export function shq(value: string | number): string {
  const text = String(value);
  if (text.includes("\0")) {
    throw new Error("a NUL byte cannot be passed to a shell");
  }
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Quotes each value and joins them with spaces.
 * @internal
 */
export function shqAll(values: readonly (string | number)[]): string {
  return values.map(shq).join(" ");
}

/**
 * Quotes an Input for use inside `pulumi.interpolate`.
 * @internal
 */
export function quoted(value: pulumi.Input<string | number>): pulumi.Output<string> {
  return pulumi.output(value).apply(shq);
}
