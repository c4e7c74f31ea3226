/**
 * The tool-calling agent: the model answers, or asks for tools; Pulse runs
 * them (arguments validated, errors handed back so the model can correct
 * itself) and asks again — at most MAX_TOOL_ROUNDS times, then the model
 * must answer with what it has and say the limit was reached.
 */
import { AIMessage, HumanMessage, ToolMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { ChatOpenAICompletions } from '@langchain/openai';
import { toJsonSchema } from '@langchain/core/utils/json_schema';
import { UserFacingError } from '../errors.ts';
import { LLM_MESSAGES } from './llm-errors.ts';
import type { PulseTool, ToolContext } from './tools/pulse-tool.ts';

/** Tool rounds per answer: enough for a chart plus a table plus a correction; a loop beyond is a runaway. */
export const MAX_TOOL_ROUNDS = 8;
/** What a tool may say back to the model; a longer result is cut (it is read, not shown). */
const MAX_TOOL_RESULT_CHARS = 8_000;

export const TOOL_LIMIT_NOTE =
  'You have used all the tool calls allowed for this answer. Answer now with what you have, and say briefly that the tool limit was reached.';

/** Tokens a failed run had already spent: recorded all the same, so budgets see them. */
export interface SpentTokens {
  promptTokens: number;
  completionTokens: number;
}

export function attachSpentTokens(error: unknown, spent: SpentTokens): unknown {
  if (typeof error === 'object' && error !== null) Object.assign(error, { spentTokens: spent });
  return error;
}

export function spentTokensOf(error: unknown): SpentTokens | undefined {
  return (error as { spentTokens?: SpentTokens } | undefined)?.spentTokens;
}

export interface AgentResult {
  text: string;
  promptTokens: number;
  completionTokens: number;
  toolCalls: number;
}

function describeZodError(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`).join('; ');
}

async function runTool(tool: PulseTool | undefined, name: string, rawArgs: unknown, context: ToolContext): Promise<string> {
  if (!tool) return `Error: there is no tool named "${name}".`;
  const parsed = tool.schema.safeParse(rawArgs ?? {});
  if (!parsed.success) return `Error: invalid arguments for ${name}: ${describeZodError(parsed.error)}. Fix them and call the tool again.`;
  try {
    const result = await tool.run(parsed.data, context);
    return result.length > MAX_TOOL_RESULT_CHARS ? `${result.slice(0, MAX_TOOL_RESULT_CHARS)}… (truncated)` : result;
  } catch (error) {
    // The model sees what went wrong (never a stack or a secret) and can try another way.
    const message = error instanceof UserFacingError ? error.message : error instanceof Error ? error.message : String(error);
    return `Error: ${name} failed: ${message.slice(0, 500)}`;
  }
}

export async function runAgent(options: {
  model: ChatOpenAICompletions;
  messages: BaseMessage[];
  tools: readonly PulseTool[];
  context: ToolContext;
  signal: AbortSignal;
  onProgress?: ((markdownSoFar: string) => void) | undefined;
}): Promise<AgentResult> {
  const { model, tools, context, signal, onProgress } = options;
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const definitions = tools.map((tool) => ({
    type: 'function' as const,
    function: { name: tool.name, description: tool.description, parameters: toJsonSchema(tool.schema) },
  }));
  const bound = model.bindTools(definitions);
  // The last round keeps the tools declared (some servers reject tool history without them) but forbids calling one.
  const toolsOff = model.bindTools(definitions, { tool_choice: 'none' });
  const messages = [...options.messages];
  const texts: string[] = [];
  const result: AgentResult = { text: '', promptTokens: 0, completionTokens: 0, toolCalls: 0 };

  try {
    return await loop();
  } catch (error) {
    throw attachSpentTokens(error, { promptTokens: result.promptTokens, completionTokens: result.completionTokens });
  }

  async function loop(): Promise<AgentResult> {
    for (let round = 0; round <= MAX_TOOL_ROUNDS; round += 1) {
      const lastRound = round === MAX_TOOL_ROUNDS;
      // A user-role note, not a mid-conversation system message, which strict chat templates refuse.
      if (lastRound) messages.push(new HumanMessage(TOOL_LIMIT_NOTE));
      let reply: AIMessageChunk | AIMessage | undefined;
      const runnable = lastRound ? toolsOff : bound;
      if (onProgress) {
        let streamed: AIMessageChunk | undefined;
        for await (const chunk of await runnable.stream(messages, { signal })) {
          streamed = streamed ? streamed.concat(chunk) : chunk;
          if (chunk.text !== '') onProgress([...texts, streamed.text].join('\n\n'));
        }
        reply = streamed;
      } else {
        reply = await runnable.invoke(messages, { signal });
      }
      if (!reply) throw new UserFacingError('llm_bad_response', LLM_MESSAGES.badResponse);
      result.promptTokens += reply.usage_metadata?.input_tokens ?? 0;
      result.completionTokens += reply.usage_metadata?.output_tokens ?? 0;
      if (reply.text.trim() !== '') texts.push(reply.text.trim());
      // Calls whose arguments were not valid JSON still need an answer, or the provider rejects the next request.
      const broken = (reply.invalid_tool_calls ?? []).map((call) => ({ name: call.name ?? 'unknown', args: {}, id: call.id, broken: true }));
      const calls = lastRound ? [] : [...(reply.tool_calls ?? []).map((call) => ({ ...call, broken: false })), ...broken];
      if (calls.length === 0) {
        result.text = texts.join('\n\n');
        if (result.text === '') throw new UserFacingError('llm_bad_response', LLM_MESSAGES.badResponse);
        return result;
      }
      const ids = calls.map((call, index) => call.id || `call_${round}_${index}`);
      messages.push(
        new AIMessage({
          content: reply.text,
          tool_calls: calls.map((call, index) => ({ name: call.name, args: call.args, id: ids[index] as string, type: 'tool_call' as const })),
        }),
      );
      for (const [index, call] of calls.entries()) {
        result.toolCalls += 1;
        const content = call.broken
          ? `Error: the arguments for ${call.name} were not valid JSON. Call the tool again with a JSON object.`
          : await runTool(byName.get(call.name), call.name, call.args, context);
        messages.push(new ToolMessage({ content, tool_call_id: ids[index] as string }));
      }
    }
    throw new Error('unreachable: the last round never calls tools');
  }
}
