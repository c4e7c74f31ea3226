/**
 * Provider failures become UserFacingErrors with a plain next step. The mapping reads HTTP statuses
 * and error names, so it is checked on hand-made shapes, on the real `openai` error classes, on
 * LangChain's wrapping of them, and on what a real client throws against a local server.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { ChatOpenAICompletions, wrapOpenAIClientError } from '@langchain/openai';
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LLM_MESSAGES, toUserFacingLlmError } from '../../src/agent/llm-errors.ts';
import { UserFacingError, type UserFacingErrorCode } from '../../src/errors.ts';

// ---- small factories -------------------------------------------------------

const APP_HOME_SENTENCE = "An admin must set a valid API key in Pulse's App Home.";

/** An error shaped like the SDK's: a message plus whatever fields a provider sets. */
function errorWith(fields: Record<string, unknown>, message = 'provider failure'): Error {
  return Object.assign(new Error(message), fields);
}

function connectionRefused(): Error {
  return errorWith({ code: 'ECONNREFUSED', errno: -111, syscall: 'connect' }, 'connect ECONNREFUSED 127.0.0.1:11434');
}

function openAiBody(message: string, code: string | null = null) {
  return { message, type: 'invalid_request_error', param: null, code };
}

function expectMapped(error: unknown, code: UserFacingErrorCode, message: string): void {
  const mapped = toUserFacingLlmError(error);
  expect(mapped).toBeInstanceOf(UserFacingError);
  expect(mapped.code).toBe(code);
  expect(mapped.message).toBe(message);
}

// ---- hand-made shapes --------------------------------------------------------

