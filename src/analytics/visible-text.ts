/**
 * Slack message markup → the text a reader sees, for counting (pure).
 *
 * Names are not looked up (a sync must not depend on the user directory, and
 * pseudonymized workspaces have none), so a mention without a label counts as
 * its id. Rules:
 * - `<@U123>` → `@U123`; `<@U123|alice>` → `@alice`
 * - `<#C123|general>` → `#general`; `<#C123>` → `#C123`
 * - `<!here>`, `<!channel>`, `<!everyone>` → `@here`, `@channel`, `@everyone`
 * - `<!subteam^S1|@devs>` → `@devs`; `<!date^…|fallback>` → `fallback`
 * - `<url|label>` → `label`; `<url>` → `url`
 * - `&amp;`, `&lt;`, `&gt;` → `&`, `<`, `>`
 * - emoji shortcodes (`:cat:`) and mrkdwn (`*bold*`) stay as typed: custom
 *   emoji names are unknown and formatting marks are cheap to keep.
 */

const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g;

export function renderVisibleText(text: string): string {
  return text
    .replace(USER_MENTION, (_match, id: string, label?: string) => `@${label || id}`)
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_match, id: string, name?: string) => `#${name || id}`)
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>/g, (_match, id: string, label?: string) => label || `@${id}`)
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<([^|>]+)\|([^>]*)>/g, '$2')
    .replace(/<([^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * Unicode code points of the visible text (so an emoji such as 👍 counts as
 * one, not as its two UTF-16 units; a flag or skin-toned emoji counts as the
 * code points it is made of).
 */
export function countVisibleCharacters(text: string): number {
  return [...renderVisibleText(text)].length;
}

/** Distinct user ids mentioned with `<@U…>`, in order of first appearance. */
export function extractMentionedUserIds(text: string): string[] {
  return [...new Set([...text.matchAll(USER_MENTION)].map((match) => match[1] as string))];
}
