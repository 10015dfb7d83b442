// "Log direct request": a technician records that a client asked them directly, off the agreed
// channel, so the request is still answered and measured. Shown in the message action's dialog.
import { z } from "zod";
import {
  adaptiveCard,
  inputChoiceSet,
  inputText,
  textBlock,
  type AdaptiveCardJson,
  type CardElement,
} from "./card-kit.ts";
import {
  checkText,
  FORM_VERBS,
  idSchema,
  inputValue,
  isUnreadable,
  readForm,
  submitAction,
  type FormResult,
} from "./form-kit.ts";
import { neutraliseMentions, plainText } from "./plain-text.ts";

/** Input ids of the direct-request form. */
export const DIRECT_REQUEST_FORM = {
  text: "direct_request_text",
  partnership: "direct_request_partnership",
} as const;

/** What the technician confirmed: the request and its partnership; who asked comes from the message. */
export interface DirectRequestFields {
  text: string;
  partnershipId: string;
}

/**
 * The dialog's card, prefilled with the message's text (already converted from Teams' HTML to plain
 * text). With several partnerships it asks which; with one it carries it; with none it says so.
 */
export function directRequestFormCard(opts: {
  messageText: string;
  requesterName: string | null;
  partnerships: readonly { id: string; name: string }[];
}): AdaptiveCardJson {
  const { partnerships } = opts;
  const intro = textBlock(
    "The client asked you directly. Logging it opens an issue, so it is answered and measured like any other request.",
    { isSubtle: true },
  );
  if (partnerships.length === 0) {
    const none =
      "You are not in any partnership yet, so this request cannot be logged. An admin can add you with `setup`.";
    return adaptiveCard("Log a direct request", [intro, textBlock(none, { color: "Attention" })]);
  }
  const who = opts.requesterName ? plainText(opts.requesterName, 100) : "someone";
  const body: CardElement[] = [
    intro,
    textBlock(`Asked by **${who}**`),
    inputText(DIRECT_REQUEST_FORM.text, "What did they ask for?", {
      required: "Say what the client asked for.",
      maxLength: 3000,
      multiline: true,
      value: neutraliseMentions(opts.messageText),
    }),
  ];
  const only = partnerships.length === 1 ? partnerships[0] : undefined;
  if (!only) {
    const choices = partnerships.slice(0, 100).map((p) => [p.id, plainText(p.name, 100)] as const);
    body.push(
      inputChoiceSet(DIRECT_REQUEST_FORM.partnership, "Partnership", choices, {
        required: "Choose the partnership this request belongs to.",
      }),
    );
  }
  const context = only ? { partnershipId: only.id } : {};
  return adaptiveCard("Log a direct request", body, [
    submitAction("dialog", "Log it", FORM_VERBS.directRequest, context),
  ]);
}

const directRequestFormSchema = z.object({
  partnershipId: idSchema.optional(),
  [DIRECT_REQUEST_FORM.text]: inputValue,
  [DIRECT_REQUEST_FORM.partnership]: inputValue,
});

/** Reads the dialog's submitted data (`value.data` of the submitAction), or says what to fix. */
export function parseDirectRequestForm(data: unknown): FormResult<DirectRequestFields> {
  const form = readForm(directRequestFormSchema, data);
  if (isUnreadable(form)) return { errors: form.unreadable };
  const errors: string[] = [];
  const text = checkText(form[DIRECT_REQUEST_FORM.text], 3000, errors, {
    name: "the request",
    empty: "Say what the client asked for.",
  });
  const partnershipId = form.partnershipId ?? form[DIRECT_REQUEST_FORM.partnership] ?? "";
  if (!partnershipId) errors.push("Choose the partnership this request belongs to.");
  return errors.length ? { errors } : { fields: { text, partnershipId } };
}
