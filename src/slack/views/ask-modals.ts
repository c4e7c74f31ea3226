/** The modals behind the two message shortcuts (pure Block Kit builders). */
import { ACTION_ID, BLOCK_ID, VIEW_ID } from '../ids.ts';

/** Modal titles are plain text of at most 24 characters. */
const MODAL_TITLE_LIMIT = 24;
/** How much of the message is quoted back in the modal, so the asker sees what they picked. */
const PREVIEW_CHARS = 280;
/** A typed instruction is a question, not a document; the model gets the message itself as context. */
export const INSTRUCTION_MAX_CHARS = 2_000;

export type AskMode = 'thread' | 'dm';

/** What the submission needs to find the message again (kept in private_metadata, ≤ 3,000 chars). */
export interface AskTarget {
  mode: AskMode;
  channelId: string;
  messageTs: string;
  threadTs: string;
}

export function encodeAskTarget(target: AskTarget): string {
  return JSON.stringify({ m: target.mode, c: target.channelId, ts: target.messageTs, t: target.threadTs });
}

export function decodeAskTarget(metadata: string | undefined): AskTarget | undefined {
  try {
    const raw = JSON.parse(metadata ?? '') as { m?: unknown; c?: unknown; ts?: unknown; t?: unknown };
    if ((raw.m !== 'thread' && raw.m !== 'dm') || typeof raw.c !== 'string' || typeof raw.ts !== 'string' || typeof raw.t !== 'string') {
      return undefined;
    }
    return { mode: raw.m, channelId: raw.c, messageTs: raw.ts, threadTs: raw.t };
  } catch {
    return undefined;
  }
}

function plain(text: string) {
  return { type: 'plain_text' as const, text, emoji: true };
}

/** Quotes a message for a mrkdwn context block: first lines only, Slack markup kept. */
export function quotePreview(text: string): string {
  const trimmed = text.trim() === '' ? '(no text — files or attachments only)' : text.trim();
  // Cut before a lone high surrogate, so an emoji straddling the limit is dropped rather than halved.
  const cut = trimmed.slice(0, PREVIEW_CHARS - 1).replace(/[\uD800-\uDBFF]$/, '');
  const short = trimmed.length > PREVIEW_CHARS ? `${cut}…` : trimmed;
  return short
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

export function buildAskInstructionModal(target: AskTarget, message: { authorId?: string; text: string }) {
  const title = target.mode === 'dm' ? 'Ask Pulse in DM' : 'Ask Pulse';
  return {
    type: 'modal' as const,
    callback_id: VIEW_ID.askInstruction,
    private_metadata: encodeAskTarget(target),
    title: plain(title.slice(0, MODAL_TITLE_LIMIT)),
    submit: plain('Ask'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `${message.authorId ? `<@${message.authorId}> wrote:` : 'The message:'}\n${quotePreview(message.text)}`,
          },
        ],
      },
      {
        type: 'input',
        block_id: BLOCK_ID.instruction,
        optional: true,
        label: plain('What should Pulse do with it?'),
        hint: plain(
          target.mode === 'dm'
            ? 'Leave empty to get an explanation. The answer comes to your DM with Pulse; nothing is posted in the channel.'
            : "Leave empty to get an explanation. The answer is posted in the message's thread, for everyone.",
        ),
        element: {
          type: 'plain_text_input',
          action_id: ACTION_ID.instructionInput,
          multiline: true,
          max_length: INSTRUCTION_MAX_CHARS,
          placeholder: plain('e.g. Summarise this thread, or: what should I reply?'),
        },
      },
    ],
  };
}

/** Shown instead of the instruction modal when Pulse cannot read the conversation. */
export function buildAskUnavailableModal(reason: 'not_in_channel' | 'private_conversation') {
  const text =
    reason === 'not_in_channel'
      ? "I'm not a member of this channel, so I can't read the message or its thread. Invite me with `/invite @Pulse`, then try the shortcut again."
      : "I can't read this conversation: Slack only lets me see channels I'm a member of and my own DMs. Forward the message to me in a DM, or ask in a channel I'm in.";
  return {
    type: 'modal' as const,
    callback_id: VIEW_ID.askUnavailable,
    title: plain('Ask Pulse'),
    close: plain('OK'),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}
