/** RandomPassword's generator: Node's CSPRNG, the classes and minimums of @pulumi/random. */
import * as crypto from "crypto";
import { Props } from "./values";

function pick(chars: string, n: number): string[] {
  return Array.from({ length: n }, () => chars[crypto.randomInt(chars.length)]);
}

/** A password with at least the minimum of each class, the rest from all enabled classes, shuffled. */
export function password(p: Props): string {
  const length = Number(p.length);
  const classes: [boolean, string, number][] = [
    [p.lower !== false, "abcdefghijklmnopqrstuvwxyz", Number(p.minLower ?? 0)],
    [p.upper !== false, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", Number(p.minUpper ?? 0)],
    [p.numeric !== false && p.number !== false, "0123456789", Number(p.minNumeric ?? 0)],
    [
      p.special !== false,
      typeof p.overrideSpecial === "string" ? p.overrideSpecial : "!@#$%&*()-_=+[]{}<>:?",
      Number(p.minSpecial ?? 0),
    ],
  ];
  const enabled = classes.filter(([on, chars]) => on && chars.length > 0);
  const required = enabled.flatMap(([, chars, min]) => pick(chars, min));
  const all = enabled.map(([, chars]) => chars).join("");
  const chars = [...required, ...pick(all, Math.max(0, length - required.length))];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}
