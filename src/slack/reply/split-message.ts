import { CODE_FENCE, UnsplittableSpans, findCodeBlocks } from './find-unsplittable-spans.ts';

/**
 * Slack advises keeping a message under ~4,000 characters and chat.update
 * rejects longer text with msg_too_long; 100 characters stay spare for a footer.
 */
export const SLACK_MESSAGE_CHAR_LIMIT = 3_900;
/** Smaller chunks could not hold a reopened fence, a closing fence and any content. */
export const MIN_SPLIT_LIMIT = 16;
/** A coarse break that would leave a chunk under half full loses to a finer one: no runt messages. */
export const MIN_CHUNK_FILL_RATIO = 0.5;

/** Added to a chunk that ends inside a code block, and to the next chunk that resumes it. */
const CLOSING_FENCE = `\n${CODE_FENCE}`;
const REOPENING_FENCE = `${CODE_FENCE}\n`;

interface BreakLevel {
  pattern: RegExp;
  /** Whether a break at this level may fall inside an oversized code block. */
  insideCode: boolean;
}

// Coarsest first. Group 1 (when present) is what stays at the end of the chunk.
const BREAK_LEVELS: readonly BreakLevel[] = [
  { pattern: /\n[ \t]*\n/g, insideCode: false }, // paragraph
  { pattern: /\n/g, insideCode: true }, // line
  { pattern: /([.!?]+["'”’)\]]*)[ \t]+/g, insideCode: false }, // sentence
  { pattern: /[ \t]+/g, insideCode: true }, // word
];

interface Cut {
  chunk: string;
  remainder: string;
}

/**
 * Splits mrkdwn into chunks of at most `limit` characters (UTF-16 code units,
 * which never undercounts what Slack counts). Breaks at a paragraph, then a
 * line, then a sentence, then a space, and only then mid-word. Slack tokens,
 * surrogate pairs and code blocks that fit in one chunk are never cut; a code
 * block too long for one chunk is closed at the end of a chunk and reopened at
 * the start of the next, so every chunk renders on its own.
 */
export function splitMessage(text: string, limit = SLACK_MESSAGE_CHAR_LIMIT): string[] {
  if (!Number.isInteger(limit) || limit < MIN_SPLIT_LIMIT) {
    throw new RangeError(`splitMessage limit must be an integer of at least ${MIN_SPLIT_LIMIT}, got ${limit}`);
  }
  const chunks: string[] = [];
  let rest = trimLeadingBlankLines(text).trimEnd();
  while (rest !== '') {
    if (rest.length <= limit) {
      chunks.push(rest);
      break;
    }
    const cut = chooseCut(rest, limit);
    if (cut.remainder.length >= rest.length) {
      throw new Error('splitMessage made no progress; this is a bug');
    }
    chunks.push(cut.chunk);
    rest = trimLeadingBlankLines(cut.remainder).trimEnd();
  }
  return chunks;
}

function chooseCut(rest: string, limit: number): Cut {
  const spans = new UnsplittableSpans(rest, findCodeBlocks(rest), limit);
  let fallback: Cut | undefined;
  for (const level of BREAK_LEVELS) {
    const cut = findLastBreak(rest, limit, spans, level);
    if (!cut) continue;
    if (cut.chunk.length >= limit * MIN_CHUNK_FILL_RATIO) return cut;
    if (!fallback || cut.chunk.length > fallback.chunk.length) fallback = cut;
  }
  return fallback ?? hardCut(rest, limit, spans);
}

/** The break of this level that fills the chunk most while keeping it within the limit. */
function findLastBreak(rest: string, limit: number, spans: UnsplittableSpans, level: BreakLevel): Cut | undefined {
  const breaks = Array.from(rest.matchAll(level.pattern)).reverse();
  for (const match of breaks) {
    const position = match.index + (match[1]?.length ?? 0);
    if (position > limit) continue;
    if (spans.spanAround(position) || spans.spanAround(match.index + match[0].length)) continue;
    if (!level.insideCode && spans.splittableBlockAt(position)) continue;
    const cut = tryCut(rest, position, match.index + match[0].length, limit, spans);
    if (cut) return cut;
  }
  return undefined;
}

/** Cuts mid-word as a last resort, backing out of anything that must stay whole. */
function hardCut(rest: string, limit: number, spans: UnsplittableSpans): Cut {
  let position = limit;
  while (position > 0) {
    const span = spans.spanAround(position);
    if (span) {
      position = span.start;
      continue;
    }
    const cut = tryCut(rest, position, position, limit, spans);
    if (cut) return cut;
    position -= 1;
  }
  // Only a single token longer than the limit gets here; the limit wins over the token.
  position = limit;
  const span = spans.spanAround(position);
  if (span && span.end - span.start === 2) position -= 1; // still never split a surrogate pair
  return { chunk: rest.slice(0, position), remainder: rest.slice(position) };
}

/**
 * Cuts `rest` into `rest[0, end)` and `rest[resumeAt…)`, or returns undefined if
 * the result would be over the limit or leave a chunk (or a resumed code block)
 * with no content.
 */
function tryCut(rest: string, end: number, resumeAt: number, limit: number, spans: UnsplittableSpans): Cut | undefined {
  const head = rest.slice(0, end).trimEnd();
  const block = spans.splittableBlockAt(end);
  if (!block) {
    if (head.length > limit || !/\S/.test(head)) return undefined;
    return { chunk: head, remainder: rest.slice(resumeAt) };
  }
  const chunk = head + CLOSING_FENCE;
  if (chunk.length > limit) return undefined;
  const codeBefore = rest.slice(block.start + CODE_FENCE.length, end);
  const codeAfter = rest.slice(resumeAt, block.closeStart);
  if (!/\S/.test(codeBefore) || !/\S/.test(codeAfter)) return undefined;
  return { chunk, remainder: REOPENING_FENCE + rest.slice(resumeAt) };
}

function trimLeadingBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, '');
}
