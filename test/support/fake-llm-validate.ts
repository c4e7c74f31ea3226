// The request checks OpenAI performs that an agent can plausibly get wrong: a missing model,
// an unknown model, empty messages, a tool result without its assistant tool call (e.g. after
// trimming context from the oldest side), and tool names outside the allowed pattern.
// Each returns OpenAI's own status and wording so the client sees what production would show.
import type { ErrorShape } from './fake-llm-wire.ts';

export interface RequestProblem { status: number; error: ErrorShape }

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const invalid = (message: string, param: string | null = null, status = 400): RequestProblem => ({
  status,
  error: { message, type: 'invalid_request_error', param, code: null },
});

type Message = { role?: unknown; tool_calls?: Array<{ id?: unknown }>; tool_call_id?: unknown };

function checkToolPairing(messages: Message[]): RequestProblem | undefined {
  let pending: Set<string> | undefined;
  let pendingAt = -1;
  for (const [index, message] of messages.entries()) {
    if (message.role === 'tool') {
      if (!pending || typeof message.tool_call_id !== 'string' || !pending.has(message.tool_call_id)) {
        return invalid(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `messages.[${index}].role`,
        );
      }
      pending.delete(message.tool_call_id);
      continue;
    }
    if (pending && pending.size > 0) break;
    pending = undefined;
    if (message.role === 'assistant' && Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
      pending = new Set(message.tool_calls.map((call) => String(call.id)));
      pendingAt = index;
    }
  }
  if (pending && pending.size > 0) {
    return invalid(
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')}`,
      `messages.[${pendingAt}].role`,
    );
  }
  return undefined;
}

export function validateChatRequest(body: unknown, models: readonly string[]): RequestProblem | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalid('We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)');
  }
  const request = body as Record<string, unknown>;
  if (typeof request.model !== 'string' || request.model === '') return invalid('you must provide a model parameter');
  if (!models.includes(request.model)) {
    return {
      status: 404,
      error: { message: `The model \`${request.model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' },
    };
  }
  if (!Array.isArray(request.messages)) return invalid("Missing required parameter: 'messages'.", 'messages');
  if (request.messages.length === 0) return invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages');
  for (const [index, message] of (request.messages as Message[]).entries()) {
    if (typeof message !== 'object' || message === null || !ROLES.has(String(message.role))) {
      return invalid(`Invalid value: '${String(message?.role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`, `messages[${index}].role`);
    }
  }
  const pairing = checkToolPairing(request.messages as Message[]);
  if (pairing) return pairing;
  if (request.tools !== undefined) {
    if (!Array.isArray(request.tools)) return invalid("Invalid type for 'tools': expected an array.", 'tools');
    for (const [index, tool] of (request.tools as Array<{ type?: unknown; function?: { name?: unknown } }>).entries()) {
      if (tool?.type !== 'function') return invalid(`Invalid value: '${String(tool?.type)}'. Supported values are: 'function' and 'custom'.`, `tools[${index}].type`);
      if (typeof tool.function?.name !== 'string' || !TOOL_NAME.test(tool.function.name)) {
        return invalid(
          `Invalid 'tools[${index}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
          `tools[${index}].function.name`,
        );
      }
    }
  }
  if (request.stream_options != null && request.stream !== true) {
    return invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options');
  }
  return undefined;
}
