/**
 * First line of every file the library writes in the default flavor.
 * @internal
 */
export const MANAGED_HEADER =
  "Managed by xenstorage (Pulumi). Local edits are overwritten on the next `pulumi up`.";

/**
 * Joins lines and ends the text with a newline.
 * @internal
 */
export function lines(...parts: (string | false | undefined)[]): string {
  return parts.filter((p): p is string => typeof p === "string").join("\n") + "\n";
}

/**
 * Escapes text for an XML attribute value.
 * @internal
 */
export function xmlAttr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