describe('toUserFacingLlmError on error shapes', () => {
  it('tells the user an admin must set the API key in App Home when the provider answers 401', () => {
    const mapped = toUserFacingLlmError(errorWith({ status: 401 }));

    expect(mapped.code).toBe('llm_key_rejected');
    expect(mapped.message).toBe(LLM_MESSAGES.keyRejected);
    expect(mapped.message).toContain(APP_HOME_SENTENCE);
  });

  it('treats 403 as a rejected key too', () => {
    expectMapped(errorWith({ status: 403 }), 'llm_key_rejected', LLM_MESSAGES.keyRejected);
  });

  it('asks to retry later when the provider answers 429', () => {
    expectMapped(errorWith({ status: 429 }), 'llm_rate_limited', LLM_MESSAGES.rateLimited);
    expect(LLM_MESSAGES.rateLimited).toMatch(/try again/);
  });

  it('says the model is not offered when the provider answers 404', () => {
    expectMapped(errorWith({ status: 404 }), 'llm_bad_response', LLM_MESSAGES.modelMissing);
    expect(LLM_MESSAGES.modelMissing).toMatch(/model/);
  });

  it.each([500, 502, 503, 529])('calls the provider unreachable when it answers %i', (status) => {
    expectMapped(errorWith({ status }), 'llm_unreachable', LLM_MESSAGES.unreachable);
  });

  it('calls the provider unreachable for an error named APIConnectionError', () => {
    expectMapped(errorWith({ name: 'APIConnectionError' }), 'llm_unreachable', LLM_MESSAGES.unreachable);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN'])(
    'calls the provider unreachable when a cause carries %s',
    (code) => {
      const fetchFailed = new TypeError('fetch failed', { cause: errorWith({ code }) });

      expectMapped(new Error('Connection error.', { cause: fetchFailed }), 'llm_unreachable', LLM_MESSAGES.unreachable);
    },
  );

  it('says the answer broke off when the connection closed while it was arriving (undici: "terminated", a socket error under it)', () => {
    const closed = errorWith({ name: 'SocketError', code: 'UND_ERR_SOCKET', message: 'other side closed' });

    expectMapped(new TypeError('terminated', { cause: closed }), 'llm_interrupted', LLM_MESSAGES.interrupted);
    // A socket error that is not a broken-off answer keeps its own reading.
    expect(toUserFacingLlmError(new TypeError('fetch failed', { cause: closed })).code).not.toBe('llm_interrupted');
  });

  it.each([
    ['TimeoutError', errorWith({ name: 'TimeoutError' })],
    ['AbortError', errorWith({ name: 'AbortError' })],
    ['ETIMEDOUT', errorWith({ code: 'ETIMEDOUT' })],
    ['a timed-out cause', new Error('Connection error.', { cause: errorWith({ code: 'ETIMEDOUT' }) })],
  ])('says the provider took too long for %s', (_label, error) => {
    expectMapped(error, 'llm_timeout', LLM_MESSAGES.timeout);
  });

  it('says the response could not be read for a SyntaxError', () => {
    expectMapped(new SyntaxError('Unexpected token < in JSON at position 0'), 'llm_bad_response', LLM_MESSAGES.badResponse);
  });

  it('says the response could not be read when a SyntaxError is the cause', () => {
    expectMapped(new Error('parse failed', { cause: new SyntaxError('bad json') }), 'llm_bad_response', LLM_MESSAGES.badResponse);
  });

  it('finds a status carried by the cause, as when an error is wrapped', () => {
    expectMapped(new Error('wrapped', { cause: errorWith({ status: 429 }) }), 'llm_rate_limited', LLM_MESSAGES.rateLimited);
  });

  it('lets the status win over a connection-looking name', () => {
    expectMapped(errorWith({ status: 401, name: 'APIConnectionError' }), 'llm_key_rejected', LLM_MESSAGES.keyRejected);
  });

  it.each([
    ['an unknown error', new Error('something odd')],
    ['a 400 with no better reading', errorWith({ status: 400 })],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
    ['null', null],
  ])('maps %s to internal', (_label, error) => {
    expect(toUserFacingLlmError(error).code).toBe('internal');
  });

  it('returns a UserFacingError unchanged', () => {
    const original = new UserFacingError('llm_key_missing', LLM_MESSAGES.keyMissing);

    expect(toUserFacingLlmError(original)).toBe(original);
  });

  it('keeps the original error as the cause, for the log', () => {
    const original = errorWith({ status: 429 });

    expect(toUserFacingLlmError(original).cause).toBe(original);
  });

  it('never puts the provider message into the user-facing text', () => {
    const original = errorWith({ status: 401 }, 'Incorrect API key provided: sk-proj-abc***xyz');

    expect(toUserFacingLlmError(original).message).not.toContain('sk-proj');
  });

  it('survives a cause chain that loops back on itself', () => {
    const error = errorWith({}) as Error & { cause?: unknown };
    error.cause = error;

    expect(toUserFacingLlmError(error).code).toBe('internal');
  });
});

// ---- the real openai error classes -----------------------------------------------------

describe('toUserFacingLlmError on the openai package error classes', () => {
  const headers = () => new Headers({ 'x-request-id': 'req_123' });

  it('maps AuthenticationError (401) to a rejected key', () => {
    const error = new AuthenticationError(401, openAiBody('Incorrect API key provided', 'invalid_api_key'), undefined, headers());

    expectMapped(error, 'llm_key_rejected', LLM_MESSAGES.keyRejected);
  });

  it('maps what APIError.generate builds for each status', () => {
    const generated = (status: number) => APIError.generate(status, { error: openAiBody(`status ${status}`) }, undefined, headers());

    expect(generated(401)).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(toUserFacingLlmError(generated(401)).code).toBe('llm_key_rejected');
    expect(toUserFacingLlmError(generated(403)).code).toBe('llm_key_rejected');
    expect(toUserFacingLlmError(generated(429)).code).toBe('llm_rate_limited');
    expect(toUserFacingLlmError(generated(404)).message).toBe(LLM_MESSAGES.modelMissing);
    expect(toUserFacingLlmError(generated(500)).code).toBe('llm_unreachable');
    expect(toUserFacingLlmError(generated(503)).code).toBe('llm_unreachable');
  });

  it('maps PermissionDeniedError, RateLimitError, NotFoundError and InternalServerError', () => {
    expect(toUserFacingLlmError(new PermissionDeniedError(403, undefined, 'denied', headers())).code).toBe('llm_key_rejected');
    expect(toUserFacingLlmError(new RateLimitError(429, undefined, 'slow down', headers())).code).toBe('llm_rate_limited');
    expect(toUserFacingLlmError(new NotFoundError(404, openAiBody('no such model', 'model_not_found'), undefined, headers())).message).toBe(
      LLM_MESSAGES.modelMissing,
    );
    expect(toUserFacingLlmError(new InternalServerError(502, undefined, 'bad gateway', headers())).code).toBe('llm_unreachable');
  });

  it('maps an APIConnectionError whose cause is a refused connection to unreachable', () => {
    const error = new APIConnectionError({ message: 'Connection error.', cause: new TypeError('fetch failed', { cause: connectionRefused() }) });

    expectMapped(error, 'llm_unreachable', LLM_MESSAGES.unreachable);
  });

  // The SDK's classes do not set `name` (it stays "Error"), so the class must be recognised some other way.
  it('maps an APIConnectionError with no recognisable cause to unreachable', () => {
    expectMapped(new APIConnectionError({ message: 'Connection error.' }), 'llm_unreachable', LLM_MESSAGES.unreachable);
  });

  it('maps the SDK’s own APIConnectionTimeoutError to a timeout', () => {
    expectMapped(new APIConnectionTimeoutError(), 'llm_timeout', LLM_MESSAGES.timeout);
  });

  it('maps LangChain’s wrapping of APIConnectionTimeoutError to a timeout', () => {
    expectMapped(wrapOpenAIClientError(new APIConnectionTimeoutError()), 'llm_timeout', LLM_MESSAGES.timeout);
  });

  it('maps LangChain’s wrapping of 401, 429 and 404 like the originals', () => {
    expect(toUserFacingLlmError(wrapOpenAIClientError(new AuthenticationError(401, undefined, 'no', headers()))).code).toBe(
      'llm_key_rejected',
    );
    expect(toUserFacingLlmError(wrapOpenAIClientError(new RateLimitError(429, undefined, 'no', headers()))).code).toBe(
      'llm_rate_limited',
    );
    expect(toUserFacingLlmError(wrapOpenAIClientError(new NotFoundError(404, undefined, 'no', headers()))).message).toBe(
      LLM_MESSAGES.modelMissing,
    );
  });
});

// ---- what a real client throws -------------------------------------------------------------

describe('toUserFacingLlmError on errors from real requests to a local server', () => {
  let server: Server;
  let baseUrl: string;
  let closedPortUrl: string;

  /** Routes by the model name in the request, so one server plays every failure. */
  function respond(request: IncomingMessage, response: ServerResponse): void {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const model = (JSON.parse(body || '{}') as { model?: string }).model ?? '';
      const fail = (status: number, message: string, code: string | null = null) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: openAiBody(message, code) }));
      };
      if (model === 'hang') return; // never answers: the client's timeout fires
      if (model === 'garbage') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('<html>not json</html>');
        return;
      }
      const status = Number(model.replace('status-', ''));
      fail(status, `failure ${status}`, status === 404 ? 'model_not_found' : null);
    });
  }

  beforeAll(async () => {
    server = createHttpServer(respond);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const freePort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    closedPortUrl = `http://127.0.0.1:${freePort}/v1`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** The production path: LangChain's Chat Completions model over the openai SDK, no retries. */
  async function langChainFailure(model: string, url = baseUrl): Promise<UserFacingError> {
    const chat = new ChatOpenAICompletions({ model, apiKey: 'sk-test-key-0123456789', configuration: { baseURL: url }, maxRetries: 0, timeout: 300 });
    const error = await chat.invoke('hello').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error, 'the request should fail').toBeDefined();
    return toUserFacingLlmError(error);
  }

  it.each([
    [401, 'llm_key_rejected'],
    [403, 'llm_key_rejected'],
    [429, 'llm_rate_limited'],
    [404, 'llm_bad_response'],
    [500, 'llm_unreachable'],
    [503, 'llm_unreachable'],
  ] as const)('maps a real %i through LangChain to %s', async (status, code) => {
    expect((await langChainFailure(`status-${status}`)).code).toBe(code);
  });

  it('maps a refused connection through LangChain to unreachable', async () => {
    expect((await langChainFailure('status-200', closedPortUrl)).code).toBe('llm_unreachable');
  });

  it('maps a refused connection from the SDK used directly to unreachable', async () => {
    const client = new OpenAI({ apiKey: 'sk-test-key-0123456789', baseURL: closedPortUrl, maxRetries: 0 });

    const error = await client.models.list().then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(APIConnectionError);
    expect(toUserFacingLlmError(error).code).toBe('llm_unreachable');
  });

  it('maps a provider that never answers through LangChain to a timeout', async () => {
    expect((await langChainFailure('hang')).code).toBe('llm_timeout');
  });

  it('maps a body that is not JSON through LangChain to an unreadable response', async () => {
    expect((await langChainFailure('garbage')).code).toBe('llm_bad_response');
  });
});
