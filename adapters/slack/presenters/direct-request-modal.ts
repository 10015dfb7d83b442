// "Log direct request": a technician records that a client asked them directly, off the agreed
// channel, so the request is still answered and measured.
import type { KnownBlock, ModalView } from "@slack/web-api";
import { z } from "zod";
import { VIEWS } from "../ids.ts";
import { escapeAndTruncate, unescapeText } from "./escape.ts";
import {
  element,
  input,
  isUnreadable,
  modal,
  readState,
  selectedValue,
  textInput,
  textValue,
  type FormResult,
} from "./form-kit.ts";
import { context, option } from "./kit.ts";

/** Block ids (and action ids: each equals its block id) of the direct-request form. */
export const DIRECT_REQUEST_FORM = {
  text: "direct_request_text",
  requester: "direct_request_requester",
  partnership: "direct_request_partnership",
} as const;

/**
 * The form's `private_metadata`: the message it was opened on (its channel is where the form is
 * submitted from, in the view's workspace); the partnership when only one fits, a claim.
 */
export const directRequestMetadataSchema = z.object({
  partnershipId: z.string().min(1).nullable(),
  channelId: z.string().min(1),
  messageTs: z.string().min(1),
});
/** The parsed direct-request metadata. */
export type DirectRequestMetadata = z.infer<typeof directRequestMetadataSchema>;

/** What the technician confirmed: the request, who asked, and the partnership (from metadata or the menu). */
export interface DirectRequestFields {
  text: string;
  requesterUserId: string;
  partnershipId: string;
}

/**
 * The form, prefilled with the message's text (as Slack sends it, escaped) and its author. When the
 * technician is in several partnerships and none is known from the channel, it asks which.
 */
export function directRequestModal(input_: {
  metadata: DirectRequestMetadata;
  messageText: string;
  authorUserId: string | null;
  partnerships?: readonly { id: string; name: string }[];
}): ModalView {
  const { metadata, messageText, authorUserId, partnerships = [] } = input_;
  const blocks: KnownBlock[] = [
    context(
      "The client asked you directly. Logging it opens an issue, so it is answered and measured like any other request.",
    ),
    input(
      DIRECT_REQUEST_FORM.text,
      "What did they ask for?",
      textInput({ maxLength: 3000, initial: unescapeText(messageText), multiline: true }),
    ),
    input(
      DIRECT_REQUEST_FORM.requester,
      "Who asked?",
      authorUserId ? { type: "users_select", initial_user: authorUserId } : { type: "users_select" },
    ),
  ];
  if (metadata.partnershipId === null && partnerships.length > 0) {
    const options = partnerships.slice(0, 100).map((p) => option(escapeAndTruncate(p.name, 75), p.id));
    const only = options.length === 1 ? { initial_option: options[0] } : {};
    blocks.push(
      input(DIRECT_REQUEST_FORM.partnership, "Partnership", { type: "static_select", options, ...only }),
    );
  }
  return modal(VIEWS.directRequestForm, "Log a direct request", blocks, metadata, "Log it");
}

/** Reads a submitted direct-request form, with the metadata read by `directRequestMetadataSchema`. */
export function parseDirectRequestForm(
  values: unknown,
  metadata: DirectRequestMetadata,
): FormResult<DirectRequestFields> {
  const state = readState(values, DIRECT_REQUEST_FORM.text);
  if (isUnreadable(state)) return { errors: state };
  const errors: Record<string, string> = {};
  const text = textValue(state, DIRECT_REQUEST_FORM.text);
  const requester = element(state, DIRECT_REQUEST_FORM.requester)?.selected_user ?? null;
  const partnershipId = metadata.partnershipId ?? selectedValue(state, DIRECT_REQUEST_FORM.partnership);
  if (!text) errors[DIRECT_REQUEST_FORM.text] = "Say what the client asked for.";
  else if (text.length > 3000) errors[DIRECT_REQUEST_FORM.text] = "Keep it under 3,000 characters.";
  if (!requester) errors[DIRECT_REQUEST_FORM.requester] = "Choose the person who asked.";
  if (!partnershipId)
    errors[DIRECT_REQUEST_FORM.partnership] = "Choose the partnership this request belongs to.";
  if (Object.keys(errors).length || !requester || !partnershipId) return { errors };
  return { fields: { text, requesterUserId: requester, partnershipId } };
}
