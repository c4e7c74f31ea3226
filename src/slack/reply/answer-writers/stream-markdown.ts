/**
 * Slack's streaming API takes standard Markdown without tables
 * (docs/slack-protocol.md, "Limits and formatting"), and what has been
 * streamed cannot be taken back. So tables become code blocks, exactly as in
 * mrkdwn, and a table still being written is held back until it is complete.
 * Pure functions: the stream writer sends the growth of their output.
 */
import { unescapeSlackText } from '../escape-slack-text.ts';
import { readMarkdownTable, renderTableAsCodeBlock } from '../markdown-table-to-code.ts';

const FENCE_OPEN = /^\s*(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^(`+|~+)$/;
/**
 * Lines that may be a table header still being written. Models begin table
 * rows with a pipe; prose with a pipe mid-line is not held back, so streaming
 * never stalls on it (a rare pipe-less table is corrected when the answer ends).
 */
const TABLE_LINE_START = /^\s*\|/;
/** What a table's separator row (`|---|:--:|`) looks like while it is still arriving. */
const PARTIAL_SEPARATOR = /^[\s|:-]*$/;
/** Break preferences for ending a streamed message, coarsest first: paragraph, line, word. */
export const STREAM_BREAKS: readonly string[] = ['\n\n', '\n', ' '];
/** Paragraph or line breaks only: the breaks worth waiting for. */
export const LINE_BREAKS: readonly string[] = ['\n\n', '\n'];

/**
 * The Markdown Slack may be sent for `markdown`: complete tables as code
 * blocks. Unless `complete`, it stops before anything later text could still
 * turn into a table, so each result extends the previous one as the model
 * writes on.
 */
export function prepareStreamMarkdown(markdown: string, options: { complete: boolean }): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let fence: string | undefined;
  let index = 0;
  let held = false;
  while (index < lines.length) {
    const line = lines[index] as string;
    if (fence === undefined) {
      const table = readMarkdownTable(lines, index);
      // More rows may follow until a whole line after the table has arrived.
      held = table !== undefined && !options.complete && table.end >= lines.length - 1;
      if (held) break;
      if (table) {
        // The helper escapes for mrkdwn; Markdown code shows its characters literally.
        out.push(unescapeSlackText(renderTableAsCodeBlock(table.table)));
        index = table.end;
        continue;
      }
      held = !options.complete && mayBecomeTableHeader(lines, index);
      if (held) break;
    }
    fence = nextFenceState(fence, line);
    out.push(line);
    index += 1;
  }
  // The line break before held-back text was already written; keeping it keeps every result a prefix of the next.
  return out.join('\n') + (held && index > 0 ? '\n' : '');
}

/** A pipe line is a table header once a separator row follows; near the end, that row may still be coming. */
function mayBecomeTableHeader(lines: readonly string[], index: number): boolean {
  const line = lines[index] as string;
  // A last line of indentation alone may still become an indented pipe line (a table in a list item).
  if (index === lines.length - 1) return TABLE_LINE_START.test(line) || line.trim() === '';
  if (!TABLE_LINE_START.test(line)) return false;
  return index === lines.length - 2 && PARTIAL_SEPARATOR.test(lines[index + 1] as string);
}

/** The marker of the fenced code block open after `line`, given the one open before it (CommonMark rules). */
function nextFenceState(open: string | undefined, line: string): string | undefined {
  if (open !== undefined) {
    const trimmed = line.trim();
    const closes = trimmed[0] === open[0] && trimmed.length >= open.length && FENCE_CLOSE.test(trimmed);
    return closes ? undefined : open;
  }
  const match = FENCE_OPEN.exec(line);
  if (!match) return undefined;
  const [, marker = '', info = ''] = match;
  // A backtick fence's info string cannot contain a backtick: "```a``" is inline code.
  return marker.startsWith('`') && info.includes('`') ? undefined : marker;
}

/** The fence marker of a code block still open at the end of `markdown`, if any. */
export function findOpenFence(markdown: string): string | undefined {
  let open: string | undefined;
  for (const line of markdown.split('\n')) open = nextFenceState(open, line);
  return open;
}

export interface StreamCut {
  /** `text.slice(0, end)` ends the current message. */
  end: number;
  /** `text.slice(resume)` starts the next one (the break itself is dropped). */
  resume: number;
}

/**
 * The last break in `text` at or after `minEnd` that leaves at most `room`
 * characters, trying each separator in turn (coarsest first).
 */
export function findStreamBreak(
  text: string,
  room: number,
  minEnd: number,
  separators: readonly string[] = STREAM_BREAKS,
): StreamCut | undefined {
  for (const separator of separators) {
    const at = text.lastIndexOf(separator, room);
    if (at >= Math.max(1, minEnd)) return { end: at, resume: at + separator.length };
  }
  return undefined;
}

/** Cuts at `room` when the text offers no break at all, never inside a surrogate pair. */
export function hardStreamCut(text: string, room: number): StreamCut {
  const code = text.charCodeAt(room - 1);
  const end = room > 1 && code >= 0xd800 && code <= 0xdbff ? room - 1 : room;
  return { end, resume: end };
}
