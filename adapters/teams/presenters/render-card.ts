// The core's card documents as Adaptive Cards. Nothing is decided here but layout: the words, the
// facts and the actions come from the document; this makes person-typed text safe, maps each
// action to its verb and data, and keeps the card within Teams' 28 KB.
import { z } from "zod";
import {
  omittedText,
  plainCardText,
  TONE_MARKS,
  type CardAction,
  type CardActionId,
  type CardSubject,
  type CardButton,
  type CardChoice,
  type CardDocument,
  type CardFact,
  type CardKind,
  type CardScore,
  type CardSection,
  type CardSpan,
  type CardText,
  type Tone,
} from "../../../src/index.ts";
import { VERBS } from "../ids.ts";
import {
  actionExecute,
  actionOpenUrl,
  actionSet,
  adaptiveCard,
  cardBytes,
  column,
  columnSet,
  factSet,
  heading,
  inputChoiceSet,
  TEAMS_LIMITS,
  textBlock,
  type AdaptiveCardJson,
  type CardElement,
  type TextBlock,
} from "./card-kit.ts";
import { plainText } from "./plain-text.ts";

/** The verb of each neutral action. */
const ACTION_VERBS: Record<CardActionId, string> = {
  "issue.acknowledge": VERBS.acknowledge,
  "issue.waitOnClient": VERBS.waitOnClient,
  "issue.resolve": VERBS.resolve,
  "issue.reopen": VERBS.reopen,
  "issue.priority": VERBS.priority,
  "recommendation.accept": VERBS.accept,
  "recommendation.decline": VERBS.decline,
  "recommendation.acceptRisk": VERBS.acceptRisk,
  "recommendation.remind": VERBS.remind,
};

/** The input id of each menu, under which Teams merges its value into the action's data. */
export const CHOICE_INPUTS = { "issue.priority": "priority" } as const satisfies Record<
  CardChoice["id"],
  string
>;

/** The neutral action of each verb. */
const CARD_ACTIONS = new Map(
  (Object.entries(ACTION_VERBS) as [CardActionId, string][]).map(([neutral, verb]) => [verb, neutral]),
);

const dataSchema = z.union([
  z.object({
    partnershipId: z.string().min(1).max(64),
    issueId: z.string().min(1).max(64),
    [CHOICE_INPUTS["issue.priority"]]: z.string().max(16).optional(),
  }),
  z.object({ partnershipId: z.string().min(1).max(64), recommendationId: z.string().min(1).max(64) }),
]);

/** What a card's button or menu sent back: the neutral action, the subject it claims, a menu's choice. */
export interface TeamsCardAction {
  action: CardActionId;
  subject: CardSubject;
  choice: string | null;
}

/** Reads an `adaptiveCard/action` back into the core's action (the inverse of `button`); null when not ours. */
export function readCardAction(verb: string, data: unknown): TeamsCardAction | null {
  const action = CARD_ACTIONS.get(verb);
  const parsed = dataSchema.safeParse(data);
  if (!action || !parsed.success) return null;
  const d = parsed.data;
  if ("issueId" in d !== action.startsWith("issue.")) return null;
  return "issueId" in d
    ? {
        action,
        subject: { partnershipId: d.partnershipId, issueId: d.issueId },
        choice: d[CHOICE_INPUTS["issue.priority"]] ?? null,
      }
    : {
        action,
        subject: { partnershipId: d.partnershipId, recommendationId: d.recommendationId },
        choice: null,
      };
}

/** Leaves room for the activity around the card. */
const CARD_BUDGET = TEAMS_LIMITS.messageBytes - 2048;
const MAX_FACTS = 25;
const LARGE_TITLE: ReadonlySet<CardKind> = new Set(["digest", "help"]);
const TONE_COLOURS: Record<Tone, TextBlock["color"] | null> = {
  good: "Good",
  warning: "Warning",
  attention: "Attention",
  neutral: null,
};

function span(s: CardSpan): string {
  const text = plainText(s.text, 1000);
  const mark = s.style === "strong" ? "**" : s.style === "code" ? "`" : "";
  if (!mark || !text.trim()) return text;
  // Markdown reads a mark only against a word: spaces go outside it.
  const [, before, word, after] = /^(\s*)(.*?)(\s*)$/s.exec(text) ?? ["", "", text, ""];
  return `${before}${mark}${word}${mark}${after}`;
}

/** Document text for a TextBlock or FactSet, within `max` characters; too long, it loses its emphasis first. */
export function markdownOf(text: CardText, max = 1000): string {
  if (typeof text === "string") return plainText(text, max);
  const rich = text.map(span).join("");
  return rich.length <= max ? rich : plainText(plainCardText(text), max);
}

