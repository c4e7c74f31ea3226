import { escapeSlackCode, unescapeSlackText } from './escape-slack-text.ts';

// Slack mrkdwn has no tables, so a GFM pipe table becomes a monospace code
// block whose columns line up. Formatting cannot render inside code, so cell
// Markdown is flattened to the words it would have shown.

export type ColumnAlignment = 'left' | 'right' | 'center';

export interface MarkdownTable {
  header: string[];
  alignments: ColumnAlignment[];
  rows: string[][];
}

const SEPARATOR_CELL = /^:?-+:?$/;
const FENCE_LINE = /^\s*(?:`{3,}|~{3,})/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Reads a pipe table whose header is `lines[start]`. Returns undefined unless a
 * separator row with the same number of cells follows, as GFM requires — that
 * is what tells a table from prose that merely contains a `|`.
 */
export function readMarkdownTable(
  lines: readonly string[],
  start: number,
): { table: MarkdownTable; end: number } | undefined {
  const headerLine = lines[start];
  const separatorLine = lines[start + 1];
  if (headerLine === undefined || separatorLine === undefined) return undefined;
  if (!hasUnescapedPipe(headerLine) || !separatorLine.includes('|')) return undefined;
  const header = splitTableRow(headerLine);
  const separators = splitTableRow(separatorLine);
  if (header.length !== separators.length || !separators.every((cell) => SEPARATOR_CELL.test(cell))) {
    return undefined;
  }
  const rows: string[][] = [];
  let end = start + 2;
  for (; end < lines.length; end += 1) {
    const line = lines[end] ?? '';
    if (line.trim() === '' || !hasUnescapedPipe(line) || FENCE_LINE.test(line)) break;
    rows.push(splitTableRow(line));
  }
  return { table: { header, alignments: separators.map(readAlignment), rows }, end };
}

/** Renders the table as a fenced code block with padded, aligned columns. */
export function renderTableAsCodeBlock(table: MarkdownTable): string {
  const grid = [table.header, ...table.rows].map((row) => row.map(flattenCellMarkdown));
  // Keep extra cells rather than drop them as GFM does: losing data is worse than a ragged row.
  const columnCount = Math.max(...grid.map((row) => row.length));
  const widths = Array.from({ length: columnCount }, (_unused, column) =>
    Math.max(1, ...grid.map((row) => measureDisplayWidth(row[column] ?? ''))),
  );
  const renderRow = (row: string[]): string =>
    widths
      .map((width, column) => padCell(row[column] ?? '', width, table.alignments[column] ?? 'left'))
      .join(' | ')
      .trimEnd();
  const [header = [], ...body] = grid;
  const rule = widths.map((width) => '-'.repeat(width)).join('-+-');
  const lines = [renderRow(header), rule, ...body.map(renderRow)];
  // Escaped only now: widths are measured on what Slack displays, not on `&amp;`.
  return ['```', ...lines.map(escapeSlackCode), '```'].join('\n');
}

/** Columns are approximated by grapheme: emoji and East Asian wide characters take two cells. */
export function measureDisplayWidth(text: string): number {
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    width += isWide(segment) ? 2 : 1;
  }
  return width;
}

function isWide(grapheme: string): boolean {
  // Text-style symbols such as © stay narrow unless emoji presentation is asked for.
  if (/\p{Emoji_Presentation}|\uFE0F/u.test(grapheme)) return true;
  const code = grapheme.codePointAt(0) ?? 0;
  return (
    (code >= 0x1100 && code <= 0x115f) || // Hangul Jamo
    (code >= 0x2e80 && code <= 0xa4cf) || // CJK radicals … Yi
    (code >= 0xac00 && code <= 0xd7a3) || // Hangul syllables
    (code >= 0xf900 && code <= 0xfaff) || // CJK compatibility ideographs
    (code >= 0xfe30 && code <= 0xfe4f) || // CJK compatibility forms
    (code >= 0xff00 && code <= 0xff60) || // fullwidth forms
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd) // CJK extension planes
  );
}

function padCell(text: string, width: number, alignment: ColumnAlignment): string {
  const gap = width - measureDisplayWidth(text);
  if (alignment === 'right') return ' '.repeat(gap) + text;
  if (alignment === 'center') {
    const left = Math.floor(gap / 2);
    return ' '.repeat(left) + text + ' '.repeat(gap - left);
  }
  return text + ' '.repeat(gap);
}

function readAlignment(separator: string): ColumnAlignment {
  const left = separator.startsWith(':');
  const right = separator.endsWith(':');
  if (left && right) return 'center';
  return right ? 'right' : 'left';
}

function hasUnescapedPipe(line: string): boolean {
  return /(?<!\\)\|/.test(line);
}

/**
 * Splits a row on unescaped pipes. Pipes inside backticks do not split either:
 * GFM would split them, but models write `a|b` in code cells and mean one cell.
 */
function splitTableRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (let i = 0; i < row.length; i += 1) {
    const char = row[i] ?? '';
    if (char === '\\' && row[i + 1] === '|') {
      cell += '|';
      i += 1;
    } else if (char === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else {
      if (char === '`') inCode = !inCode;
      cell += char;
    }
  }
  cells.push(cell.trim());
  return cells;
}

function flattenCellMarkdown(cell: string): string {
  const flat = cell
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/!?\[([^\]]*)\]\(\s*<?([^\s<>()]+)>?(?:\s+"[^"]*")?\s*\)/g, (_m, text: string, url: string) =>
      text && text !== url ? `${text} (${url})` : url,
    )
    .replace(/(`+)(.+?)\1/g, '$2')
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '$1')
    .replace(/(?<![\p{L}\p{N}_])__(?=\S)(.+?)(?<=\S)__(?![\p{L}\p{N}_])/gu, '$1')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/(?<![\p{L}\p{N}*])\*(?=[^\s*])([^*]*?[^\s*])\*(?![\p{L}\p{N}*])/gu, '$1')
    .replace(/(?<![\p{L}\p{N}_])_(?=[^\s_])([^_]*?[^\s_])_(?![\p{L}\p{N}_])/gu, '$1')
    .trim();
  // The model may have escaped entities already; measure and re-escape the plain text.
  return unescapeSlackText(flat);
}
