import { describe, expect, it } from 'vitest';
import { ACTION_ID, BLOCK_ID, VIEW_ID } from '../../src/slack/ids.ts';
import {
  buildAskInstructionModal,
  buildAskUnavailableModal,
  decodeAskTarget,
  encodeAskTarget,
  INSTRUCTION_MAX_CHARS,
  quotePreview,
  type AskTarget,
} from '../../src/slack/views/ask-modals.ts';

/** Modal titles are plain text of at most 24 characters. */
const MODAL_TITLE_LIMIT = 24;
/** A view's private_metadata is at most 3,000 characters. */
const PRIVATE_METADATA_LIMIT = 3_000;
/** A context element's text is at most 3,000 characters. */
const TEXT_OBJECT_LIMIT = 3_000;
/** plain_text_input max_length cannot exceed 3,000. */
const INPUT_MAX_LENGTH_LIMIT = 3_000;
/** How much of the message the preview keeps (mirrors the module's PREVIEW_CHARS). */
const PREVIEW_CHARS = 280;

function aTarget(overrides: Partial<AskTarget> = {}): AskTarget {
  return { mode: 'thread', channelId: 'C0123456789', messageTs: '1700000000.000200', threadTs: '1700000000.000100', ...overrides };
}

interface InstructionModal {
  blocks: [
    { type: 'context'; elements: { type: string; text: string }[] },
    { type: 'input'; block_id: string; optional: boolean; hint: { text: string }; element: { type: string; action_id: string; multiline: boolean; max_length: number } },
  ];
}

const blocksOf = (modal: ReturnType<typeof buildAskInstructionModal>) => (modal as unknown as InstructionModal).blocks;

describe('encodeAskTarget / decodeAskTarget', () => {
  it('round-trips a thread target and a DM target', () => {
    for (const target of [aTarget(), aTarget({ mode: 'dm', channelId: 'G0PRIVATE01', messageTs: '1700000001.000001', threadTs: '1700000001.000001' })]) {
      expect(decodeAskTarget(encodeAskTarget(target))).toEqual(target);
    }
  });

  it('keeps the metadata far below Slack’s 3,000-character private_metadata cap', () => {
    const encoded = encodeAskTarget(aTarget({ channelId: 'C'.padEnd(20, '0'), messageTs: '9999999999.999999', threadTs: '9999999999.999999' }));
    expect(encoded.length).toBeLessThanOrEqual(PRIVATE_METADATA_LIMIT);
    expect(encoded.length).toBeLessThan(200);
  });

  it.each([
    ['nothing', undefined],
    ['an empty string', ''],
    ['text that is not JSON', 'not json'],
    ['truncated JSON', '{"m":"thread","c":"C1"'],
    ['JSON null', 'null'],
    ['a JSON array', '["thread","C1","1.1","1.1"]'],
    ['a JSON string', '"thread"'],
    ['a JSON number', '42'],
    ['an unknown mode', JSON.stringify({ m: 'channel', c: 'C1', ts: '1.1', t: '1.1' })],
    ['no mode', JSON.stringify({ c: 'C1', ts: '1.1', t: '1.1' })],
    ['no channel', JSON.stringify({ m: 'thread', ts: '1.1', t: '1.1' })],
    ['no message ts', JSON.stringify({ m: 'thread', c: 'C1', t: '1.1' })],
    ['no thread ts', JSON.stringify({ m: 'dm', c: 'C1', ts: '1.1' })],
    ['a number for a ts', JSON.stringify({ m: 'thread', c: 'C1', ts: 1.1, t: '1.1' })],
    ['a null channel', JSON.stringify({ m: 'thread', c: null, ts: '1.1', t: '1.1' })],
  ])('rejects %s', (_what, metadata) => {
    expect(decodeAskTarget(metadata)).toBeUndefined();
  });

  it('ignores extra fields', () => {
    expect(decodeAskTarget(JSON.stringify({ m: 'dm', c: 'D1', ts: '1.2', t: '1.1', extra: true }))).toEqual({
      mode: 'dm',
      channelId: 'D1',
      messageTs: '1.2',
      threadTs: '1.1',
    });
  });
});

