// Dates in messages: Slack's date token shows each reader their own timezone; the fallback
// (for notifications and old clients) uses the partnership's, written by the core's formatter.
import { formatDateTime } from "../../../src/index.ts";

/** Slack's date token for `date`, with a fallback in `timezone` such as "Tue 3 Mar 2026, 09:14 GMT". */
export function slackDate(date: Date, timezone: string, format = "{date_short_pretty} at {time}"): string {
  const unix = Math.floor(date.getTime() / 1000);
  return `<!date^${unix}^${format}|${formatDateTime(date, timezone)}>`;
}
