/**
 * Slack mrkdwn → an HTML string, escaped. Everything the text holds is
 * escaped first; markup comes only from what this module recognises: bold,
 * italic, strike, code, pre, quotes, links, mentions, emoji. Links are made
 * only for http(s) and mailto addresses. Streamed answers arrive as standard
 * Markdown, so **bold**, [label](url) and # headings are read too. DOM-free.
 */
import { emojiFor } from './emoji-names.ts';
import type { WorkspaceNames } from './workspace-names.ts';

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] as string);
}

/** Slack escapes only these three in message text. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** An address the page may link to: web and mail only (never javascript:, data:, …). */
export function isSafeHref(url: string): boolean {
  return /^(https?:\/\/|mailto:)[^\s"'<>]+$/i.test(url);
}

function link(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(label)}</a>`;
}

// Placeholders keep finished markup out of the escaping and formatting passes.
// Their delimiters are private-use characters removed from the input first.
const SLOT_OPEN = '\uE000';
const SLOT_CLOSE = '\uE001';
const SLOT = /\uE000(\d+)\uE001/g;

class Slots {
  private readonly html: string[] = [];
  keep(html: string): string {
    return `${SLOT_OPEN}${this.html.push(html) - 1}${SLOT_CLOSE}`;
  }
  restore(text: string): string {
    // Slots never hold slots, so one pass restores all.
    return text.replace(SLOT, (_match, index: string) => this.html[Number(index)] ?? '');
  }
}

interface Token {
  /** The text shown (not escaped). */
  text: string;
  /** A safe link target, when the token is a link. */
  href?: string;
  kind: 'user' | 'channel' | 'broadcast' | 'link' | 'text';
  id?: string;
}

/** What one <…> token stands for. */
function readToken(content: string, names: WorkspaceNames): Token {
  const bar = content.indexOf('|');
  const head = bar < 0 ? content : content.slice(0, bar);
  const label = bar < 0 ? undefined : decodeSlackEntities(content.slice(bar + 1));
  const user = /^@([UWB][A-Z0-9]+)$/.exec(head);
  if (user) {
    const id = user[1] as string;
    return { kind: 'user', id, text: `@${names.userHandle(id) ?? label?.replace(/^@/, '') ?? id}` };
  }
  const channel = /^#([CGD][A-Z0-9]+)$/.exec(head);
  if (channel) {
    const id = channel[1] as string;
    return { kind: 'channel', id, text: `#${names.channelName(id) ?? label ?? id}` };
  }
  if (head.startsWith('!')) {
    const special = /^!(here|channel|everyone)$/.exec(head);
    if (special) return { kind: 'broadcast', text: `@${special[1]}` };
    // <!subteam^S…|@devs>, <!date^…|fallback>: the label is what Slack shows.
    return { kind: 'text', text: label ?? head.slice(1) };
  }
  const url = decodeSlackEntities(head);
  if (isSafeHref(url)) return { kind: 'link', href: url, text: label ?? url.replace(/^mailto:/i, '') };
  // Not a link Slack would make (or an unsafe one): show its label, else the text as typed.
  return { kind: 'text', text: label ?? `<${decodeSlackEntities(content)}>` };
}

function tokenHtml(token: Token): string {
  switch (token.kind) {
    case 'link':
      return link(token.href as string, token.text);
    case 'user':
      return `<span class="mention" data-user-id="${escapeHtml(token.id as string)}">${escapeHtml(token.text)}</span>`;
    case 'channel':
      return `<span class="mention" data-channel-id="${escapeHtml(token.id as string)}">${escapeHtml(token.text)}</span>`;
    case 'broadcast':
      return `<span class="mention broadcast">${escapeHtml(token.text)}</span>`;
    case 'text':
      return escapeHtml(token.text);
  }
}

const TOKEN = /<([^<>\s][^<>]*)>/g;

/** Text as code shows it: tokens become their shown text, entities their characters. */
function plainText(text: string, names: WorkspaceNames): string {
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    parts.push(decodeSlackEntities(text.slice(last, match.index)), readToken(match[1] as string, names).text);
    last = match.index + match[0].length;
  }
  parts.push(decodeSlackEntities(text.slice(last)));
  return parts.join('');
}

/** A span of formatting: *bold*, _italic_, ~strike~ — markers next to a word's edge, not inside words. */
function emphasis(marker: string): RegExp {
  const m = marker.replace(/\*/g, '\\*');
  const c = marker[0] === '*' ? '\\*' : (marker[0] as string);
  return new RegExp(`(^|[^\\p{L}\\p{N}${c}])${m}(?=[^\\s${c}])([^\\n]*?[^\\s${c}])${m}(?![\\p{L}\\p{N}${c}])`, 'gu');
}
const FORMATS: readonly [RegExp, string][] = [
  [emphasis('**'), 'strong'],
  [emphasis('*'), 'strong'],
  [emphasis('__'), 'strong'],
  [emphasis('_'), 'em'],
  [emphasis('~~'), 'del'],
  [emphasis('~'), 'del'],
];

