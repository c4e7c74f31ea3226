import { escapeSlackCode, escapeSlackText } from './escape-slack-text.ts';

// Finished pieces (code, links, Slack tokens) are parked behind private-use
// placeholders so later passes cannot see their `*`, `_` or `<`. Emphasis
// markers are placeholders too, so the italic pass never re-reads the `*` the
// bold pass produced.
const STASH_OPEN = '\uE000';
const STASH_CLOSE = '\uE001';
const BOLD = '\uE002';
const ITALIC = '\uE003';
const STRIKE = '\uE004';
const PRIVATE_USE = /[\uE000-\uE004]/g;
const STASHED = /\uE000(\d+)\uE001/g;

/** CommonMark lets a backslash escape any ASCII punctuation character. */
const ESCAPABLE = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

// Emphasis must not start or end inside a word, which is what keeps
// snake_case_words and 2*3*4 intact (Slack applies the same rule when rendering).
const STRIKETHROUGH = /(?<!~)~~(?=[^\s~])([^~]*?[^\s~])~~(?!~)/g;
const BOLD_ITALIC_STARS = /(?<![\p{L}\p{N}*])\*\*\*(?=[^\s*])(.+?)(?<=\S)\*\*\*(?![\p{L}\p{N}*])/gu;
const BOLD_ITALIC_UNDERSCORES = /(?<![\p{L}\p{N}_])___(?=[^\s_])(.+?)(?<=\S)___(?![\p{L}\p{N}_])/gu;
const BOLD_STARS = /(?<![\p{L}\p{N}*])\*\*(?=[^\s*])(.+?)(?<=\S)\*\*(?![\p{L}\p{N}*])/gu;
const BOLD_UNDERSCORES = /(?<![\p{L}\p{N}_])__(?=[^\s_])(.+?)(?<=\S)__(?![\p{L}\p{N}_])/gu;
const ITALIC_STAR = /(?<![\p{L}\p{N}*])\*(?=[^\s*])([^*]*?[^\s*])\*(?![\p{L}\p{N}*])/gu;
const ITALIC_UNDERSCORE = /(?<![\p{L}\p{N}_])_(?=[^\s_])([^_]*?[^\s_])_(?![\p{L}\p{N}_])/gu;

