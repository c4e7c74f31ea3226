import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI, { APIConnectionError, AuthenticationError, BadRequestError, InternalServerError, NotFoundError, RateLimitError } from 'openai';
import { ChatOpenAI } from '@langchain/openai';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm.ts';

const API_KEY = 'sk-test-0123456789abcdefWXYZ';

let llm: FakeLlm;
let client: OpenAI;

beforeEach(async () => {
  llm = await startFakeLlm();
  client = new OpenAI({ baseURL: llm.url, apiKey: API_KEY, maxRetries: 0 });
});
afterEach(async () => {
  await llm.close();
});

const ask = (content: string, extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}) =>
  client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra });

describe('fake LLM through the openai SDK', () => {
  it('answers a chat completion with the scripted reply and usage, and records what the client sent', async () => {
    llm.script({ reply: 'Forty-two.', usage: { prompt_tokens: 11, completion_tokens: 3 } });

    const completion = await ask('What is the answer?');

    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.choices[0]).toMatchObject({ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Forty-two.', refusal: null } });
    expect(completion.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', apiKey: API_KEY });
    expect(llm.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'What is the answer?' }] });
  });

  it('falls back to the default reply with estimated usage when nothing is scripted', async () => {
    const completion = await ask('x'.repeat(400));

    expect(completion.choices[0]?.message.content).toBe('OK from the fake LLM.');
    expect(completion.usage?.prompt_tokens).toBeGreaterThanOrEqual(100);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('streams role first, the reply in several deltas, a finish chunk and a usage chunk before [DONE]', async () => {
    llm.script({ reply: 'Streaming works across several deltas.' });

    const stream = await client.chat.completions.create({
      model: 'gpt-4o', messages: [{ role: 'user', content: 'stream please' }], stream: true, stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const deltas = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').filter(Boolean);
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe('Streaming works across several deltas.');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('returns scripted tool calls whose arguments parse, then accepts the tool result in the next turn', async () => {
    llm.script({ toolCalls: [{ name: 'count_messages', arguments: { channel: 'C123', days: 7 }, id: 'call_fixed' }] }, { reply: 'There were 12.' });
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'count_messages', parameters: { type: 'object', properties: { channel: { type: 'string' } } } } },
    ];

    const first = await ask('How busy was #general?', { tools });
    const message = first.choices[0]!.message;
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(message.content).toBeNull();
    const call = message.tool_calls![0]!;
    expect(call).toMatchObject({ id: 'call_fixed', type: 'function' });
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ channel: 'C123', days: 7 });

    const second = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      tools,
      messages: [{ role: 'user', content: 'How busy was #general?' }, message, { role: 'tool', tool_call_id: call.id, content: '12' }],
    });
    expect(second.choices[0]?.message.content).toBe('There were 12.');
    expect(llm.requests[1]?.body.messages[2]).toEqual({ role: 'tool', tool_call_id: 'call_fixed', content: '12' });
  });

  it('streams tool calls as indexed deltas that the SDK reassembles', async () => {
    llm.script({ toolCalls: [{ name: 'lookup', arguments: { q: 'alpha' } }, { name: 'lookup', arguments: '{"q":"beta"}' }] });

    const stream = client.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'look up two things' }] });
    const final = await stream.finalChatCompletion();

    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(calls.map((call) => call.type === 'function' && [call.function.name, JSON.parse(call.function.arguments)])).toEqual([
      ['lookup', { q: 'alpha' }],
      ['lookup', { q: 'beta' }],
    ]);
    expect(calls.every((call) => /^call_\w{24}$/.test(call.id))).toBe(true);
  });

  it('lists the configured models', async () => {
    const page = await client.models.list();

    expect(page.data.map((model) => model.id)).toEqual(['gpt-4o-mini', 'gpt-4o']);
    expect(page.data[0]).toMatchObject({ object: 'model', owned_by: 'system' });
    expect((await client.models.retrieve('gpt-4o')).id).toBe('gpt-4o');
  });

  it('rejects a wrong key with 401 invalid_api_key without echoing the key', async () => {
    const guarded = await startFakeLlm({ validApiKeys: ['sk-the-right-key-000000'] });
    const wrongKey = 'sk-wrong-key-abcdefghijkl1234';
    try {
      const wrong = new OpenAI({ baseURL: guarded.url, apiKey: wrongKey, maxRetries: 0 });
      const error = await wrong.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
      expect((error as Error).message).toContain('Incorrect API key provided: sk-');
      expect((error as Error).message).toContain('1234');
      expect((error as Error).message).not.toContain(wrongKey);
      expect(guarded.requests[0]?.apiKey).toBe(wrongKey);
      await expect(wrong.models.list()).rejects.toMatchObject({ status: 401 });
    } finally {
      await guarded.close();
    }
  });

  it('surfaces a 429 with its retry-after header and a 500 with its status', async () => {
    llm.script({ status: 429, headers: { 'retry-after': '7' } }, { status: 500 });

    const limited = await ask('one').catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect((limited as RateLimitError).headers.get('retry-after')).toBe('7');

    const broken = await ask('two').catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(InternalServerError);
    expect(broken).toMatchObject({ status: 500, type: 'server_error' });
  });

  it('rejects a malformed JSON body', async () => {
    llm.script({ raw: '{"id":"chatcmpl-broken","choices":[' });

    await expect(ask('hello')).rejects.toThrow(SyntaxError);
  });

  it('rejects a stream that is cut midway after delivering the first chunks', async () => {
    llm.script({ cutStreamAfterChunks: 3, reply: 'This answer will never finish arriving.' });

    const received: string[] = [];
    const consume = async () => {
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'go' }], stream: true });
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    };

    await expect(consume()).rejects.toThrow();
    expect(received).toHaveLength(3);
    expect(received.join('')).not.toBe('This answer will never finish arriving.');
  });

  it('drops the connection of a non-streamed request scripted to be cut', async () => {
    llm.script({ cutStreamAfterChunks: 0, reply: 'unused' });

    await expect(ask('hello')).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('waits the scripted delay before answering, and between stream chunks', async () => {
    llm.script({ reply: 'slow', delayMs: 150 }, { reply: 'a slow stream', chunkDelayMs: 40 });

    let started = Date.now();
    expect((await ask('slowly')).choices[0]?.message.content).toBe('slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    started = Date.now();
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'go' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('a slow stream');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('answers with a dynamic step computed from the request', async () => {
    llm.script({ respond: (request) => ({ reply: `You said: ${request.body.messages.at(-1).content}` }) });

    expect((await ask('ping')).choices[0]?.message.content).toBe('You said: ping');
  });

  it('rejects an unknown model and a tool result without its tool call, as OpenAI does', async () => {
    await expect(client.chat.completions.create({ model: 'gpt-9', messages: [{ role: 'user', content: 'hi' }] }))
      .rejects.toSatisfy((e) => e instanceof NotFoundError && e.code === 'model_not_found');
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'tool', tool_call_id: 'call_x', content: '1' }] }))
      .rejects.toSatisfy((e) => e instanceof BadRequestError && e.message.includes("role 'tool'"));
    expect(llm.pendingSteps).toBe(0);
  });

  it('answers unknown paths with a JSON 404', async () => {
    const response = await fetch(`${llm.url}/embeddingz`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { message: 'Invalid URL (POST /v1/embeddingz)', type: 'invalid_request_error', param: null, code: null } });
  });

  it('closes promptly while a delayed answer is pending, failing the request', async () => {
    llm.script({ reply: 'too late', delayMs: 60_000 });
    const pending = ask('wait').catch((e: unknown) => e);
    await llm.waitForRequests(1);

    const started = Date.now();
    await llm.close();

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(APIConnectionError);
  });

  it('rejects waitForRequests with a clear message when too few requests arrive', async () => {
    await expect(llm.waitForRequests(1, 50)).rejects.toThrow('expected 1 chat completion request(s) within 50 ms but received 0');
  });
});

