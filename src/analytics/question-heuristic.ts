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
 *    it follows a letter, digit or closing bracket (spaces or tabs between are
 *    fine, so a `?` after removed code or an emoji counts),
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
const GREETING = /^(?:(?:hi|hey|hello|yo|morning|good[ \t]+morning)(?:\s+(?:all|team|folks|everyone|everybody|there|y'all))?\s*[,!.:\-–—]*\s+)/;

// Rule 1. Each step names the characters it needs, so plain prose skips it.
const FENCED_CODE = /```[\s\S]*?(?:```|$)/g;
const INLINE_CODE = /`[^`\n]*`/g;
const QUOTED_LINE = /^\s*(?:>|&gt;)/;
/** QUOTED_LINE at the start of any line (a line holds no `\n`, so its leading space cannot either). */
const ANY_QUOTED_LINE = /(?:^|\n)[^\S\n]*(?:>|&gt;)/;
const SLACK_MARKUP = /<[^>\n]*>/g;
const BARE_URL = /\bhttps?:\/\/\S+/gi;
const EMOJI_SHORTCODE = /:[a-z0-9_+'-]+:/gi;
const PICTOGRAPH = /\p{Extended_Pictographic}|\u200d|\ufe0f/gu;
/** Every pictograph, ZWJ and variation selector is outside ASCII (the lowest pictograph is ©, U+00A9). */
const NON_ASCII = /[\u0080-\uffff]/;

// Rule 2.
const SENTENCE_ENDING_QUESTION_MARK = /[\p{L}\p{N})\]][ \t]*[?？][?？!'"’”)\]]*(?:\s|$)/u;

// Rule 3, as patterns over the lower-case opening built from the lists above
// (plain words: nothing to escape). A word is a run of a–z and apostrophes;
// anything else separates words.
const WORD_SEPARATOR = "[^a-z']+";
const QUESTION_OPENINGS = [
  openingPattern(HELP_PHRASES.map((phrase) => phrase.replaceAll(' ', WORD_SEPARATOR)).join('|')),
  // "what's", "how're"…: an interrogative contracted with is/are
  openingPattern(`(?:${INTERROGATIVES.join('|')})'(?:s|re)`),
  openingPattern(`who${WORD_SEPARATOR}[a-z]{3,}s`),
  openingPattern(`(?:${INTERROGATIVES.join('|')})${WORD_SEPARATOR}(?:${AUXILIARIES.join('|')})`),
];

/** `words` as whole words, starting at the first word. */
function openingPattern(words: string): RegExp {
  return new RegExp(`^[^a-z']*(?:${words})(?![a-z'])`);
}

export function isQuestion(text: string): boolean {
  const prose = stripNonProse(text);
  if (hasQuestionMark(prose) && SENTENCE_ENDING_QUESTION_MARK.test(prose)) return true;
  return opensWithQuestion(prose);
}

/** Rule 1; a step whose characters are missing could not change the text. */
function stripNonProse(text: string): string {
  let prose = text;
  if (prose.includes('```')) prose = prose.replace(FENCED_CODE, ' ');
  if (prose.includes('`')) prose = prose.replace(INLINE_CODE, ' ');
  if (ANY_QUOTED_LINE.test(prose)) prose = removeQuotedLines(prose);
  if (prose.includes('<')) prose = prose.replace(SLACK_MARKUP, ' ');
  if (prose.includes('://')) prose = prose.replace(BARE_URL, ' ');
  if (prose.includes(':')) prose = prose.replace(EMOJI_SHORTCODE, ' ');
  if (NON_ASCII.test(prose)) prose = prose.replace(PICTOGRAPH, ' ');
  return prose.trim();
}

/** Lines starting `>` or `&gt;` (Slack escapes a typed `>` as `&gt;`). */
function removeQuotedLines(text: string): string {
  return text
    .split('\n')
    .filter((line) => !QUOTED_LINE.test(line))
    .join('\n');
}

function hasQuestionMark(text: string): boolean {
  return text.includes('?') || text.includes('？');
}

/** Rule 3. */
function opensWithQuestion(prose: string): boolean {
  let opening = prose.toLowerCase();
  if (opening.includes('’')) opening = opening.replace(/’/g, "'");
  opening = opening.replace(/^[\s*_~,.:;!-]+/, '').replace(GREETING, '');
  return QUESTION_OPENINGS.some((pattern) => pattern.test(opening));
}
