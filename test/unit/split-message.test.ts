import { describe, expect, it } from 'vitest';
import { convertMarkdownToMrkdwn } from '../../src/slack/reply/markdown-to-mrkdwn.ts';
import { MIN_SPLIT_LIMIT, SLACK_MESSAGE_CHAR_LIMIT, splitMessage } from '../../src/slack/reply/split-message.ts';

const FENCE = '```';

// ---- small factories -------------------------------------------------------

/** A sentence of `words` distinct words, ending with a full stop. */
function sentence(words: number, seed = 0): string {
  const body = Array.from({ length: words }, (_unused, i) => `w${seed}x${i}`).join(' ');
  return `${body}.`;
}

function paragraph(sentences: number, wordsEach = 6, seed = 0): string {
  return Array.from({ length: sentences }, (_unused, i) => sentence(wordsEach, seed * 100 + i)).join(' ');
}

function codeBlock(lines: number, width = 10, seed = 0): string {
  const body = Array.from({ length: lines }, (_unused, i) => `c${seed}_${i}`.padEnd(width, '.'));
  return [FENCE, ...body, FENCE].join('\n');
}

function withoutWhitespaceAndFences(text: string): string {
  return text.replace(/```/g, '').replace(/\s+/g, '');
}

function fenceCount(text: string): number {
  return text.split(FENCE).length - 1;
}

/** The invariants every split must keep, whatever the input. */
function expectValidSplit(text: string, chunks: string[], limit: number): void {
  for (const chunk of chunks) {
    expect(chunk.length).toBeLessThanOrEqual(limit);
    expect(chunk.trim()).not.toBe('');
    expect(fenceCount(chunk) % 2).toBe(0);
    expect(isLowSurrogate(chunk.charCodeAt(0))).toBe(false);
    expect(isHighSurrogate(chunk.charCodeAt(chunk.length - 1))).toBe(false);
  }
  expect(withoutWhitespaceAndFences(chunks.join('\n'))).toBe(withoutWhitespaceAndFences(text));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

// ---- examples ----------------------------------------------------------------

describe('splitMessage', () => {
  it('uses a limit safely below the 4,000 characters chat.update accepts', () => {
    expect(SLACK_MESSAGE_CHAR_LIMIT).toBeLessThan(4_000);
  });

  it('returns a short message as a single chunk', () => {
    expect(splitMessage('hello *world*')).toEqual(['hello *world*']);
  });

  it('returns no chunks for empty or blank text', () => {
    expect(splitMessage('')).toEqual([]);
    expect(splitMessage(' \n\n \t')).toEqual([]);
  });

  it('trims blank lines and trailing whitespace around the text', () => {
    expect(splitMessage('\n\n  indented first line\n\n')).toEqual(['  indented first line']);
  });

  it('rejects a limit too small to hold a repaired code fence', () => {
    expect(() => splitMessage('text', MIN_SPLIT_LIMIT - 1)).toThrow(RangeError);
    expect(() => splitMessage('text', 20.5)).toThrow(RangeError);
  });

  it('splits at paragraph boundaries first', () => {
    const first = paragraph(2, 6, 1);
    const second = paragraph(2, 6, 2);
    const limit = Math.max(first.length, second.length) + 10;
    expect(splitMessage(`${first}\n\n${second}`, limit)).toEqual([first, second]);
  });

  it('packs several small paragraphs into one chunk', () => {
    const paragraphs = ['alpha one.', 'beta two.', 'gamma three.', 'delta four.'];
    expect(splitMessage(paragraphs.join('\n\n'), 30)).toEqual(['alpha one.\n\nbeta two.', 'gamma three.\n\ndelta four.']);
  });

  it('prefers a line break over a paragraph break that would leave the chunk under half full', () => {
    const text = `short.\n\n${'line of text here\n'.repeat(6)}tail`;
    const [first] = splitMessage(text, 60);
    expect(first?.startsWith('short.\n\nline of text here')).toBe(true);
  });

  it('splits a long paragraph at line breaks before sentences', () => {
    const lines = ['• first bullet item here', '• second bullet item here', '• third bullet item here'];
    expect(splitMessage(lines.join('\n'), 55)).toEqual([lines.slice(0, 2).join('\n'), lines[2]]);
  });

  it('splits a long line at sentence ends before spaces', () => {
    const text = `${sentence(5, 1)} ${sentence(5, 2)} ${sentence(5, 3)}`;
    const chunks = splitMessage(text, sentence(5, 1).length * 2 + 5);
    expect(chunks).toEqual([`${sentence(5, 1)} ${sentence(5, 2)}`, sentence(5, 3)]);
  });

  it('splits a long sentence at spaces', () => {
    const chunks = splitMessage('aaaa bbbb cccc dddd eeee ffff', 20);
    expect(chunks).toEqual(['aaaa bbbb cccc dddd', 'eeee ffff']);
  });

  it('hard-cuts a word longer than the limit', () => {
    expect(splitMessage('x'.repeat(50), 20)).toEqual(['x'.repeat(20), 'x'.repeat(20), 'x'.repeat(10)]);
  });

  it('never splits a surrogate pair when hard-cutting', () => {
    const chunks = splitMessage(`${'x'.repeat(19)}${'😀'.repeat(10)}`, 20);
    expectValidSplit(`${'x'.repeat(19)}${'😀'.repeat(10)}`, chunks, 20);
    expect(chunks[0]).toBe('x'.repeat(19));
  });

  it('never splits a Slack link, even one whose label has spaces', () => {
    const link = '<https://example.com/report|the monthly report>';
    const text = `see ${link} for details`;
    const chunks = splitMessage(text, 50);
    expect(chunks).toEqual(['see', link, 'for details']);
  });

  it('never splits user mentions, channel links or special mentions', () => {
    const tokens = ['<@U123ABC>', '<#C42|general>', '<!here>', '<!date^1392734382^{date}|Feb 18>'];
    const text = Array.from({ length: 12 }, (_unused, i) => tokens[i % tokens.length]).join(' ');
    const chunks = splitMessage(text, 40);
    expectValidSplit(text, chunks, 40);
    for (const chunk of chunks) {
      expect(chunk.replace(/<[^<>]*>/g, '')).not.toMatch(/[<>]/);
    }
  });

  it('cuts a token only when the token alone exceeds the limit', () => {
    const token = `<https://example.com/${'p'.repeat(40)}>`;
    const chunks = splitMessage(`${token} after`, 20);
    expectValidSplit(`${token} after`, chunks, 20);
  });

  it('keeps a code block that fits in one chunk whole', () => {
    const code = codeBlock(4);
    const text = `${paragraph(1)}\n${code}\n${paragraph(1, 6, 1)}`;
    const chunks = splitMessage(text, code.length + 5);
    expect(chunks).toContain(code);
    expectValidSplit(text, chunks, code.length + 5);
  });

  it('does not split at blank lines inside a code block that fits', () => {
    const code = [FENCE, 'first', '', 'second', FENCE].join('\n');
    const chunks = splitMessage(`intro text\n\n${code}`, code.length + 2);
    expect(chunks).toEqual(['intro text', code]);
  });

  it('closes and reopens the fence when a code block alone exceeds the limit', () => {
    const code = codeBlock(12, 10);
    const chunks = splitMessage(code, 50);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.startsWith(`${FENCE}\n`)).toBe(true);
      expect(chunk.endsWith(`\n${FENCE}`)).toBe(true);
    }
    expectValidSplit(code, chunks, 50);
  });

  it('resumes prose after a split code block', () => {
    const text = `intro line\n${codeBlock(12, 10)}\nclosing words`;
    const chunks = splitMessage(text, 50);
    expectValidSplit(text, chunks, 50);
    expect(chunks.at(-1)?.endsWith('closing words')).toBe(true);
  });

  it('splits a single code line longer than the limit and still balances fences', () => {
    const code = `${FENCE}\n${'y'.repeat(120)}\n${FENCE}`;
    const chunks = splitMessage(code, 40);
    expectValidSplit(code, chunks, 40);
  });

  it('keeps a code block that is never closed open only in the last chunk', () => {
    const text = `${FENCE}\n${Array.from({ length: 10 }, (_unused, i) => `line ${i}`).join('\n')}`;
    const chunks = splitMessage(text, 30);
    expect(chunks.slice(0, -1).every((chunk) => fenceCount(chunk) === 2)).toBe(true);
    expect(fenceCount(chunks.at(-1) ?? '')).toBe(1);
  });

  it('splits a long converted answer into valid chunks under the default limit', () => {
    const markdown = Array.from({ length: 40 }, (_unused, i) =>
      [
        `## Section ${i}`,
        paragraph(4, 12, i),
        `- **point** with [link](https://example.com/${i}?a=1&b=2)`,
        '```ts',
        `const value${i} = compute(${i}) < limit && ok;`,
        '```',
        `| k | v |\n|---|---:|\n| a${i} | ${i} |`,
      ].join('\n\n'),
    ).join('\n\n');
    const mrkdwn = convertMarkdownToMrkdwn(markdown);
    const chunks = splitMessage(mrkdwn);
    expect(chunks.length).toBeGreaterThan(1);
    expectValidSplit(mrkdwn, chunks, SLACK_MESSAGE_CHAR_LIMIT);
    expect(chunks.every((chunk) => chunk.length >= SLACK_MESSAGE_CHAR_LIMIT / 2 || chunk === chunks.at(-1))).toBe(true);
  });
});

