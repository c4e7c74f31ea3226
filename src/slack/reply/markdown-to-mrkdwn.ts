import { convertInlineMarkdown } from './convert-inline-markdown.ts';
import { escapeSlackCode } from './escape-slack-text.ts';
import { readMarkdownTable, renderTableAsCodeBlock } from './markdown-table-to-code.ts';

// Slack mrkdwn is not Markdown (docs/slack-protocol.md, "Limits and
// formatting"): no headings, no tables, `*` is bold, `_` is italic, links are
// <url|text>, and only &, < and > are escaped. Conversion is line by line:
// block structure first, then inline syntax within each line.

/** Slack has no <hr>; box-drawing characters read as a divider in any font. */
export const HORIZONTAL_RULE = '─'.repeat(20);
/** Slack renders no list markers of its own, so bullets are spelled out. */
export const BULLET = '•';

const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})(.*)$/;
const ATX_HEADING = /^\s{0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$/;
const SETEXT_UNDERLINE = /^\s{0,3}(?:=+|-+)\s*$/;
const THEMATIC_BREAK = /^\s{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BULLET_ITEM = /^(\s*)[-*+](?:[ \t]+(.*))?$/;
const ORDERED_ITEM = /^(\s*)(\d{1,9}[.)])(?:[ \t]+(.*))?$/;
const BLOCKQUOTE = /^\s{0,3}>/;
const TASK_BOX = /^\[([ xX])\][ \t]+/;

/** Converts the Markdown an LLM writes into Slack mrkdwn. */
export function convertMarkdownToMrkdwn(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const fence = FENCE_OPEN.exec(line);
    if (fence && !(fence[2]?.startsWith('`') && fence[3]?.includes('`'))) {
      const block = readFencedCode(lines, i, fence);
      out.push(block.text);
      i = block.end;
      continue;
    }
    const table = readMarkdownTable(lines, i);
    if (table) {
      out.push(renderTableAsCodeBlock(table.table));
      i = table.end;
      continue;
    }
    const next = lines[i + 1];
    if (next !== undefined && SETEXT_UNDERLINE.test(next) && isParagraphLine(line)) {
      out.push(renderHeading(line.trim()));
      i += 2;
      continue;
    }
    out.push(convertBlockLine(line));
    i += 1;
  }
  return out.join('\n').replace(/\s+$/, '');
}

/**
 * Copies a fenced block verbatim apart from the three escapes Slack requires.
 * The info string (```ts) is dropped because Slack would print it as code.
 */
function readFencedCode(lines: readonly string[], start: number, fence: RegExpExecArray): { text: string; end: number } {
  const indent = fence[1] ?? '';
  const marker = fence[2] ?? '```';
  const body: string[] = [];
  let end = start + 1;
  for (; end < lines.length; end += 1) {
    const line = lines[end] ?? '';
    const trimmed = line.trim();
    if (trimmed.startsWith(marker[0]?.repeat(marker.length) ?? '```') && /^(`+|~+)$/.test(trimmed)) {
      end += 1;
      break;
    }
    // A fence nested in a list item is indented; its content shares that indent.
    body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
  }
  // An unclosed fence is closed here, as Markdown renderers close it at the end of the document.
  return { text: ['```', ...body.map(escapeSlackCode), '```'].join('\n'), end };
}

function convertBlockLine(rawLine: string): string {
  // Trailing double spaces are Markdown hard breaks; Slack keeps every newline anyway.
  const line = rawLine.replace(/[ \t]+$/, '');
  if (line === '') return '';
  if (BLOCKQUOTE.test(line)) {
    // Slack quotes do not nest, so `>>` flattens to a single level.
    const inner = line.replace(/^\s*(?:>[ \t]?)+/, '');
    return inner === '' ? '>' : `> ${convertBlockLine(inner)}`;
  }
  if (THEMATIC_BREAK.test(line)) return HORIZONTAL_RULE;
  const heading = ATX_HEADING.exec(line);
  if (heading) return renderHeading(heading[1] ?? '');
  const bullet = BULLET_ITEM.exec(line);
  if (bullet) {
    const [, indent = '', content = ''] = bullet;
    return `${indent}${BULLET} ${renderListContent(content)}`.trimEnd();
  }
  const ordered = ORDERED_ITEM.exec(line);
  if (ordered) {
    const [, indent = '', marker = '', content = ''] = ordered;
    return `${indent}${marker} ${renderListContent(content)}`.trimEnd();
  }
  return convertInlineMarkdown(line);
}

function renderListContent(content: string): string {
  const task = TASK_BOX.exec(content);
  if (!task) return convertInlineMarkdown(content);
  const box = task[1] === ' ' ? '☐' : '☑';
  return `${box} ${convertInlineMarkdown(content.slice(task[0].length))}`;
}

/** Slack has no headings; a bold line is the closest thing that renders everywhere. */
function renderHeading(text: string): string {
  const inner = convertInlineMarkdown(text.trim(), { dropBold: true }).trim();
  return inner === '' ? '' : `*${inner}*`;
}

function isParagraphLine(line: string): boolean {
  return (
    line.trim() !== '' &&
    !BLOCKQUOTE.test(line) &&
    !THEMATIC_BREAK.test(line) &&
    !ATX_HEADING.test(line) &&
    !BULLET_ITEM.test(line) &&
    !ORDERED_ITEM.test(line) &&
    !SETEXT_UNDERLINE.test(line)
  );
}
