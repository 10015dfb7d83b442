import { z } from "zod";
import { channelPurposeSchema, platformSchema, roleSchema, sideSchema } from "../../src/domain/vocabulary.ts";
import { readTimezone } from "../../src/domain/settings-text.ts";
import { addMember, createPartnership, linkChannel } from "../../src/services/setup-partnership.ts";
import { parseFlags, readBy, required } from "./args.ts";
import type { CliContext } from "./context.ts";

const PURPOSES = "expected support, digest or support,digest";
const purposes = z
  .string()
  .transform((s) =>
    s
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(channelPurposeSchema.options, { error: PURPOSES })).min(1, PURPOSES));

/** `rapport partnership create`: prints the new partnership's id on its own line. */
export async function partnershipCreate(argv: string[], ctx: CliContext): Promise<void> {
  const flags = parseFlags(argv, {
    name: required("--name"),
    provider: required("--provider"),
    client: required("--client"),
    timezone: readBy(readTimezone).optional(),
    "provider-workspace": z.string().optional(),
  });
  const p = await ctx.withApp(({ core }) =>
    createPartnership(core, {
      name: flags.name,
      providerOrg: flags.provider,
      clientOrg: flags.client,
      providerWorkspaceIds:
        flags["provider-workspace"]
          ?.split(",")
          .map((s) => s.trim())
          .filter(Boolean) ?? [],
      settings: flags.timezone ? { timezone: flags.timezone } : {},
    }),
  );
  ctx.output.out(p.id);
}

/** `rapport partnership link`: links a chat channel for support and/or the digest. */
export async function partnershipLink(argv: string[], ctx: CliContext): Promise<void> {
  const flags = parseFlags(argv, {
    partnership: required("--partnership"),
    platform: z.enum(platformSchema.options, { error: "expected slack or teams" }),
    workspace: required("--workspace"),
    channel: required("--channel"),
    purpose: purposes,
  });
  await ctx.withApp(({ core }) =>
    linkChannel(core, {
      partnershipId: flags.partnership,
      platform: flags.platform,
      workspaceId: flags.workspace,
      channelId: flags.channel,
      purposes: flags.purpose,
    }),
  );
  ctx.output.out(`linked ${flags.platform} channel ${flags.channel} for ${flags.purpose.join(" and ")}`);
}

/** `rapport member add`: gives a chat user a side and a role in a partnership. */
export async function memberAdd(argv: string[], ctx: CliContext): Promise<void> {
  const flags = parseFlags(argv, {
    partnership: required("--partnership"),
    platform: z.enum(platformSchema.options, { error: "expected slack or teams" }),
    workspace: required("--workspace"),
    user: required("--user"),
    side: z.enum(sideSchema.options, { error: "expected provider or client" }),
    role: z.enum(roleSchema.options, { error: "expected lead, tech, staff or admin" }),
    name: z.string().optional(),
  });
  const m = await ctx.withApp(({ core }) =>
    addMember(core, {
      partnershipId: flags.partnership,
      platform: flags.platform,
      workspaceId: flags.workspace,
      userId: flags.user,
      displayName: flags.name ?? null,
      side: flags.side,
      role: flags.role,
    }),
  );
  ctx.output.out(`${m.userId} is ${m.side} side, ${m.role}`);
}

/** `rapport partnership list`: one line per partnership, id first. */
export async function partnershipList(argv: string[], ctx: CliContext): Promise<void> {
  parseFlags(argv, {});
  const [all, unusable] = await ctx.withApp(({ core }) =>
    Promise.all([core.partnerships.list(), core.partnerships.listUnusable()]),
  );
  for (const u of unusable) ctx.output.err(u.problem);
  if (all.length === 0 && unusable.length === 0) {
    ctx.output.out(
      "No partnerships yet. Create one with `rapport partnership create`, or try `rapport demo`.",
    );
    return;
  }
  for (const p of all)
    ctx.output.out(
      `${p.id}  ${p.key.padEnd(6)}  ${p.name}  (${p.providerOrg} ↔ ${p.clientOrg}, ${p.timezone})`,
    );
}
