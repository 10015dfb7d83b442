import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Place, PlatformUser } from "../../src/domain/vocabulary.ts";
import type { Core } from "../../src/services/core.ts";
import { Rapport } from "../../src/services/rapport.ts";
import type { SetUpCommand } from "../../src/services/set-up.ts";
import { refusal } from "./support/refusal.ts";
import { backend, openTestCore } from "./support/test-store.ts";

// One set-up use case for both platforms: who may create and change what, all or nothing.

const PROVIDER = "T0FIX";
const CLIENT = "T0ACME";
const slack = (workspaceId: string, userId: string, displayName?: string): PlatformUser => ({
  platform: "slack",
  workspaceId,
  userId,
  ...(displayName ? { displayName } : {}),
});
const creator = slack(PROVIDER, "U0CREATOR", "Cleo Creator");
const lead = slack(PROVIDER, "U0LEAD");
const owner = slack(CLIENT, "U0OWNER");
const staff = slack(CLIENT, "U0STAFF");
const tech = slack(PROVIDER, "U0TECH");

const command = (over: Partial<SetUpCommand> = {}): SetUpCommand => ({
  name: "Fixit ↔ Acme",
  providerOrg: "Fixit IT",
  clientOrg: "Acme Dental",
  settings: { timezone: "Europe/London" },
  purposes: ["support", "digest"],
  people: [
    { user: lead, side: "provider", role: "lead" },
    { user: owner, side: "client", role: "admin" },
  ],
  ...over,
});

describe(`setting up a partnership, on ${backend}`, () => {
  let core: Core;
  let rapport: Rapport;
  let dispose: () => Promise<void>;
  let n = 0;
  const channel = (): Place => ({ platform: "slack", workspaceId: PROVIDER, channelId: `C0SETUP${++n}` });

  beforeAll(async () => {
    const t = await openTestCore("2026-11-16T10:15:00Z");
    core = t.core;
    dispose = t.store.dispose;
    rapport = new Rapport(core);
  });
  afterAll(() => dispose());

  it("makes the creator an admin, of the provider side unless they list themselves elsewhere", async () => {
    const at = channel();
    const { partnership, link, members, created } = await rapport.setUp({
      place: at,
      by: creator,
      command: command(),
    });
    expect(created).toBe(true);
    expect(link).toMatchObject({ channelId: at.channelId, purposes: ["support", "digest"] });
    expect(partnership.providerWorkspaceIds).toEqual([PROVIDER]);
    const roles = members.map((m) => [m.userId, m.side, m.role]).sort();
    expect(roles).toEqual(
      [
        ["U0CREATOR", "provider", "admin"],
        ["U0LEAD", "provider", "lead"],
        ["U0OWNER", "client", "admin"],
      ].sort(),
    );
    const clientCreated = await rapport.setUp({
      place: channel(),
      by: owner,
      command: command({ name: "Acme's own", people: [{ user: owner, side: "client", role: "lead" }] }),
    });
    expect(clientCreated.members.map((m) => [m.userId, m.side, m.role])).toEqual([
      ["U0OWNER", "client", "admin"],
    ]);
    expect(clientCreated.partnership.providerWorkspaceIds).toEqual([]);
  });

  it("lets only an admin change it, each for their own side, and refuses a mixed change as a whole", async () => {
    const at = channel();
    const { partnership } = await rapport.setUp({
      place: at,
      by: creator,
      command: command({ name: "Second" }),
    });
    expect(
      await refusal(rapport.setUp({ place: at, by: staff, command: command({ name: "Renamed" }) })),
    ).toMatch(/Only an admin of Second/);
    // The client admin names a provider technician: refused, and the rename in the same form too.
    const message = await refusal(
      rapport.setUp({
        place: at,
        by: owner,
        command: command({
          name: "Renamed",
          people: [
            { user: owner, side: "client", role: "admin" },
            { user: tech, side: "provider", role: "lead" },
          ],
        }),
      }),
    );
    expect(message).toMatch(/Nothing was changed.*client side only/);
    expect((await core.partnerships.get(partnership.id)).name).toBe("Second");
    expect(await core.partnerships.findMember(partnership.id, "slack", PROVIDER, "U0TECH")).toBeNull();
    // Their own side's change goes through.
    const changed = await rapport.setUp({
      place: at,
      by: owner,
      command: command({
        name: "Renamed",
        people: [
          { user: owner, side: "client", role: "admin" },
          { user: staff, side: "client", role: "lead" },
        ],
      }),
    });
    expect(changed.partnership.name).toBe("Renamed");
    expect(changed.members.find((m) => m.userId === "U0STAFF")).toMatchObject({
      side: "client",
      role: "lead",
    });
  });

  it("adds the provider's workspaces a form names and keeps those of the other platform", async () => {
    const at = channel();
    const { partnership } = await rapport.setUp({
      place: at,
      by: creator,
      command: command({ name: "Both" }),
    });
    // The provider also uses Teams: its tenant was added at the command line.
    await core.partnerships.update(partnership.id, { providerWorkspaceIds: [PROVIDER, "tenant-fixit"] });
    const otherTeam = slack("T0FIXEU", "U0EUTECH");
    const saved = await rapport.setUp({
      place: at,
      by: creator,
      command: command({ name: "Both", people: [{ user: otherTeam, side: "provider", role: "tech" }] }),
    });
    expect(saved.partnership.providerWorkspaceIds).toEqual(["T0FIX", "T0FIXEU", "tenant-fixit"]);
    // Someone of the client's workspace (its owner is a client member) cannot be pulled across.
    const message = await refusal(
      rapport.setUp({
        place: at,
        by: creator,
        command: command({ name: "Both", people: [{ user: staff, side: "provider", role: "tech" }] }),
      }),
    );
    expect(message).toMatch(/U0STAFF: you can add and change people of the provider side only/);
  });

  it("refuses to set up another partnership from a channel linked to one", async () => {
    const at = channel();
    await rapport.setUp({ place: at, by: creator, command: command({ name: "Third" }) });
    const other = await rapport.setUp({
      place: channel(),
      by: creator,
      command: command({ name: "Fourth" }),
    });
    expect(
      await refusal(
        rapport.setUp({
          place: at,
          by: creator,
          partnershipId: other.partnership.id,
          command: command({ name: "Fourth" }),
        }),
      ),
    ).toMatch(/not linked to/);
  });

  it("writes nothing when a part fails (partnership, link and people in one transaction)", async () => {
    const before = (await core.partnerships.list()).length;
    const at = channel();
    await expect(
      rapport.setUp({
        place: at,
        by: creator,
        // A role the database refuses: the member insert fails after the partnership and link were written.
        command: command({ name: "Half", people: [{ user: owner, side: "client", role: "owner" as never }] }),
      }),
    ).rejects.toThrow();
    expect((await core.partnerships.list()).length).toBe(before);
    expect(await core.partnerships.findChannel("slack", PROVIDER, at.channelId!)).toBeNull();
  });

  it("shows the form of a linked channel only to its admins", async () => {
    const at = channel();
    await rapport.setUp({ place: at, by: creator, command: command({ name: "Fifth" }) });
    const view = await rapport.setupForm({ place: at, by: creator });
    expect(view.partnership?.name).toBe("Fifth");
    expect(view.members.length).toBe(3);
    await refusal(rapport.setupForm({ place: at, by: staff }));
    expect(await rapport.setupForm({ place: channel(), by: staff })).toMatchObject({ partnership: null });
  });
});