describe('fake LLM through @langchain/openai ChatOpenAI', () => {
  const chatModel = () => new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: API_KEY, configuration: { baseURL: llm.url }, maxRetries: 0 });

  it('returns the scripted text with usage metadata from invoke over Chat Completions', async () => {
    llm.script({ reply: 'Hello from LangChain.', usage: { prompt_tokens: 20, completion_tokens: 5 } });

    const message = await chatModel().invoke([new SystemMessage('You are Pulse.'), new HumanMessage('Say hello')]);

    expect(message.content).toBe('Hello from LangChain.');
    expect(message.usage_metadata).toMatchObject({ input_tokens: 20, output_tokens: 5, total_tokens: 25 });
    expect(llm.requests[0]?.path).toBe('/v1/chat/completions');
    expect(llm.requests[0]?.body).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [{ role: 'system', content: 'You are Pulse.' }, { role: 'user', content: 'Say hello' }],
    });
    expect(llm.requests[0]?.body.stream).not.toBe(true);
  });

  it('parses tool calls for a model bound to tools, sending the tool schema', async () => {
    const countMessages = tool(async () => '0', {
      name: 'count_messages',
      description: 'Count messages in a channel',
      schema: z.object({ channel: z.string(), days: z.number() }),
    });
    llm.script({ toolCalls: [{ name: 'count_messages', arguments: { channel: 'C1', days: 30 } }] });

    const message = await chatModel().bindTools([countMessages]).invoke('How many messages in C1 this month?');

    expect(message.tool_calls).toEqual([{ name: 'count_messages', args: { channel: 'C1', days: 30 }, id: expect.stringMatching(/^call_/), type: 'tool_call' }]);
    expect(llm.requests[0]?.body.tools[0]).toMatchObject({
      type: 'function',
      function: { name: 'count_messages', parameters: { type: 'object', required: ['channel', 'days'] } },
    });
  });

  it('streams chunks that concatenate to the reply and carry usage', async () => {
    llm.script({ reply: 'Chunked LangChain answer.' });

    let text = '';
    let usage: unknown;
    for await (const chunk of await chatModel().stream('stream it')) {
      text += chunk.content;
      usage = chunk.usage_metadata ?? usage;
    }

    expect(text).toBe('Chunked LangChain answer.');
    expect(usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: expect.any(Number) });
    expect(llm.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });
});
