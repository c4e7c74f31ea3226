/**
 * Does a Slack message ask a question? Used to find help replies (pure).
 *
 * The rule, applied to the raw Slack text (English only, case-insensitive):
 * 1. Remove what the author did not write as their own sentence: fenced code
 *    (```…```), inline code (`…`), quoted lines (starting `>` or `&gt;`),
 *    Slack markup in angle brackets (links, mentions, channels — so a `?` in a
 *    URL's query string never counts), bare URLs, and emoji (`:name:` and
 *    pictographs).
 * 2. It is a question if what is left has a `?` (or `？`) that ends a sentence:
 *    it follows a letter, digit or closing bracket (at most one space between),
 *    and is followed only by more `?`/`!`, closing quotes or brackets, then a
 *    space or the end of the text. "Can you check? Thanks!" counts; "a?b"
 *    and a quoted symbol such as `the "?" operator` do not.
 * 3. Otherwise it is a question if it opens — after any greeting such as
 *    "hi team," — with a help phrase ("does anyone", "can someone", "any idea",
 *    "is there", "how do I", "is it possible"…, see HELP_PHRASES) or with an
 *    interrogative word followed by an auxiliary verb ("why is", "what does",
 *    "how can", "where are"…), a contraction ("what's", "how's"), or "who"
 *    followed by a verb ending in -s ("who owns", "who knows").
 *    A bare "what"/"why" is not enough: "What a release!" is not a question.
 * Statements such as "FYI: …" or "PSA" never match rule 3 and count only if
 * they contain a sentence ending in `?`.
 */

const HELP_PHRASES = [
  'does anyone',
  'does anybody',
  'does somebody',
  'do you know',
  'do we have',
  'has anyone',
  'has anybody',
  'have you',
  'anyone know',
  'anybody know',
  'anyone have',
  'anyone else',
  'can someone',
  'can somebody',
  'can anyone',
  'can anybody',
  'can you',
  'could someone',
  'could somebody',
  'could anyone',
  'could you',
  'would someone',
  'would you',
  'any idea',
  'any ideas',
  'any way to',
  'any tips',
  'is there',
  'are there',
  'is it possible',
  'who knows',
  'need help',
  'help with',
  'i need help',
  'quick question',
];

const INTERROGATIVES = ['what', 'why', 'how', 'where', 'when', 'who', 'which', 'whose'];
const AUXILIARIES = [
  'is', 'are', 'was', 'were', 'do', 'does', 'did', 'can', 'could', 'should', 'would', 'will',
  'has', 'have', 'had', 'am', 'isn\'t', 'aren\'t', 'doesn\'t', 'don\'t', 'didn\'t', 'can\'t', 'won\'t',
];
const GREETING = /^(?:(?:hi|hey|hello|yo|morning|good morning)(?:\s+(?:all|team|folks|everyone|everybody|there|y'all))?\s*[,!.:\-–—]*\s+)/;

export function isQuestion(text: string): boolean {
  const prose = stripNonProse(text);
  if (/[\p{L}\p{N})\]] ?[?？][?？!'"’”)\]]*(?:\s|$)/u.test(prose)) return true;
  return opensWithQuestion(prose);
}

function stripNonProse(text: string): string {
  return text
    .replace(/```[\s\S]*?(?:```|$)/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .split('\n')
    .filter((line) => !/^\s*(?:>|&gt;)/.test(line))
    .join('\n')
    .replace(/<[^>\n]*>/g, ' ')
    .replace(/\bhttps?:\/\/\S+/gi, ' ')
    .replace(/:[a-z0-9_+'-]+:/gi, ' ')
    .replace(/\p{Extended_Pictographic}|\u200d|\ufe0f/gu, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

function opensWithQuestion(prose: string): boolean {
  const opening = prose
    .toLowerCase()
    .replace(/[’]/g, "'")
    .replace(/^[\s*_~,.:;!-]+/, '')
    .replace(GREETING, '');
  const words = opening.split(/[^a-z']+/).filter(Boolean);
  if (words.length === 0) return false;
  const firstWords = words.slice(0, 4).join(' ');
  if (HELP_PHRASES.some((phrase) => firstWords === phrase || firstWords.startsWith(`${phrase} `))) return true;

  const [first = '', second = ''] = words;
  if (INTERROGATIVES.some((word) => first === `${word}'s` || first === `${word}'re`)) return true;
  if (first === 'who' && /^[a-z]{3,}s$/.test(second)) return true;
  return INTERROGATIVES.includes(first) && AUXILIARIES.includes(second);
}
