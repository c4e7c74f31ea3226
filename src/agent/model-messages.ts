/** The conversation as chat messages for the model: people's turns with names and images, Pulse's as its own. */
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import type { ContextMessage } from '../conversation/ports.ts';

function describeFiles(message: ContextMessage): string {
  if (message.files.length === 0) return '';
  return `\n[attached: ${message.files.map((file) => `${file.name} (${file.mimetype})`).join(', ')}]`;
}

/** A person's turn: their name and text, plus any images as image parts the model can see. */
function toHumanMessage(message: ContextMessage): HumanMessage {
  const text = `${message.authorName}: ${message.text}${describeFiles(message)}`;
  const images = message.images ?? [];
  if (images.length === 0) return new HumanMessage(text);
  return new HumanMessage({
    content: [
      { type: 'text', text },
      ...images.map((image) => ({
        type: 'image_url' as const,
        image_url: { url: `data:${image.mimetype};base64,${image.base64}` },
      })),
    ],
  });
}

export function toModelMessages(context: ContextMessage[]): BaseMessage[] {
  return context.map((message) =>
    message.fromPulse ? new AIMessage(message.text + describeFiles(message)) : toHumanMessage(message),
  );
}
