import { DateTime } from "luxon";
import { z } from "zod";
import { renderDigestText } from "../../src/domain/digest-text.ts";
import { renderExplanation } from "../../src/domain/digest-explain.ts";
import { healthScores } from "../../src/domain/health.ts";
import { weekFromLabel } from "../../src/domain/week.ts";
import { weeklyDigest } from "../../src/services/weekly-digest.ts";
import { parseFlags, required, switchFlag } from "./args.ts";
import type { CliContext } from "./context.ts";

/** `rapport digest`: a week's two-sided digest as text or JSON (default: the last complete week). */
export async function digestCommand(argv: string[], ctx: CliContext): Promise<void> {
  const flags = parseFlags(argv, {
    partnership: required("--partnership"),
    week: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
      .refine((d) => DateTime.fromISO(d).isValid, "no such date")
      .optional(),
    format: z.enum(["text", "json"], { error: "expected text or json" }).default("text"),
    explain: switchFlag(),
  });
  const result = await ctx.withApp(async ({ core }) => {
    const partnership = await core.partnerships.get(flags.partnership);
    const weekOf = flags.week ? weekFromLabel(flags.week, partnership.timezone).start : undefined;
    return weeklyDigest(core, partnership.id, weekOf);
  });
  if (flags.format === "json") {
    // The metrics carry `outcomes` and `trace`: the items behind every figure.
    const scores = healthScores(result.metrics);
    ctx.output.out(JSON.stringify({ digest: result.digest, metrics: result.metrics, scores }, null, 2));
  } else {
    ctx.output.out(renderDigestText(result.digest));
    if (flags.explain) ctx.output.out(renderExplanation(result.metrics));
  }
}
