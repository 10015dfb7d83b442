import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Partnership } from "../../src/domain/partnership.ts";
import type { Core } from "../../src/services/core.ts";
import { addMember, createPartnership } from "../../src/services/setup-partnership.ts";
import { PartnershipStore } from "../../src/store/partnerships.ts";
import type { Store } from "../../src/store/database.ts";
import { backend, openTestCore } from "./support/test-store.ts";

// A whole office of people rapport has not seen yet reporting at once: each person's membership
// is looked up, and the look-ups that arrive together are one read. Each must get its own answer.

describe(`membership look-ups made together on ${backend}`, () => {
  let core: Core;
  let store: Store & { dispose(): Promise<void> };
  let acme: Partnership;
  let globex: Partnership;

  beforeAll(async () => {
    const t = await openTestCore("2026-11-16T10:00:00Z");
    core = t.core;
    store = t.store;
    const org = { providerOrg: "Fixit IT", providerWorkspaceIds: ["T0FIX"] };
    acme = await createPartnership(core, { ...org, name: "Acme", clientOrg: "Acme Dental" });
    globex = await createPartnership(core, { ...org, name: "Globex", clientOrg: "Globex Ltd" });
    for (let i = 0; i < 10; i++) {
      const side = i % 2 === 0 ? "client" : "provider";
      await addMember(core, {
        partnershipId: acme.id,
        platform: "slack",
        workspaceId: "T0ACME",
        userId: `U${i}`,
        side,
        role: side === "client" ? "staff" : "tech",
      });
    }
  });
  afterAll(() => store.dispose());

  it("answers each of sixty look-ups made at once with its own membership, or none", async () => {
    // A store of its own: nothing kept from another test's look-ups.
    const partnerships = new PartnershipStore({ db: store.db });
    const asked = Array.from({ length: 60 }, (_, i) => ({
      partnershipId: i % 3 === 0 ? globex.id : acme.id,
      userId: `U${i % 20}`,
    }));
    const answers = await Promise.all(
      asked.map((a) => partnerships.findMember(a.partnershipId, "slack", "T0ACME", a.userId)),
    );
    asked.forEach((a, i) => {
      const n = Number(a.userId.slice(1));
      const expected = a.partnershipId === acme.id && n < 10 ? (n % 2 === 0 ? "client" : "provider") : null;
      expect(answers[i]?.side ?? null, `${a.partnershipId === acme.id ? "Acme" : "Globex"} ${a.userId}`).toBe(
        expected,
      );
      if (answers[i]) expect(answers[i]).toMatchObject({ partnershipId: acme.id, userId: a.userId });
    });
  });

  it("reads afresh inside a transaction, one look-up at a time", async () => {
    const member = await new PartnershipStore({ db: store.db }).transaction((p) =>
      p.findMember(acme.id, "slack", "T0ACME", "U2"),
    );
    expect(member).toMatchObject({ side: "client", userId: "U2" });
  });
});
