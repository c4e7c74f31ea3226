/** The last turn of a shortcut question: who asked what about which message (pure). */
import type { ContextMessage } from './ports.ts';

/** How much of the chosen message is quoted in the question, so the model knows which one it is. */
const TARGET_QUOTE_CHARS = 300;
export const DEFAULT_SHORTCUT_INSTRUCTION = 'Explain this message, or answer it if it asks something.';

export function buildShortcutTurn(options: {
  context: readonly ContextMessage[];
  targetTs: string;
  askerId: string;
  askerName: string;
  instruction: string | null | undefined;
  ts: string;
}): ContextMessage {
  const target = options.context.find((message) => message.ts === options.targetTs);
  const quoted = target
    ? `${target.authorName}'s message: "${target.text.length > TARGET_QUOTE_CHARS ? `${target.text.slice(0, TARGET_QUOTE_CHARS)}…` : target.text}"`
    : 'a message in this conversation';
  const instruction = options.instruction?.trim() || DEFAULT_SHORTCUT_INSTRUCTION;
  return {
    ts: options.ts,
    authorId: options.askerId,
    authorName: options.askerName,
    fromPulse: false,
    text: `(Asking about ${quoted}) ${instruction}`,
    files: [],
  };
}
