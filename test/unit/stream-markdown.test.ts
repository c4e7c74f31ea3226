import { describe, expect, it } from 'vitest';
import {
  LINE_BREAKS,
  STREAM_BREAKS,
  findOpenFence,
  findStreamBreak,
  hardStreamCut,
  prepareStreamMarkdown,
} from '../../src/slack/reply/answer-writers/stream-markdown.ts';

const FENCE = '```';

// ---- small factories -------------------------------------------------------

const lines = (...parts: string[]): string => parts.join('\n');

/** The answer so far, as the stream writer asks for it while the model is still writing. */
const soFar = (markdown: string): string => prepareStreamMarkdown(markdown, { complete: false });
const atTheEnd = (markdown: string): string => prepareStreamMarkdown(markdown, { complete: true });

const REVENUE_TABLE = lines('| Region | Revenue |', '|:--|--:|', '| EMEA | 1,200 |', '| Americas | 980 |');
const REVENUE_CODE = lines(FENCE, 'Region   | Revenue', '---------+--------', 'EMEA     |   1,200', 'Americas |     980', FENCE);

/** Every prefix of `text`, shortest first, as a model streaming one character at a time would send them. */
function prefixesOf(text: string): string[] {
  return Array.from({ length: text.length + 1 }, (_unused, end) => text.slice(0, end));
}

/** The first prefix whose result does not extend the previous prefix's result, if any. */
function firstRetraction(text: string): { before: string; after: string; prefix: string } | undefined {
  let before = '';
  for (const prefix of prefixesOf(text)) {
    const after = soFar(prefix);
    if (!after.startsWith(before)) return { before, after, prefix };
    before = after;
  }
  return undefined;
}

// ---- generated streams -------------------------------------------------------

/** mulberry32: a tiny seeded PRNG so every run checks the same streams. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A model's answer built from the blocks models write: prose (with the odd
 * pipe, entity or emoji), headings, lists, pipe tables that begin with a pipe
 * (with alignments, escaped pipes, code cells and optional trailing pipes) and
 * fenced code that itself looks like a table. Pipe-less tables and indented
 * tables are left out: a pipe-less header cannot be told from prose until its
 * separator arrives, a documented exception; indented tables are a known gap
 * tested on their own below.
 */
function generateAnswer(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const count = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const word = (): string => pick(['deploys', 'p95', 'EMEA', '12%', 'R&D', '<b>', '📈', 'a | b', '**up**', '`x|y`', 'on-call', '~~old~~']);
  const words = (): string => Array.from({ length: count(1, 5) }, word).join(' ');
  const cell = (): string => pick(['', 'EMEA', '1,200', '`a|b`', 'x \\| y', '**bold**', '📈 up', '<5', 'R&D']);

  const paragraph = (): string => Array.from({ length: count(1, 2) }, () => `${pick(['', 'So ', 'Note: '])}${words()}.`).join('\n');
  const heading = (): string => `${pick(['#', '##', '###'])} ${words()}`;
  const list = (): string => Array.from({ length: count(1, 3) }, (_unused, index) => `${pick(['-', '*', `${index + 1}.`])} ${words()}`).join('\n');
  const table = (): string => {
    const columns = count(1, 3);
    const trailing = random() < 0.7 ? ' |' : '';
    const row = (make: () => string): string => `| ${Array.from({ length: columns }, make).join(' | ')}${trailing}`;
    const separator = `|${Array.from({ length: columns }, () => pick(['---', ':--', '--:', ':-:', ' --- '])).join('|')}|`;
    return [row(() => pick(['Region', 'Revenue', 'Δ', 'Team'])), separator, ...Array.from({ length: count(0, 3) }, () => row(cell))].join('\n');
  };
  const code = (last: boolean): string => {
    const marker = pick(['```', '~~~', '````']);
    const body = Array.from({ length: count(1, 3) }, () => pick(['SELECT 1;', '| a | b |', '|---|---|', '  indented', '``` not a close']));
    const closed = !last || random() < 0.7;
    return [`${marker}${pick(['', 'sql', 'text'])}`, ...body, ...(closed ? [marker] : [])].join('\n');
  };

  const blocks = count(1, 6);
  const parts: string[] = [];
  for (let index = 0; index < blocks; index += 1) {
    const last = index === blocks - 1;
    const block = pick([paragraph, heading, list, table, table, () => code(last)])();
    parts.push(block, last ? pick(['', '\n', '\n\n']) : pick(['\n\n', '\n\n', '\n']));
  }
  const answer = parts.join('');
  // Some models' text arrives with Windows line endings.
  return random() < 0.15 ? answer.replace(/\n/g, '\r\n') : answer;
}

