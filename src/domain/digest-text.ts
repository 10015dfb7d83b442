import type { Digest, FactStatus } from "./digest.ts";

const MARK: Record<FactStatus, string> = { good: "✓", warn: "!", bad: "✗" };

function factLine(label: string, value: string, status?: FactStatus): string {
  return `  ${status ? MARK[status] : " "} ${label}: ${value}`;
}

/** The digest as plain text for a terminal: title, scores with sparklines, sections, actions. */
export function renderDigestText(digest: Digest): string {
  const { scores, trend } = digest;
  const weeks = trend.provider.length;
  const lines = [
    digest.title,
    `${digest.partnershipName} · ${digest.period.label}`,
    "",
    `Health  provider ${scores.provider}/100  client ${scores.client}/100`,
    `Trend (${weeks} ${weeks === 1 ? "week" : "weeks"})  provider ${trend.sparkline.provider}  client ${trend.sparkline.client}`,
  ];
  for (const section of digest.sections) {
    lines.push("", section.heading);
    for (const f of section.facts) lines.push(factLine(f.label, f.value, f.status));
  }
  if (digest.actions.length > 0) {
    lines.push("", "What would help most");
    digest.actions.forEach((a, i) => lines.push(`  ${i + 1}. ${a}`));
  }
  return `${lines.join("\n")}\n`;
}
