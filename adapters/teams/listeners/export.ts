// `export`: the partnership's whole record as a JSON file, for its admins and leads, the same record
// Slack's `/itpartner export` sends. Teams lets a bot hand a person a file only in their personal
// chat and only after they accept it: rapport sends a file consent card there (opening that chat
// when `export` was sent in a channel or group chat); on "Allow" Teams gives an upload URL in the
// person's OneDrive, rapport writes the file to it and posts the file's card.
import type { Attachment, FileConsentCardResponse, TurnContext } from "botbuilder";
import { z } from "zod";
import type { PartnershipExport } from "../../../src/index.ts";
import { kindOf, placeOf, senderOf, tenantOf } from "../people.ts";
import type { TeamsDeps } from "./context.ts";

const FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent";
const FILE_INFO = "application/vnd.microsoft.teams.card.file.info";
/** OneDrive takes an upload session's bytes in pieces that are multiples of 320 KiB. */
const UPLOAD_PIECE = 320 * 1024 * 12;

/** The file an export becomes. */
function exportFile(pack: PartnershipExport): { name: string; content: Buffer; description: string } {
  return {
    name: `rapport-${pack.partnership.key.toLowerCase()}-export.json`,
    content: Buffer.from(JSON.stringify(pack, null, 2), "utf8"),
    description:
      `The whole record of ${pack.partnership.name}: ${pack.events.length} events, ` +
      `${pack.issues.length} issues.`,
  };
}

function consentCard(pack: PartnershipExport): Attachment {
  const file = exportFile(pack);
  const context = { partnershipId: pack.partnership.id };
  return {
    contentType: FILE_CONSENT,
    name: file.name,
    content: {
      description: file.description,
      sizeInBytes: file.content.length,
      acceptContext: context,
      declineContext: context,
    },
  };
}

/** The part of botframework-connector's client this file uses: the turn's own, already authenticated. */
interface ConversationsClient {
  conversations: {
    createConversation(p: Record<string, unknown>): Promise<{ id?: string }>;
    sendToConversation(id: string, activity: Record<string, unknown>): Promise<unknown>;
  };
}

/** Sends `attachment` to the sender's personal chat with rapport, opening it; false when Teams refuses. */
async function toPersonalChat(context: TurnContext, attachment: Attachment): Promise<boolean> {
  const a = context.activity;
  const client = context.turnState.get<ConversationsClient | undefined>(context.adapter.ConnectorClientKey);
  if (!client) return false;
  try {
    const tenantId = tenantOf(context);
    const { id } = await client.conversations.createConversation({
      isGroup: false,
      bot: a.recipient,
      members: [{ id: a.from.id }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    });
    if (!id) return false;
    await client.conversations.sendToConversation(id, { type: "message", attachments: [attachment] });
    return true;
  } catch {
    return false;
  }
}

/** `export` in a partnership's conversation: checks the person may take the record, then offers the file in their personal chat. */
export async function sendExport(deps: TeamsDeps, context: TurnContext): Promise<void> {
  if (kindOf(context) === "personal") {
    await context.sendActivity(
      "Send `export` in the partnership's channel or chat; I will send you its record here.",
    );
    return;
  }
  const pack = await deps.rapport.export({ place: placeOf(context), by: senderOf(context) });
  await context.sendActivity(
    (await toPersonalChat(context, consentCard(pack)))
      ? "I sent you the partnership's record in our personal chat: allow the file there to download it."
      : "Teams lets me hand over a file only in a personal chat, and I could not open one with you. " +
          "Open a chat with rapport (Apps → rapport), then send `export` here again.",
  );
}

const acceptSchema = z.object({
  context: z.object({ partnershipId: z.string().min(1).max(64) }),
  uploadInfo: z.object({
    name: z.string().min(1),
    uploadUrl: z.string().url(),
    contentUrl: z.string().min(1),
    uniqueId: z.string().optional(),
    fileType: z.string().optional(),
  }),
});

/**
 * The person's answer to the file consent card. On "Allow" the record is asked for again (the
 * card's partnership is a claim, checked like any other) and written to the upload URL Teams gave.
 */
export async function onFileConsent(
  deps: TeamsDeps,
  context: TurnContext,
  response: FileConsentCardResponse,
): Promise<void> {
  if (response.action !== "accept") {
    await context.sendActivity("All right, I did not send the file.");
    return;
  }
  const accepted = acceptSchema.safeParse(response);
  if (!accepted.success || !uploadable(accepted.data.uploadInfo.uploadUrl)) {
    await context.sendActivity("Teams did not say where to put the file; send `export` again.");
    return;
  }
  const { context: claim, uploadInfo } = accepted.data;
  const pack = await deps.rapport.export({
    place: placeOf(context),
    by: senderOf(context),
    partnershipId: claim.partnershipId,
  });
  await upload(uploadInfo.uploadUrl, exportFile(pack).content);
  await context.sendActivity({
    attachments: [
      {
        contentType: FILE_INFO,
        contentUrl: uploadInfo.contentUrl,
        name: uploadInfo.name,
        content: { uniqueId: uploadInfo.uniqueId, fileType: uploadInfo.fileType ?? "json" },
      },
    ],
  });
}

/** Teams' upload sessions are https; plain http is accepted on loopback only (the Emulator, tests). */
function uploadable(url: string): boolean {
  const u = new URL(url);
  return (
    u.protocol === "https:" ||
    (u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname))
  );
}

/** Writes `content` to a OneDrive upload session, piece by piece. */
async function upload(url: string, content: Buffer): Promise<void> {
  for (let start = 0; start < content.length; start += UPLOAD_PIECE) {
    const piece = content.subarray(start, Math.min(start + UPLOAD_PIECE, content.length));
    const end = start + piece.length - 1;
    const res = await fetch(url, {
      method: "PUT",
      headers: {
        "content-length": String(piece.length),
        "content-range": `bytes ${start}-${end}/${content.length}`,
      },
      body: piece,
    });
    if (!res.ok) throw new Error(`the file upload failed: ${res.status} ${await res.text()}`);
  }
}