const GENERATED_ANSWERS = Array.from({ length: 150 }, (_unused, seed) => generateAnswer(seededRandom(seed + 1)));

// ---- prepareStreamMarkdown: examples ----------------------------------------------

describe('prepareStreamMarkdown', () => {
  it('passes Markdown without tables through unchanged', () => {
    const markdown = lines('## Weekly summary', '', '- Deploys rose **12%**', '- See [the report](https://example.com)', '', 'Use `a | b` for either.');
    expect(soFar(markdown)).toBe(markdown);
    expect(atTheEnd(markdown)).toBe(markdown);
  });

  it('turns a complete pipe table into a fenced code block with padded, aligned columns', () => {
    const markdown = lines('Revenue by region:', '', REVENUE_TABLE, '', 'EMEA leads.');
    expect(soFar(markdown)).toBe(lines('Revenue by region:', '', REVENUE_CODE, '', 'EMEA leads.'));
  });

  it('shows a table’s characters literally in the code block, with cell formatting flattened', () => {
    const markdown = lines('| R&D <team> | `a|b` |', '|---|---|', '| x \\| y | **bold** |', '', 'ok');
    expect(soFar(markdown)).toBe(lines(FENCE, 'R&D <team> | a|b', '-----------+-----', 'x | y      | bold', FENCE, '', 'ok'));
  });

  it('leaves a table inside a fenced code block as it was written', () => {
    const markdown = lines(FENCE, '| a | b |', '|---|---|', '| 1 | 2 |', FENCE, 'after');
    expect(soFar(markdown)).toBe(markdown);
  });

  it('reads Windows line endings as line breaks', () => {
    expect(soFar('Deploys rose.\r\nIncidents fell.\r\n')).toBe('Deploys rose.\nIncidents fell.\n');
  });

  it('holds back a table whose last row may still be growing, keeping the line break before it', () => {
    expect(soFar(lines('Revenue by region:', REVENUE_TABLE))).toBe('Revenue by region:\n');
    expect(soFar(`${lines('Revenue by region:', REVENUE_TABLE)}\n`)).toBe('Revenue by region:\n');
    expect(soFar(lines('Revenue by region:', REVENUE_TABLE, '| APAC | 4'))).toBe('Revenue by region:\n');
  });

  it('keeps holding a table while the line after it could still gain a pipe and become a row', () => {
    expect(soFar(lines('Intro', REVENUE_TABLE, 'EMEA leads'))).toBe('Intro\n');
  });

  it('writes the table out once a whole line after it has arrived', () => {
    expect(soFar(lines('Intro', REVENUE_TABLE, '', 'E'))).toBe(lines('Intro', REVENUE_CODE, '', 'E'));
    expect(soFar(lines('Intro', REVENUE_TABLE, 'EMEA leads.', ''))).toBe(lines('Intro', REVENUE_CODE, 'EMEA leads.', ''));
  });

  it('holds back a trailing line that starts with a pipe: it may be a table header', () => {
    expect(soFar(lines('Revenue by region:', '| Region | Rev'))).toBe('Revenue by region:\n');
    expect(soFar(lines('Revenue by region:', '  |'))).toBe('Revenue by region:\n');
  });

  it('holds back a pipe line while the separator row after it may still be arriving', () => {
    expect(soFar(lines('Intro', '| Region | Revenue |', ''))).toBe('Intro\n');
    expect(soFar(lines('Intro', '| Region | Revenue |', '|:--'))).toBe('Intro\n');
    // One cell short of the header is not a table yet, but the second cell may be on its way.
    expect(soFar(lines('Intro', '| Region | Revenue |', '|---|'))).toBe('Intro\n');
  });

  it('returns nothing while the answer so far is only a table being written', () => {
    expect(soFar('| Region |')).toBe('');
    expect(soFar(REVENUE_TABLE)).toBe('');
  });

  it('shows a pipe line as prose once the line after it proves it is no table', () => {
    const markdown = lines('| not | a table', 'Just prose.', '');
    expect(soFar(markdown)).toBe(markdown);
  });

  it('does not hold back prose with a pipe in mid-line', () => {
    expect(soFar(lines('Intro', 'Use a | b'))).toBe(lines('Intro', 'Use a | b'));
  });

  it('does not hold back pipe lines inside a code block still being written', () => {
    expect(soFar(lines('```text', '| a | b |'))).toBe(lines('```text', '| a | b |'));
  });

  describe('with complete: true', () => {
    it('writes out a table that ends the answer', () => {
      expect(atTheEnd(lines('Revenue by region:', REVENUE_TABLE))).toBe(lines('Revenue by region:', REVENUE_CODE));
    });

    it('writes out a table that ended mid-row, as it stands', () => {
      expect(atTheEnd(lines('| Region | Revenue |', '|---|---|', '| EMEA'))).toBe(lines(FENCE, 'Region | Revenue', '-------+--------', 'EMEA   |', FENCE));
    });

    it('writes out a trailing pipe line that never became a table', () => {
      expect(atTheEnd(lines('Intro', '| just a pipe'))).toBe(lines('Intro', '| just a pipe'));
      expect(atTheEnd(lines('Intro', '| Region | Revenue |', ''))).toBe(lines('Intro', '| Region | Revenue |', ''));
    });
  });
});

