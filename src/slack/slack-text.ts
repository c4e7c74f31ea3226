/** Slack message markup → plain text a model reads (pure). */

const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

export function mentionedUserIds(text: string): string[] {
  return [...text.matchAll(USER_MENTION)].map((match) => match[1] as string);
}

/**
 * Resolves <@U…> to @name, <#C…|name> to #name, <!here> to @here,
 * <url|label> to "label (url)", and unescapes &amp; &lt; &gt;.
 */
export function renderSlackTextAsPlain(text: string, names: ReadonlyMap<string, string>): string {
  return text
    .replace(USER_MENTION, (_match, id: string) => `@${names.get(id) ?? id}`)
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_match, id: string, name?: string) => `#${name || id}`)
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_match, name?: string) => name ?? '@group')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