// [label](url "title") and ![alt](url); one level of nested brackets in the
// label and of parentheses in the URL (Wikipedia links) is enough in practice.
const LINK =
  /(!?)\[((?:[^[\]]|\[[^[\]]*\])*)\]\(\s*(<[^<>\n]*>|(?:[^\s()]|\([^\s()]*\))*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
// Tokens the model may already write in Slack syntax: <@U…>, <#C…|name>,
// <!here>, <!subteam^…>, <!date^…|…>, <https://…|text>, <mailto:…>.
const SLACK_TOKEN = /<(?:[@#]|!(?!--)|(?:https?|mailto|tel|ftp|slack):)[^<>\n]*>/gi;
const EMAIL_AUTOLINK = /<([^\s<>@|]+@[^\s<>@|]+\.[^\s<>@|]+)>/g;
// Python dunders (`__init__.py`, `obj.__dict__`, `__call__()`) are names, not bold.
const DUNDER_NAME = /(?<=\.)__\w+__|(?<![\p{L}\p{N}_])__\w+__(?=\(|\.\w)/gu;
const HTML_LINE_BREAK = /<br\s*\/?>/gi;
const BARE_URL = /(?<![\p{L}\p{N}_/])https?:\/\/[^\s<>\uE000-\uE004]+/gu;
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

export interface InlineOptions {
  /** Headings are already wrapped in bold; Slack cannot nest bold in bold. */
  dropBold?: boolean;
}

/** Converts one line of Markdown inline syntax to Slack mrkdwn. */
export function convertInlineMarkdown(markdown: string, options: InlineOptions = {}): string {
  const stash: string[] = [];
  const park = (finished: string): string => `${STASH_OPEN}${stash.push(finished) - 1}${STASH_CLOSE}`;
  const unpark = (text: string): string => text.replace(STASHED, (_m, index: string) => stash[Number(index)] ?? '');

  let text = parkCodeAndEscapes(markdown.replace(PRIVATE_USE, ''), park);
  text = text.replace(LINK, (match, bang: string, label: string, target: string) =>
    convertLink({ match, isImage: bang === '!', label, target: unpark(target) }, park, unpark),
  );
  text = text.replace(DUNDER_NAME, (name) => park(name));
  text = text.replace(HTML_LINE_BREAK, () => park('\n'));
  text = text.replace(EMAIL_AUTOLINK, (_m, email: string) => park(`<mailto:${email}|${email}>`));
  text = text.replace(SLACK_TOKEN, (token) => park(token));
  text = text.replace(BARE_URL, (match) => {
    const url = trimUrlTail(match);
    return park(escapeSlackText(url)) + match.slice(url.length);
  });

  text = text
    .replace(STRIKETHROUGH, `${STRIKE}$1${STRIKE}`)
    .replace(BOLD_ITALIC_STARS, `${BOLD}${ITALIC}$1${ITALIC}${BOLD}`)
    .replace(BOLD_ITALIC_UNDERSCORES, `${BOLD}${ITALIC}$1${ITALIC}${BOLD}`)
    .replace(BOLD_STARS, `${BOLD}$1${BOLD}`)
    .replace(BOLD_UNDERSCORES, `${BOLD}$1${BOLD}`)
    .replace(ITALIC_STAR, `${ITALIC}$1${ITALIC}`)
    .replace(ITALIC_UNDERSCORE, `${ITALIC}$1${ITALIC}`);

  text = escapeSlackText(text)
    .replaceAll(BOLD, options.dropBold ? '' : '*')
    .replaceAll(ITALIC, '_')
    .replaceAll(STRIKE, '~');
  return unpark(text);
}

/**
 * One left-to-right scan for code spans and backslash escapes, because each
 * disables the other: a backslash inside code is literal, and an escaped
 * backtick does not open code.
 */
function parkCodeAndEscapes(text: string, park: (finished: string) => string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? '';
    const next = text[i + 1] ?? '';
    if (char === '\\' && ESCAPABLE.test(next)) {
      out += park(escapeSlackText(next));
      i += 2;
      continue;
    }
    if (char === '`') {
      const run = /^`+/.exec(text.slice(i))?.[0] ?? '`';
      const close = findClosingBackticks(text, i + run.length, run.length);
      if (close === -1) {
        out += run;
        i += run.length;
        continue;
      }
      let code = text.slice(i + run.length, close);
      // CommonMark strips one padding space each side, which lets `` ` `` hold a backtick.
      if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') {
        code = code.slice(1, -1);
      }
      out += park(`\`${escapeSlackCode(code)}\``);
      i = close + run.length;
      continue;
    }
    out += char;
    i += 1;
  }
  return out;
}

function findClosingBackticks(text: string, from: number, length: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let match = runs.exec(text); match; match = runs.exec(text)) {
    if (match[0].length === length) return match.index;
  }
  return -1;
}

interface LinkMatch {
  match: string;
  isImage: boolean;
  /** Still holds placeholders, so it can flow back into the prose unchanged. */
  label: string;
  target: string;
}

function convertLink(
  { match, isImage, label, target }: LinkMatch,
  park: (finished: string) => string,
  unpark: (text: string) => string,
): string {
  let url = target.trim().replace(/^<(.*)>$/, '$1');
  if (/^www\./i.test(url)) url = `https://${url}`;
  const text = flattenLinkLabel(unpark(label));
  if (!url) return isImage ? text : match;
  // Slack cannot follow relative or in-page links, so keep only the words.
  if (!ABSOLUTE_URL.test(url)) return label;
  const slackUrl = escapeSlackText(url).replace(/\|/g, '%7C').replace(/ /g, '%20');
  if (!text || text === url) return park(`<${slackUrl}>`);
  return park(`<${slackUrl}|${text}>`);
}

/** Slack does not render formatting inside link text, so markers would show literally. */
function flattenLinkLabel(label: string): string {
  const plain = label
    .replace(/`/g, '')
    .replace(/\*\*|~~/g, '')
    .replace(/(?<![\p{L}\p{N}_])__|__(?![\p{L}\p{N}_])/gu, '')
    .replace(/^[*_](?=\S)(.*\S)[*_]$/su, '$1')
    .trim();
  return escapeSlackText(plain);
}

/** Sentence punctuation and emphasis markers after a URL belong to the prose. */
function trimUrlTail(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url[end - 1] ?? '';
    if (/[.,;:!?'"*_~]/.test(last)) {
      end -= 1;
    } else if (last === ')' && count(url.slice(0, end), ')') > count(url.slice(0, end), '(')) {
      end -= 1;
    } else {
      return url.slice(0, end);
    }
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
