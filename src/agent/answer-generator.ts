/**
 * The LLM behind answers: Chat Completions through @langchain/openai, on any
 * OpenAI-compatible endpoint. ChatOpenAICompletions pins the Chat
 * Completions API (ChatOpenAI switches to the Responses API for some models
 * and options, which most compatible servers do not implement).
 */
import { SystemMessage } from '@langchain/core/messages';
import { ChatOpenAICompletions } from '@langchain/openai';
import { UserFacingError } from '../errors.ts';
import type { AnswerGenerator, AnswerRequest, GeneratedAnswer } from '../conversation/ports.ts';
import { LLM_MESSAGES, toUserFacingLlmError } from './llm-errors.ts';
import { toModelMessages } from './model-messages.ts';
import { attachSpentTokens, runAgent, spentTokensOf } from './run-agent.ts';
import { buildSystemPrompt } from './system-prompt.ts';
import type { AnalyticsTools, ReportTools } from './tools/pulse-tool.ts';
import { PULSE_TOOLS } from './tools/registry.ts';

/** Default upper bound for one answer's model call, retries included (LLM_TIMEOUT_SECONDS). */
export const LLM_TIMEOUT_MS = 120_000;
/** Retries for transient provider errors (429/5xx/connection), with the SDK's backoff. */
export const LLM_MAX_RETRIES = 2;

export interface LlmSettings {
  baseUrl: string;
  /** The model a workspace uses (its admin's choice in App Home, else OPENAI_MODEL). */
  resolveModel: (teamId: string) => string;
  /** Resolves the key to use for a workspace (App Home key, else OPENAI_API_KEY). */
  resolveApiKey: (teamId: string) => string | undefined;
  /** The workspace's time zone (WORKSPACE_TIMEZONE): schedules and "today" for the team. */
  workspaceTimeZone: string;
  now?: () => Date;
  /** The workspace's collaboration data for the analytics tools. */
  analytics?: AnalyticsTools;
  /** Scheduled reports for propose_report (a getter: the report service is built after the generator it runs). */
  reports?: () => ReportTools | undefined;
  timeoutMs?: number;
  maxRetries?: number;
}

/** Clients kept for reuse (one per key and model): building one per answer costs CPU on every question. */
const MAX_CACHED_MODELS = 16;

export function createAnswerGenerator(settings: LlmSettings): AnswerGenerator {
  const models = new Map<string, ChatOpenAICompletions>();
  const modelFor = (modelName: string, apiKey: string): ChatOpenAICompletions => {
    const cacheKey = `${modelName}\u0000${apiKey}`;
    let model = models.get(cacheKey);
    if (!model) {
      model = new ChatOpenAICompletions({
        model: modelName,
        apiKey,
        configuration: { baseURL: settings.baseUrl },
        timeout: settings.timeoutMs ?? LLM_TIMEOUT_MS,
        maxRetries: settings.maxRetries ?? LLM_MAX_RETRIES,
        streamUsage: true,
      });
      // A replaced key's client is dropped once the cache is full; later answers never reuse it.
      if (models.size >= MAX_CACHED_MODELS) models.delete(models.keys().next().value as string);
      models.set(cacheKey, model);
    }
    return model;
  };
  return {
    async generateAnswer(request: AnswerRequest, onProgress?: (markdownSoFar: string) => void): Promise<GeneratedAnswer> {
      const apiKey = settings.resolveApiKey(request.teamId);
      if (!apiKey) throw new UserFacingError('llm_key_missing', LLM_MESSAGES.keyMissing);
      const modelName = settings.resolveModel(request.teamId);
      const model = modelFor(modelName, apiKey);
      const asker = request.context.findLast((message) => message.authorId === request.askerId);
      const now = settings.now ?? (() => new Date());
      const system = buildSystemPrompt({
        now: now(),
        timeZone: request.askerTimeZone ?? settings.workspaceTimeZone,
        workspaceTimeZone: settings.workspaceTimeZone,
        askerName: asker?.authorName ?? 'a teammate',
        tools: PULSE_TOOLS,
      });
      try {
        const result = await runAgent({
          model,
          messages: [new SystemMessage(system), ...toModelMessages(request.context)],
          tools: PULSE_TOOLS,
          context: {
            teamId: request.teamId,
            askerId: request.askerId,
            askerTimeZone: request.askerTimeZone,
            workspaceTimeZone: settings.workspaceTimeZone,
            now,
            files: request.files,
            ...(settings.analytics ? { analytics: settings.analytics } : {}),
            ...(settings.reports?.() ? { reports: settings.reports() } : {}),
            ...(request.thread ? { thread: request.thread } : {}),
            ...(request.audience ? { audience: request.audience } : {}),
          },
          // The timeout bounds the whole answer, tool rounds and retries included.
          signal: AbortSignal.timeout(settings.timeoutMs ?? LLM_TIMEOUT_MS),
          onProgress,
        });
        return {
          markdown: result.text,
          model: modelName,
          usage: { promptTokens: result.promptTokens, completionTokens: result.completionTokens },
        };
      } catch (error) {
        const spent = spentTokensOf(error);
        const userFacing = toUserFacingLlmError(error);
        throw spent ? attachSpentTokens(userFacing, spent) : userFacing;
      }
    },
  };
}
