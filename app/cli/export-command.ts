import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { exportPartnership, type PartnershipExport } from "../../src/services/export-partnership.ts";
import { parseFlags, required } from "./args.ts";
import type { CliContext } from "./context.ts";
import { progressLine, type ProgressLine } from "./progress.ts";

/** `rapport export`: a partnership's whole record as JSON or CSV files in a folder. */
export async function exportCommand(argv: string[], ctx: CliContext): Promise<void> {
  const flags = parseFlags(argv, {
    partnership: required("--partnership"),
    format: z.enum(["json", "csv"], { error: "expected json or csv" }),
    out: required("--out"),
  });
  const progress = progressLine();
  const files = await (async () => {
    progress.update("export: reading the partnership's record…");
    const data = await ctx.withApp(({ core }) => exportPartnership(core, flags.partnership));
    await mkdir(flags.out, { recursive: true });
    const written =
      flags.format === "json"
        ? await writeJson(flags.out, data, progress)
        : await writeCsv(flags.out, data, progress);
    return { data, written };
  })().finally(() => progress.done());
  const { data } = files;
  ctx.output.out(
    `exported ${data.events.length} events, ${data.issues.length} issues, ${data.recommendations.length} recommendations and ${data.calls.length} calls of "${data.partnership.name}":`,
  );
  for (const f of files.written) ctx.output.out(`  ${f}`);
}

async function writeJson(dir: string, data: PartnershipExport, progress: ProgressLine): Promise<string[]> {
  const file = path.join(dir, `rapport-${data.partnership.key.toLowerCase()}-export.json`);
  progress.update(`export: writing ${path.basename(file)} (${data.events.length} events)…`);
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  return [file];
}

async function writeCsv(dir: string, data: PartnershipExport, progress: ProgressLine): Promise<string[]> {
  const tables: Record<string, Record<string, unknown>[]> = {
    events: data.events.map((e) => ({
      id: e.id,
      type: e.type,
      occurred_at: e.occurredAt,
      recorded_at: e.recordedAt,
      subject_id: e.subjectId,
      actor_side: e.actor?.side ?? "system",
      actor_user_id: e.actor?.userId ?? "",
      actor_name: e.actor?.displayName ?? "",
      source_platform: e.source.platform,
      source_id: e.source.id,
      payload: JSON.stringify(e.payload),
    })),
    issues: data.issues.map(({ reporter, message, ...i }) => ({
      ...i,
      reporter_side: reporter.side,
      reporter_user_id: reporter.userId,
      reporter_name: reporter.displayName,
      channel: message ? `${message.platform}:${message.workspaceId}/${message.channelId}` : "",
    })),
    recommendations: data.recommendations.map((r) => ({ ...r })),
    calls: data.calls.map((c) => ({ ...c })),
    downtimes: data.downtimes.map((d) => ({ ...d })),
    members: data.members.map((m) => ({ ...m })),
  };
  const written: string[] = [];
  for (const [name, rows] of Object.entries(tables)) {
    const file = path.join(dir, `${name}.csv`);
    progress.update(`export: writing ${name}.csv (${rows.length} rows)…`);
    const columns = rows[0] ? Object.keys(rows[0]) : [];
    await writeFile(file, stringify(rows, { header: true, columns, cast: { date: (d) => d.toISOString() } }));
    written.push(file);
  }
  return written;
}
