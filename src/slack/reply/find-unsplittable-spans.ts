// Where a message must not be cut: inside a Slack token, inside a code block
// that would fit in one message, between the halves of a surrogate pair, or in
// the middle of a ``` marker.

export const CODE_FENCE = '```';

export interface CodeBlockSpan {
  /** Index of the opening ```. */
  start: number;
  /** Index of the closing ```, or the text length when the block is never closed. */
  closeStart: number;
  /** Index just past the closing ```. */
  end: number;
}

export interface Span {
  start: number;
  end: number;
}

// Slack tokens are <@U…>, <#C…|name>, <!here>, <!date^…|…>, <https://…|text>.
// Prose `<` is escaped to &lt; by the converter, so a raw `<` opens a token.
const SLACK_TOKEN = /<(?:[@#!]|[a-z][a-z0-9+.-]*:)[^<>\n]*>/gi;

/**
 * Pairs ``` markers in order, the way Slack does: any ``` opens a block and the
 * next one closes it, whether or not it starts a line.
 */
export function findCodeBlocks(text: string): CodeBlockSpan[] {
  const blocks: CodeBlockSpan[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf(CODE_FENCE, from);
    if (start === -1) return blocks;
    const close = text.indexOf(CODE_FENCE, start + CODE_FENCE.length);
    if (close === -1) {
      blocks.push({ start, closeStart: text.length, end: text.length });
      return blocks;
    }
    blocks.push({ start, closeStart: close, end: close + CODE_FENCE.length });
    from = close + CODE_FENCE.length;
  }
}

export function findSlackTokens(text: string): Span[] {
  return Array.from(text.matchAll(SLACK_TOKEN), (match) => ({
    start: match.index,
    end: match.index + match[0].length,
  }));
}

export class UnsplittableSpans {
  private readonly spans: Span[];

  constructor(
    private readonly text: string,
    private readonly blocks: readonly CodeBlockSpan[],
    /** Blocks longer than this may be split, with their fences repaired. */
    private readonly limit: number,
  ) {
    this.spans = [
      ...findSlackTokens(text),
      ...blocks.flatMap((block): Span[] =>
        block.end - block.start <= limit
          ? [block]
          : [
              { start: block.start, end: block.start + CODE_FENCE.length },
              { start: block.closeStart, end: block.end },
            ],
      ),
    ];
  }

  /** The span a cut at `position` would break, if any. */
  spanAround(position: number): Span | undefined {
    const span = this.spans.find((candidate) => candidate.start < position && position < candidate.end);
    if (span) return span;
    if (isLowSurrogate(this.text.charCodeAt(position)) && isHighSurrogate(this.text.charCodeAt(position - 1))) {
      return { start: position - 1, end: position + 1 };
    }
    return undefined;
  }

  /** The oversized code block whose content holds `position`; a cut there needs fence repair. */
  splittableBlockAt(position: number): CodeBlockSpan | undefined {
    return this.blocks.find(
      (block) =>
        block.end - block.start > this.limit &&
        block.start + CODE_FENCE.length <= position &&
        position <= block.closeStart,
    );
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
