/**
 * Runs the Output rows of the safety table in plain node and prints, per row, how it was
 * refused and which commands reached the (mock) engine carrying the value. An Output that
 * fails on resolution surfaces as unhandled rejections, as in a real Pulumi program; jest
 * would count those against whichever test runs, so bad-input.test.ts runs this instead.
 */
import * as pulumi from "@pulumi/pulumi";
import { outputCases } from "./bad-input-cases";
import { installMocks, refusal } from "./harness";

/** What bad-input.test.ts reads back for each row. */
export interface OutputRefusal {
  label: string;
  resourceError: boolean;
  message: string;
  atConstruction: boolean;
  /** Commands sent to the engine whose inputs hold the row's `carried` text. */
  carriedBy: string[];
}

async function main(): Promise<void> {
  installMocks();
  const rejections: Error[] = [];
  process.on("unhandledRejection", (reason) => rejections.push(reason as Error));
  const results: OutputRefusal[] = [];
  for (const [label, carried, build] of outputCases) {
    const { error, atConstruction, sent } = await refusal(build, rejections);
    results.push({
      label,
      resourceError: error instanceof pulumi.ResourceError,
      message: error?.message ?? "",
      atConstruction,
      carriedBy: sent.filter((c) => c.inputs.includes(carried)).map((c) => c.name),
    });
  }
  process.stdout.write(JSON.stringify(results));
}

void main();