const MARKDOWN_LINK = /\[([^\]\n]+)\]\(([^()\s]+)\)/g;
const BARE_URL = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const EMOJI_CODE = /:([a-z0-9_+-]+(?:::skin-tone-\d)?):/g;

function renderInline(line: string, names: WorkspaceNames): string {
  const slots = new Slots();
  let text = line.replace(/`([^`\n]+)`/g, (_m, code: string) => slots.keep(`<code>${escapeHtml(plainText(code, names))}</code>`));
  text = text.replace(TOKEN, (_m, content: string) => slots.keep(tokenHtml(readToken(content, names))));
  text = text.replace(MARKDOWN_LINK, (whole, label: string, url: string) => {
    const href = decodeSlackEntities(url);
    return isSafeHref(href) ? slots.keep(link(href, decodeSlackEntities(label))) : whole;
  });
  text = text.replace(BARE_URL, (found) => {
    // Trailing punctuation ends the sentence, not the address.
    const url = found.replace(/[.,;:!?)\]]+$/, '');
    return slots.keep(link(decodeSlackEntities(url), decodeSlackEntities(url))) + found.slice(url.length);
  });
  let html = escapeHtml(decodeSlackEntities(text));
  for (const [pattern, tag] of FORMATS) html = html.replace(pattern, (_m, before: string, inner: string) => `${before}<${tag}>${inner}</${tag}>`);
  html = html.replace(EMOJI_CODE, (whole, name: string) => emojiFor(name) ?? whole);
  return slots.restore(html);
}

/** Markdown fences may name a language ("```sql"); mrkdwn has none, so only known names are dropped. */
const CODE_LANGUAGE = /^(?:(?:sql|json|js|javascript|ts|typescript|python|py|bash|sh|shell|text|txt|csv|yaml|yml|markdown|md|html|xml|diff)[ \t]*)?\n/i;

const QUOTE_LINE = /^(?:&gt;|>) ?/;
const QUOTE_REST = /^(?:&gt;|>){3} ?/;
const BULLET_LINE = /^(\s*)(?:[-*•◦▪]) +(?=\S)/;
const HEADING_LINE = /^#{1,6} +(.*)$/;

function renderLine(line: string, names: WorkspaceNames): string {
  const heading = HEADING_LINE.exec(line);
  if (heading) return `<strong>${renderInline(heading[1] as string, names)}</strong>`;
  const bullet = BULLET_LINE.exec(line);
  if (bullet) return `${bullet[1] ?? ''}• ${renderInline(line.slice(bullet[0].length), names)}`;
  return renderInline(line, names);
}

type Piece = { block: boolean; html: string };

/** Plain (non-pre) text: lines, with runs of "> " lines as quotes (">>>" quotes the rest). */
function renderProse(text: string, names: WorkspaceNames, pieces: Piece[]): void {
  const lines = text.split('\n');
  let plain: string[] = [];
  let quote: string[] = [];
  const flushPlain = () => {
    if (plain.length > 0) pieces.push({ block: false, html: plain.join('\n') });
    plain = [];
  };
  const flushQuote = () => {
    if (quote.length > 0) pieces.push({ block: true, html: `<blockquote>${quote.join('\n')}</blockquote>` });
    quote = [];
  };
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string;
    if (QUOTE_REST.test(line)) {
      flushPlain();
      quote.push(...[line.replace(QUOTE_REST, ''), ...lines.slice(index + 1)].map((rest) => renderLine(rest, names)));
      break;
    }
    if (QUOTE_LINE.test(line)) {
      flushPlain();
      quote.push(renderLine(line.replace(QUOTE_LINE, ''), names));
    } else {
      flushQuote();
      plain.push(renderLine(line, names));
    }
  }
  flushQuote();
  flushPlain();
}

/**
 * The HTML for a message's mrkdwn. Lines stay lines (the page shows it with
 * white-space: pre-wrap); quotes and ``` blocks become block elements.
 */
export function renderMrkdwn(text: string, names: WorkspaceNames): string {
  const source = text.replace(/\r\n?/g, '\n').replace(/[\uE000\uE001]/g, '');
  const pieces: Piece[] = [];
  let last = 0;
  // An unclosed ``` (an answer still streaming) stays text until it closes.
  for (const match of source.matchAll(/```([\s\S]*?)```/g)) {
    renderProse(source.slice(last, match.index), names, pieces);
    const code = (match[1] as string).replace(CODE_LANGUAGE, '');
    pieces.push({ block: true, html: `<pre>${escapeHtml(plainText(code.replace(/\n$/, ''), names))}</pre>` });
    last = match.index + match[0].length;
  }
  renderProse(source.slice(last), names, pieces);
  // Block elements start their own line: the line breaks around them would add blank lines.
  return pieces
    .map((piece, index) => {
      if (piece.block) return piece.html;
      let html = piece.html;
      if (pieces[index - 1]?.block) html = html.replace(/^\n/, '');
      if (pieces[index + 1]?.block) html = html.replace(/\n$/, '');
      return html;
    })
    .join('');
}