describe('quotePreview', () => {
  it('quotes every line of the message', () => {
    expect(quotePreview('first line\nsecond line\n\nfourth')).toBe('> first line\n> second line\n> \n> fourth');
  });

  it('keeps a message of exactly the preview length whole', () => {
    const text = 'x'.repeat(PREVIEW_CHARS);
    expect(quotePreview(text)).toBe(`> ${text}`);
  });

  it('truncates a long message with an ellipsis, at the preview length', () => {
    const preview = quotePreview('word '.repeat(200));
    expect(preview.endsWith('…')).toBe(true);
    expect(preview.startsWith('> word word')).toBe(true);
    expect(preview.length).toBe(2 + PREVIEW_CHARS);
  });

  it('quotes every line of a truncated multi-line message', () => {
    const preview = quotePreview(Array.from({ length: 200 }, (_, index) => `line ${index}`).join('\n'));
    expect(preview.endsWith('…')).toBe(true);
    for (const line of preview.split('\n')) expect(line.startsWith('> ')).toBe(true);
  });

  it('trims surrounding blank lines and space before quoting', () => {
    expect(quotePreview('\n\n  hello  \n\n')).toBe('> hello');
  });

  it('says the message has no text when it is only files or attachments', () => {
    expect(quotePreview('')).toBe('> (no text — files or attachments only)');
    expect(quotePreview(' \n\t ')).toBe('> (no text — files or attachments only)');
  });

  // Bug: the cut is by UTF-16 code unit, so an emoji straddling it leaves a lone surrogate (shown as �).
  // Flip to `it` once quotePreview cuts on a code point boundary.
  it('never cuts an emoji in half at the truncation point', () => {
    const preview = quotePreview(`${'a'.repeat(PREVIEW_CHARS - 2)}😀 and more after the cut`);
    expect(preview.endsWith('…')).toBe(true);
    expect(preview).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('keeps Slack markup within the kept text', () => {
    expect(quotePreview('ask <@U0ALICE> about <#C0GENERAL|general>')).toBe('> ask <@U0ALICE> about <#C0GENERAL|general>');
  });

  it('stays far within a context element’s limit even for a message of blank-separated one-character lines', () => {
    expect(quotePreview('a\n'.repeat(5_000)).length).toBeLessThanOrEqual(TEXT_OBJECT_LIMIT);
  });
});

describe('buildAskInstructionModal', () => {
  it('carries the target in private_metadata, decodable back to the same target', () => {
    for (const target of [aTarget(), aTarget({ mode: 'dm' })]) {
      const modal = buildAskInstructionModal(target, { authorId: 'U0ALICE', text: 'hello' });
      expect(modal.callback_id).toBe(VIEW_ID.askInstruction);
      expect(modal.private_metadata.length).toBeLessThanOrEqual(PRIVATE_METADATA_LIMIT);
      expect(decodeAskTarget(modal.private_metadata)).toEqual(target);
    }
  });

  it('keeps its title within 24 characters in both modes', () => {
    expect(buildAskInstructionModal(aTarget({ mode: 'thread' }), { text: 'x' }).title.text).toBe('Ask Pulse');
    expect(buildAskInstructionModal(aTarget({ mode: 'dm' }), { text: 'x' }).title.text).toBe('Ask Pulse in DM');
    for (const mode of ['thread', 'dm'] as const) {
      const modal = buildAskInstructionModal(aTarget({ mode }), { text: 'x' });
      expect(modal.title.text.length).toBeLessThanOrEqual(MODAL_TITLE_LIMIT);
      expect(modal.submit.text.length).toBeLessThanOrEqual(MODAL_TITLE_LIMIT);
      expect(modal.close.text.length).toBeLessThanOrEqual(MODAL_TITLE_LIMIT);
    }
  });

  it('quotes the message with its author, or as "The message:" when the author is unknown', () => {
    const [withAuthor] = blocksOf(buildAskInstructionModal(aTarget(), { authorId: 'U0ALICE', text: 'Q3 numbers?' }));
    expect(withAuthor.elements[0]?.text).toBe('<@U0ALICE> wrote:\n> Q3 numbers?');
    const [withoutAuthor] = blocksOf(buildAskInstructionModal(aTarget(), { text: 'Q3 numbers?' }));
    expect(withoutAuthor.elements[0]?.text).toBe('The message:\n> Q3 numbers?');
  });

  it('keeps the quoted preview within a context element for a very long message', () => {
    const [context] = blocksOf(buildAskInstructionModal(aTarget(), { authorId: 'U0ALICE', text: 'long '.repeat(10_000) }));
    expect(context.elements[0]?.text.length).toBeLessThanOrEqual(TEXT_OBJECT_LIMIT);
    expect(context.elements[0]?.text.endsWith('…')).toBe(true);
  });

  it('offers one optional multi-line instruction input under the instruction ids, capped', () => {
    const [, input] = blocksOf(buildAskInstructionModal(aTarget(), { text: 'x' }));
    expect(input.type).toBe('input');
    expect(input.block_id).toBe(BLOCK_ID.instruction);
    expect(input.optional).toBe(true);
    expect(input.element.type).toBe('plain_text_input');
    expect(input.element.action_id).toBe(ACTION_ID.instructionInput);
    expect(input.element.multiline).toBe(true);
    expect(input.element.max_length).toBe(INSTRUCTION_MAX_CHARS);
    expect(input.element.max_length).toBeLessThanOrEqual(INPUT_MAX_LENGTH_LIMIT);
  });

  it('tells the asker where the answer goes: the thread for everyone, or their DM', () => {
    const [, thread] = blocksOf(buildAskInstructionModal(aTarget({ mode: 'thread' }), { text: 'x' }));
    const [, dm] = blocksOf(buildAskInstructionModal(aTarget({ mode: 'dm' }), { text: 'x' }));
    expect(thread.hint.text).toContain("posted in the message's thread, for everyone");
    expect(dm.hint.text).toContain('nothing is posted in the channel');
  });
});

describe('buildAskUnavailableModal', () => {
  it('tells people to /invite @Pulse when it is not in the channel, with no submit button', () => {
    const modal = buildAskUnavailableModal('not_in_channel');
    expect(modal.callback_id).toBe(VIEW_ID.askUnavailable);
    expect(JSON.stringify(modal.blocks)).toContain('/invite @Pulse');
    expect(modal).not.toHaveProperty('submit');
    expect(modal.close.text).toBe('OK');
    expect(modal.title.text.length).toBeLessThanOrEqual(MODAL_TITLE_LIMIT);
  });

  it('suggests forwarding the message to a DM for a private conversation, with no submit button', () => {
    const modal = buildAskUnavailableModal('private_conversation');
    const text = JSON.stringify(modal.blocks);
    expect(text).toContain('Forward the message to me in a DM');
    expect(text).not.toContain('/invite');
    expect(modal).not.toHaveProperty('submit');
    expect(modal.title.text.length).toBeLessThanOrEqual(MODAL_TITLE_LIMIT);
  });
});