// ---- prepareStreamMarkdown: properties over generated streams -------------------

describe('prepareStreamMarkdown over generated answers, streamed one character at a time', () => {
  it('only ever appends: each prefix’s result begins with the result for the prefix before it', () => {
    for (const answer of GENERATED_ANSWERS) {
      expect(firstRetraction(answer), JSON.stringify(answer)).toBeUndefined();
    }
  });

  it('streams nothing that the complete answer does not begin with', () => {
    for (const answer of GENERATED_ANSWERS) {
      const whole = atTheEnd(answer);
      for (const prefix of prefixesOf(answer)) {
        expect(whole.startsWith(soFar(prefix)), JSON.stringify(prefix)).toBe(true);
      }
    }
  });

  it('with complete: true holds nothing back: the result is what a closing paragraph would have released', () => {
    const closing = '\n\nThat is all.';
    for (const answer of GENERATED_ANSWERS) {
      expect(atTheEnd(answer) + closing, JSON.stringify(answer)).toBe(soFar(answer + closing));
    }
  });

  it('leaves no table syntax outside code: every complete table became a code block', () => {
    for (const answer of GENERATED_ANSWERS) {
      const outsideCode = atTheEnd(answer)
        .split('\n')
        .filter((_line, index, all) => findOpenFence(all.slice(0, index).join('\n')) === undefined && !/^\s*(```|~~~)/.test(all[index] as string));
      expect(outsideCode.filter((line) => /^\|[\s:|-]*-[\s:|-]*\|$/.test(line.replace(/ /g, ''))), JSON.stringify(answer)).toEqual([]);
    }
  });

  // Known gap: a last line of indentation alone is streamed, then taken back once it turns
  // into an indented pipe line (a table in a list item). Remove `.fails` when
  // mayBecomeTableHeader also holds back a whitespace-only last line.
  it('only ever appends when a table is indented, as in a list item', () => {
    const answer = lines('- Revenue by region:', '  | Region | Revenue |', '  |---|---|', '  | EMEA | 1,200 |', '', 'EMEA leads.');
    expect(firstRetraction(answer)).toBeUndefined();
  });
});

// ---- findOpenFence -------------------------------------------------------------

describe('findOpenFence', () => {
  it('finds no open fence in text without code blocks, or with every block closed', () => {
    expect(findOpenFence('plain text')).toBeUndefined();
    expect(findOpenFence(lines('```sql', 'SELECT 1;', '```', 'after'))).toBeUndefined();
    expect(findOpenFence(lines('~~~', 'x', '~~~'))).toBeUndefined();
  });

  it('returns the marker of a code block left open, without its info string', () => {
    expect(findOpenFence(lines('Query:', '```sql', 'SELECT 1;'))).toBe('```');
    expect(findOpenFence(lines('~~~~text', 'x'))).toBe('~~~~');
    expect(findOpenFence('```')).toBe('```');
  });

  it('is closed only by a fence of the same character at least as long, with nothing after it', () => {
    expect(findOpenFence(lines('````', 'x', '```'))).toBe('````');
    expect(findOpenFence(lines('```', 'x', '~~~'))).toBe('```');
    expect(findOpenFence(lines('```', 'x', '```sql'))).toBe('```');
    expect(findOpenFence(lines('```', 'x', '`````'))).toBeUndefined();
    expect(findOpenFence(lines('```', 'x', '  ```  '))).toBeUndefined();
  });

  it('does not take inline code with three backticks for a fence', () => {
    expect(findOpenFence('```a`` is inline')).toBeUndefined();
  });

  it('treats fences inside an open block as its content', () => {
    expect(findOpenFence(lines('````markdown', '```js', 'x', '```'))).toBe('````');
  });
});

// ---- findStreamBreak and hardStreamCut ------------------------------------------------

describe('findStreamBreak', () => {
  it('ends at the last paragraph break within room, dropping the break itself', () => {
    const text = 'First para.\n\nSecond para.\n\nThird para that runs on';
    const cut = findStreamBreak(text, 30, 1);
    expect(cut).toEqual({ end: 25, resume: 27 });
    expect(text.slice(0, cut?.end)).toBe('First para.\n\nSecond para.');
    expect(text.slice(cut?.resume)).toBe('Third para that runs on');
  });

  it('prefers a line break near the limit to a paragraph break before minEnd', () => {
    const text = 'Intro.\n\n- one item\n- two items\n- three items';
    const cut = findStreamBreak(text, 36, 20);
    expect(text.slice(0, cut?.end)).toBe('Intro.\n\n- one item\n- two items');
    expect(text.slice(cut?.resume)).toBe('- three items');
  });

  it('falls back to a word boundary when no line break lies between minEnd and room', () => {
    const text = 'Intro.\nDeploys rose in week three while incidents held';
    const cut = findStreamBreak(text, 30, 10);
    expect(text.slice(0, cut?.end)).toBe('Intro.\nDeploys rose in week');
    expect(text.slice(cut?.resume)).toBe('three while incidents held');
  });

  it('with LINE_BREAKS never ends at a word boundary', () => {
    const text = 'Intro.\nDeploys rose in week three while incidents held';
    expect(findStreamBreak(text, 30, 10, LINE_BREAKS)).toBeUndefined();
    expect(findStreamBreak(text, 30, 1, LINE_BREAKS)).toEqual({ end: 6, resume: 7 });
  });

  it('finds nothing in text with no break at all', () => {
    expect(findStreamBreak('x'.repeat(50), 20, 1)).toBeUndefined();
  });

  it('never ends a message before it has any text, whatever minEnd says', () => {
    expect(findStreamBreak('\n\nrest-of-the-text', 10, 0, ['\n\n'])).toBeUndefined();
    expect(findStreamBreak(' word', 3, 0)).toBeUndefined();
  });

  it('tries paragraph, then line, then word breaks by default', () => {
    expect(STREAM_BREAKS).toEqual(['\n\n', '\n', ' ']);
    expect(LINE_BREAKS).toEqual(['\n\n', '\n']);
  });

  it('leaves at most room characters and never splits a surrogate pair, for every room', () => {
    const text = '📈 Deploys 📈📈 rose\n📈 in week 3.\n\n📈📈📈 Incidents 📈 held 📈';
    for (let room = 1; room <= text.length; room += 1) {
      const cut = findStreamBreak(text, room, 1);
      if (!cut) continue;
      expect(cut.end).toBeLessThanOrEqual(room);
      expect(cut.end).toBeGreaterThanOrEqual(1);
      expect(isHighSurrogate(text.charCodeAt(cut.end - 1))).toBe(false);
      expect(isLowSurrogate(text.charCodeAt(cut.resume))).toBe(false);
    }
  });
});

describe('hardStreamCut', () => {
  it('cuts text with no break exactly at room', () => {
    expect(hardStreamCut('x'.repeat(50), 20)).toEqual({ end: 20, resume: 20 });
  });

  it('cuts one code unit early rather than split a surrogate pair', () => {
    const text = `${'x'.repeat(19)}${'😀'.repeat(5)}`;
    expect(hardStreamCut(text, 20)).toEqual({ end: 19, resume: 19 });
    expect(hardStreamCut(text, 21)).toEqual({ end: 21, resume: 21 });
  });

  it('never splits a surrogate pair, for every room above one', () => {
    const text = 'ab😀c😀😀d😀';
    for (let room = 2; room <= text.length; room += 1) {
      const { end, resume } = hardStreamCut(text, room);
      expect(end).toBe(resume);
      expect(end).toBeGreaterThan(0);
      expect(end).toBeLessThanOrEqual(room);
      expect(isLowSurrogate(text.charCodeAt(end))).toBe(false);
    }
  });
});

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
