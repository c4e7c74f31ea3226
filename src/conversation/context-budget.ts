/**
 * Fits the context into the model's token budget: oldest messages go first,
 * the question (the last message) always stays, shortened if it alone is
 * too long.
 */
import type { ContextMessage } from './ports.ts';

/** Rough tokens per character for English text with the GPT tokenizers (≈ 4 chars a token). */
const CHARS_PER_TOKEN = 4;
/** Per-message overhead of the chat format (role, name, separators). */
const MESSAGE_OVERHEAD_TOKENS = 4;
/** What one attached image costs at "low" detail plus a margin for "auto". */
export const IMAGE_TOKEN_COST = 800;
/** Appended where the question was cut to fit. */
export const TRUNCATION_MARK = ' … [message truncated to fit the context budget]';

export function estimateTokens(message: ContextMessage): number {
  const text = `${message.authorName}: ${message.text}`;
  const files = message.files.map((file) => file.name).join(', ');
  return (
    Math.ceil((text.length + files.length) / CHARS_PER_TOKEN) +
    MESSAGE_OVERHEAD_TOKENS +
    (message.images?.length ?? 0) * IMAGE_TOKEN_COST
  );
}

export interface TrimmedContext {
  messages: ContextMessage[];
  droppedMessages: number;
  questionTruncated: boolean;
}

export function trimContextToBudget(context: readonly ContextMessage[], budgetTokens: number): TrimmedContext {
  const question = context.at(-1);
  if (!question) return { messages: [], droppedMessages: 0, questionTruncated: false };
  let questionMessage = question;
  let questionTruncated = false;
  let remaining = budgetTokens - estimateTokens(question);
  if (remaining < 0) {
    // Drop the question's images first, then shorten its text; the question itself always stays.
    const withoutImages: ContextMessage = { ...question, images: [] };
    const textBudgetChars = Math.max(
      0,
      (budgetTokens - estimateTokens({ ...withoutImages, text: '' })) * CHARS_PER_TOKEN - TRUNCATION_MARK.length,
    );
    questionMessage =
      withoutImages.text.length > textBudgetChars
        ? { ...withoutImages, text: withoutImages.text.slice(0, textBudgetChars) + TRUNCATION_MARK }
        : withoutImages;
    questionTruncated = true;
    remaining = 0;
  }
  const kept: ContextMessage[] = [];
  for (let index = context.length - 2; index >= 0; index -= 1) {
    const message = context[index] as ContextMessage;
    const cost = estimateTokens(message);
    if (cost > remaining) break;
    remaining -= cost;
    kept.unshift(message);
  }
  return {
    messages: [...kept, questionMessage],
    droppedMessages: context.length - 1 - kept.length,
    questionTruncated,
  };
}
