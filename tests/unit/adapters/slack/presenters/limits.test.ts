import type { KnownBlock, ModalView } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { checkBlockKit } from "../../../../../adapters/slack/presenters/limits.ts";

const text = (n: number) => "x".repeat(n);
const sectionOf = (s: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text: s } });

describe("checkBlockKit", () => {
  it("accepts a message within the limits", () => {
    expect(checkBlockKit([sectionOf("hello"), { type: "divider" }])).toEqual([]);
  });

  it("catches an oversized message: too many blocks and too long a text", () => {
    const blocks = Array.from({ length: 51 }, () => sectionOf("hi"));
    blocks[3] = sectionOf(text(3001));
    expect(checkBlockKit(blocks)).toEqual([
      "blocks has 51 blocks (limit 50)",
      "blocks[3].text.text is 3001 characters (limit 3000)",
    ]);
  });

  it("catches headers, fields, buttons, ids, options and inputs past their limits", () => {
    const blocks: KnownBlock[] = [
      { type: "header", text: { type: "plain_text", text: text(151) } },
      { type: "section", fields: Array.from({ length: 11 }, () => ({ type: "mrkdwn" as const, text: "f" })) },
      { type: "section", fields: [{ type: "mrkdwn", text: text(2001) }] },
      {
        type: "actions",
        block_id: text(256),
        elements: [
          {
            type: "button",
            action_id: text(256),
            text: { type: "plain_text", text: text(76) },
            value: text(2001),
          },
          {
            type: "static_select",
            action_id: "s",
            options: Array.from({ length: 101 }, (_, i) => ({
              text: { type: "plain_text" as const, text: "o" },
              value: `${i}`,
            })),
          },
        ],
      },
      {
        type: "input",
        label: { type: "plain_text", text: "l" },
        element: { type: "plain_text_input", action_id: "i", max_length: 10, initial_value: text(11) },
      },
      sectionOf(""),
    ];
    expect(checkBlockKit(blocks)).toEqual([
      "blocks[0].text.text is 151 characters (limit 150)",
      "blocks[1].fields has 11 items (limit 10)",
      "blocks[2].fields[0].text is 2001 characters (limit 2000)",
      "blocks[3].block_id is 256 characters (limit 255)",
      "blocks[3].elements[0].action_id is 256 characters (limit 255)",
      "blocks[3].elements[0].text.text is 76 characters (limit 75)",
      "blocks[3].elements[0].value is 2001 characters (limit 2000)",
      "blocks[3].elements[1].options has 101 items (limit 100)",
      "blocks[4].element.initial_value is 11 characters (limit 10)",
      "blocks[5].text.text is empty",
    ]);
  });

  it("checks a modal: title, submit, blocks up to 100, duplicate block ids", () => {
    const view: ModalView = {
      type: "modal",
      title: { type: "plain_text", text: "A title that is far too long for Slack" },
      blocks: [
        ...Array.from({ length: 100 }, () => sectionOf("s")),
        {
          type: "input",
          block_id: "a",
          label: { type: "plain_text", text: "l" },
          element: { type: "plain_text_input" },
        },
        {
          type: "input",
          block_id: "a",
          label: { type: "plain_text", text: "l" },
          element: { type: "plain_text_input" },
        },
      ],
    };
    expect(checkBlockKit(view)).toEqual([
      "blocks has 102 blocks (limit 100)",
      "view.title.text is 38 characters (limit 24)",
      "view.submit is required when the view has input blocks",
      'block_id "a" is used twice',
    ]);
  });

  it("takes another block limit when asked", () => {
    expect(checkBlockKit([sectionOf("a"), sectionOf("b")], { maxBlocks: 1 })).toEqual([
      "blocks has 2 blocks (limit 1)",
    ]);
  });
});
