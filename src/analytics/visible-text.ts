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
 *
 * This runs on every synced message and most are plain prose, so a rule is
 * skipped when the text lacks the characters it needs (`<` for markup, an
 * entity for decoding): skipping a rule that cannot match changes nothing.
 */

const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g;
const CHANNEL_LINK = /<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g;
const SPECIAL_MENTION = /<!(here|channel|everyone)(?:\|[^>]*)?>/g;
const SUBTEAM_MENTION = /<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>/g;
const DATE = /<!date\^[^|>]*\|([^>]*)>/g;
const LABELLED_LINK = /<([^|>]+)\|([^>]*)>/g;
const BARE_LINK = /<([^>]+)>/g;
const ENTITY = /&(?:lt|gt|amp);/;
const SURROGATE_PAIR = /[\ud800-\udbff][\udc00-\udfff]/g;

export function renderVisibleText(text: string): string {
  return decodeEntities(renderMarkup(text));
}

/**
 * The angle-bracket rules, in order: each later rule sees what the earlier
 * ones left. A rule is skipped when the text lacks the opening it needs.
 */
function renderMarkup(text: string): string {
  if (!text.includes('<')) return text;
  let visible = text;
  if (visible.includes('<@')) visible = visible.replace(USER_MENTION, (_match, id: string, label?: string) => `@${label || id}`);
  if (visible.includes('<#')) visible = visible.replace(CHANNEL_LINK, (_match, id: string, name?: string) => `#${name || id}`);
  if (visible.includes('<!')) {
    visible = visible
      .replace(SPECIAL_MENTION, '@$1')
      .replace(SUBTEAM_MENTION, (_match, id: string, label?: string) => label || `@${id}`)
      .replace(DATE, '$1');
  }
  if (visible.includes('<')) visible = visible.replace(LABELLED_LINK, '$2').replace(BARE_LINK, '$1');
  return visible;
}

/** `&amp;` last, so an escaped entity (`&amp;lt;`) stays as typed (`&lt;`). */
function decodeEntities(text: string): string {
  if (!ENTITY.test(text)) return text;
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Unicode code points of the visible text (so an emoji such as 👍 counts as
 * one, not as its two UTF-16 units; a flag or skin-toned emoji counts as the
 * code points it is made of).
 */
export function countVisibleCharacters(text: string): number {
  return countCodePoints(renderVisibleText(text));
}

/**
 * Code points as `[...text].length` counts them: a surrogate pair (left to
 * right, as the string iterator pairs them) is one, a lone surrogate is one too.
 */
function countCodePoints(text: string): number {
  return text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);
}

/** Distinct user ids mentioned with `<@U…>`, in order of first appearance. */
export function extractMentionedUserIds(text: string): string[] {
  const ids: string[] = [];
  if (!text.includes('<@')) return ids;
  for (const match of text.matchAll(USER_MENTION)) {
    const id = match[1] as string;
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}