// ---- properties over generated inputs ----------------------------------------

/** mulberry32: a tiny seeded PRNG so every run checks the same inputs. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const TOKENS = ['<@U12345>', '<#C999|data-team>', '<!channel>', '<https://ex.com/a?b=1&amp;c=2|a b c>', '<mailto:a@b.co>'];
const EMOJI = ['😀', '👍🏽', '🇳🇱', '𝔘'];

function generateMessage(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const word = (): string => 'abcdefghij'.slice(0, 1 + Math.floor(random() * 10));
  const pieces: string[] = [];
  const count = 1 + Math.floor(random() * 60);
  for (let i = 0; i < count; i += 1) {
    const roll = random();
    if (roll < 0.35) pieces.push(word(), ' ');
    else if (roll < 0.45) pieces.push(word(), pick(['. ', '! ', '? ']));
    else if (roll < 0.55) pieces.push('\n');
    else if (roll < 0.62) pieces.push('\n\n');
    else if (roll < 0.68) pieces.push(pick(TOKENS), ' ');
    else if (roll < 0.74) pieces.push(pick(EMOJI));
    else if (roll < 0.78) pieces.push('z'.repeat(20 + Math.floor(random() * 200)));
    else if (roll < 0.82) pieces.push('• ', word(), ' ', word(), '\n');
    else if (roll < 0.9) pieces.push('\n', codeBlock(1 + Math.floor(random() * 4), 4 + Math.floor(random() * 20), i), '\n');
    else if (roll < 0.95) pieces.push('\n', codeBlock(5 + Math.floor(random() * 30), 4 + Math.floor(random() * 60), i), '\n');
    else pieces.push(`\`inline ${word()}\` `);
  }
  return pieces.join('');
}

function codeBlocksOf(text: string): string[] {
  return text.match(/```[\s\S]*?```/g) ?? [];
}

describe('splitMessage properties', () => {
  const cases = Array.from({ length: 400 }, (_unused, seed) => {
    const random = createRandom(seed + 1);
    return { seed, text: generateMessage(random), limit: 60 + Math.floor(random() * 400) };
  });

  it('keeps every chunk within the limit, non-empty, fence-balanced and content-complete', () => {
    for (const { text, limit } of cases) {
      expectValidSplit(text, splitMessage(text, limit), limit);
    }
  });

  it('keeps every Slack token whole', () => {
    for (const { text, limit } of cases) {
      const joined = splitMessage(text, limit).join('\u0000');
      for (const token of text.match(/<[^<>\n]+>/g) ?? []) {
        expect(joined).toContain(token);
      }
    }
  });

  it('keeps every code block that fits within the limit whole', () => {
    for (const { text, limit } of cases) {
      const chunks = splitMessage(text, limit);
      for (const block of codeBlocksOf(text).filter((candidate) => candidate.length <= limit)) {
        expect(chunks.some((chunk) => chunk.includes(block))).toBe(true);
      }
    }
  });

  it('returns the text unchanged when it fits', () => {
    for (const { text } of cases) {
      const trimmed = text.replace(/^(?:[ \t]*\n)+/, '').trimEnd();
      if (trimmed.length > 0 && trimmed.length <= 1_000) expect(splitMessage(text, 1_000)).toEqual([trimmed]);
    }
  });
});
