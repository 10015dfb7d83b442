/** True for a canonical UUID, the form of every id rapport stores. */
export function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}

/** True for an issue key such as ACME-42. */
export function isIssueKey(s: string): boolean {
  return /^[A-Za-z0-9]+-\d+$/.test(s);
}
