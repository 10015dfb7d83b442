import type { ModalView } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { VIEWS } from "../../../../../adapters/slack/ids.ts";
import {
  DIRECT_REQUEST_FORM,
  directRequestMetadataSchema,
  directRequestModal,
} from "../../../../../adapters/slack/presenters/direct-request-modal.ts";
import { parseMetadata } from "../../../../../adapters/slack/presenters/form-kit.ts";
import {
  callModal,
  headsUpModal,
  recommendModal,
} from "../../../../../adapters/slack/presenters/forms-modal.ts";
import { issueFormMetadataSchema, issueModal } from "../../../../../adapters/slack/presenters/issue-modal.ts";
import { checkBlockKit } from "../../../../../adapters/slack/presenters/limits.ts";
import {
  SETUP_FORM,
  setupMetadataSchema,
  setupModal,
} from "../../../../../adapters/slack/presenters/setup-modal.ts";
import { NOW, partnership } from "./fixtures.ts";

const meta = { partnershipId: partnership.id, channelId: "C0SUPPORT" };
const clock = { now: NOW, timezone: partnership.timezone };
const blockIds = (v: ModalView) => v.blocks.flatMap((b) => (b.block_id ? [b.block_id] : []));

const views: [string, ModalView, string][] = [
  ["issue", issueModal(meta, { title: "<!channel> printer &amp; scanner" }), VIEWS.issueForm],
  [
    "direct request",
    directRequestModal({
      metadata: {
        partnershipId: null,
        channelId: "D0DM",
        messageTs: "1772617200.000100",
      },
      messageText: "Can you reset my password? &lt;urgent&gt;",
      authorUserId: "U0CLIENT1",
      partnerships: [
        { id: partnership.id, name: partnership.name },
        { id: "p2", name: "Globex" },
      ],
    }),
    VIEWS.directRequestForm,
  ],
  [
    "new setup",
    setupModal({
      metadata: { partnershipId: null, channelId: "C0SUPPORT" },
      partnership: null,
    }),
    VIEWS.setup,
  ],
  [
    "linked setup",
    setupModal({
      metadata: { partnershipId: partnership.id, channelId: "C0SUPPORT" },
      partnership: { ...partnership, autoIntake: true, holidays: ["2026-12-25", "2026-12-28", "2027-01-01"] },
      purposes: ["support", "digest"],
      people: {
        provider: ["U0TECH1", "U0LEAD1"],
        client: ["U0CLIENT1"],
        leads: ["U0LEAD1"],
        admins: ["U0LEAD1"],
      },
    }),
    VIEWS.setup,
  ],
  ["recommend", recommendModal(meta, clock), VIEWS.recommend],
  ["call", callModal(meta), VIEWS.call],
  ["heads-up", headsUpModal(meta, clock), VIEWS.headsUp],
];

describe("modals", () => {
  it.each(views)("builds the %s modal within Slack's limits", (_, view, callbackId) => {
    expect(view.callback_id).toBe(callbackId);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(checkBlockKit(view)).toEqual([]);
    expect(view).toMatchSnapshot();
  });

  it("round-trips the form metadata through its schema", () => {
    expect(parseMetadata(issueFormMetadataSchema, issueModal(meta).private_metadata)).toEqual(meta);
    expect(parseMetadata(issueFormMetadataSchema, '{"partnershipId":1}')).toBeNull();
    expect(parseMetadata(issueFormMetadataSchema, "not json")).toBeNull();
    expect(parseMetadata(directRequestMetadataSchema, views[1]![1].private_metadata)?.messageTs).toBe(
      "1772617200.000100",
    );
  });

  it("prefills inputs with the text as typed, not escaped", () => {
    expect(JSON.stringify(views[0]![1])).toContain('"initial_value":"<!channel> printer & scanner"');
    expect(JSON.stringify(views[1]![1])).toContain('"initial_value":"Can you reset my password? <urgent>"');
  });

  it("asks for the partnership only when the channel does not say", () => {
    const known = directRequestModal({
      metadata: { partnershipId: partnership.id, channelId: "C", messageTs: "1.2" },
      messageText: "help",
      authorUserId: null,
    });
    expect(blockIds(known)).not.toContain(DIRECT_REQUEST_FORM.partnership);
    expect(blockIds(views[1]![1])).toContain(DIRECT_REQUEST_FORM.partnership);
  });

  it("prefills the set-up form's holidays one per line", () => {
    const input = views[3]![1].blocks.find((b) => b.block_id === SETUP_FORM.holidays);
    expect(input).toMatchObject({
      optional: true,
      element: {
        type: "plain_text_input",
        multiline: true,
        initial_value: "2026-12-25\n2026-12-28\n2027-01-01",
      },
    });
  });

  it("shows the newest holidays that fit a text input and remembers from which date, for saving", () => {
    const holidays = Array.from({ length: 400 }, (_, i) =>
      new Date(Date.UTC(2020, 0, 1 + i * 7)).toISOString().slice(0, 10),
    );
    const metadata = { partnershipId: partnership.id, channelId: "C0SUPPORT" };
    const view = setupModal({ metadata, partnership: { ...partnership, holidays } });
    expect(checkBlockKit(view)).toEqual([]);
    const input = view.blocks.find((b) => b.block_id === SETUP_FORM.holidays) as {
      element: { initial_value: string };
      hint: { text: string };
    };
    const shown = input.element.initial_value.split("\n");
    expect(shown.at(-1)).toBe(holidays.at(-1));
    expect(shown).toEqual(holidays.slice(holidays.length - shown.length));
    expect(shown.length).toBeGreaterThan(250);
    expect(input.hint.text).toContain(`Holidays before ${shown[0]} are not shown and stay.`);
    expect(parseMetadata(setupMetadataSchema, view.private_metadata)).toEqual({
      ...metadata,
      holidaysShownFrom: shown[0],
    });
  });

  it("defaults the decide-by date to 14 days from today in the partnership's timezone", () => {
    expect(JSON.stringify(recommendModal(meta, clock))).toContain('"initial_date":"2026-03-18"');
  });
});
