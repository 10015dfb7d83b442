import { describe, expect, it } from "vitest";
import { helpBlocks } from "../../../../../adapters/slack/presenters/help.ts";
import { checkBlockKit } from "../../../../../adapters/slack/presenters/limits.ts";

describe("helpBlocks", () => {
  it("lists every subcommand and how to report an issue", () => {
    const help = helpBlocks();
    const json = JSON.stringify(help.blocks);
    for (const sub of ["help", "status", "recommend", "call", "headsup", "setup", "export"]) {
      expect(json).toContain(`/itpartner ${sub}`);
    }
    expect(json).toContain("/itissue printer on floor 2 jammed p2 since 9am");
    expect(checkBlockKit(help.blocks)).toEqual([]);
    expect(help).toMatchSnapshot();
  });
});