function factPair(f: CardFact): [string, string] {
  const mark = f.tone ? `${TONE_MARKS[f.tone]} ` : "";
  return [`${mark}${plainText(f.label, 200)}`, markdownOf(f.value, 1000)];
}

function facts(list: readonly CardFact[], layout: Parameters<typeof factSet>[1] = {}): CardElement[] {
  const shown = factSet(list.slice(0, MAX_FACTS).map(factPair), layout);
  if (list.length <= MAX_FACTS) return [shown];
  const more = markdownOf(omittedText(list.length - MAX_FACTS, "fact"));
  return [shown, textBlock(more, { isSubtle: true, spacing: "None" })];
}

function sectionElements(s: CardSection): CardElement[] {
  const elements: CardElement[] = [
    textBlock(plainText(s.heading, 200), { weight: "Bolder", separator: true }),
  ];
  if (s.facts.length) elements.push(...facts(s.facts, { spacing: "Small" }));
  elements.push(...s.lines.map((l) => textBlock(markdownOf(l, 1000), { spacing: "Small" })));
  return elements;
}

function scoreColumns(scores: readonly CardScore[]): CardElement {
  return columnSet(
    scores.map((s) =>
      column([
        textBlock(plainText(s.label, 100), { isSubtle: true }),
        textBlock(plainText(s.value, 100), { size: "ExtraLarge", weight: "Bolder", spacing: "None" }),
        textBlock(plainText(s.trend, 100), { fontType: "Monospace", spacing: "None" }),
      ]),
    ),
  );
}

function button(a: CardButton) {
  const style = a.style === "primary" ? "positive" : a.style === "danger" ? "destructive" : undefined;
  // Adaptive Cards have no confirm dialog (Slack's button has one); the destructive style warns instead.
  return actionExecute(
    a.label,
    ACTION_VERBS[a.id],
    { ...a.subject },
    {
      associatedInputs: "none",
      ...(style ? { style } : {}),
    },
  );
}

function choiceRow(a: CardChoice): CardElement {
  const choices = a.options.map((o) => [o.value, o.label] as const);
  const menu = inputChoiceSet(CHOICE_INPUTS[a.id], a.label, choices, { value: a.selected });
  const change = actionSet([actionExecute(a.submitLabel, ACTION_VERBS[a.id], { ...a.subject })]);
  const row = columnSet([column([menu]), column([change], "auto")]);
  row.columns[1]!.verticalContentAlignment = "Bottom";
  return row;
}

function actionElements(actions: readonly CardAction[]): CardElement[] {
  const buttons = actions.filter((a): a is CardButton => a.type === "button").map(button);
  const choices = actions.filter((a): a is CardChoice => a.type === "choice").map(choiceRow);
  return [...(buttons.length ? [actionSet(buttons, { separator: true })] : []), ...choices];
}

function head(doc: CardDocument): CardElement[] {
  const title = plainText(plainCardText(doc.title), 300);
  const body: CardElement[] = [heading(title, LARGE_TITLE.has(doc.kind) ? "Large" : "Medium")];
  if (doc.subtitle) body.push(textBlock(plainText(doc.subtitle, 300), { isSubtle: true, spacing: "None" }));
  if (doc.scores.length) body.push(scoreColumns(doc.scores));
  if (doc.facts.length) body.push(...facts(doc.facts));
  if (doc.text) body.push(textBlock(markdownOf(doc.text, 4000)));
  if (doc.status) {
    const colour = TONE_COLOURS[doc.status.tone];
    body.push(textBlock(markdownOf(doc.status.text), colour ? { color: colour } : { isSubtle: true }));
  }
  return body;
}

/** A card document as an Adaptive Card; sections that would take it past Teams' limit are counted instead. */
export function renderCard(doc: CardDocument): AdaptiveCardJson {
  const top = head(doc);
  const bottom = [
    ...actionElements(doc.actions),
    ...doc.notes.map((n) => textBlock(markdownOf(n, 500), { size: "Small", isSubtle: true })),
  ];
  const links = doc.links.map((l) => actionOpenUrl(plainText(l.label, 100), l.url));
  const build = (sections: CardElement[]) =>
    adaptiveCard(plainText(doc.summary, 500), [...top, ...sections, ...bottom], links);
  let card = build(doc.sections.flatMap(sectionElements));
  for (let shown = doc.sections.length - 1; shown >= 0 && cardBytes(card) > CARD_BUDGET; shown--) {
    const more = omittedText(doc.sections.length - shown, "section", doc.seeAlso);
    const note = textBlock(markdownOf(more), { isSubtle: true });
    card = build([...doc.sections.slice(0, shown).flatMap(sectionElements), note]);
  }
  return card;
}
