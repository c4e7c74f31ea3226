/** What every emulated Web API method receives. */
import { SlackError, type Workspace } from '../workspace.ts';

export interface TriggerRecord {
  userId: string;
  issuedAt: number;
  used: boolean;
}

export interface EmulatorRuntime {
  workspace: Workspace;
  /** http://127.0.0.1:<port>/ — every URL the emulator hands out starts with it. */
  baseUrl: string;
  botToken: string;
  appToken: string;
  /** Trigger ids issued with interactive payloads (single use, 3 s). */
  triggers: Map<string, TriggerRecord>;
  /** A fresh single-use Socket Mode URL (apps.connections.open). */
  openSocketModeUrl(): string;
  revoked: boolean;
}

export interface MethodContext {
  runtime: EmulatorRuntime;
  workspace: Workspace;
  params: Record<string, unknown>;
}

export type MethodHandler = (context: MethodContext) => Record<string, unknown>;

/** Slack's limits the emulator enforces, each as Slack documents it. */
export const LIMITS = {
  /** chat.postMessage truncates text past 40,000 chars; Slack answers msg_too_long beyond it. */
  postMessageText: 40_000,
  /** chat.update rejects text over 4,000 characters with msg_too_long. */
  updateText: 4_000,
  /** Messages carry at most 50 blocks. */
  messageBlocks: 50,
  /** Modals and Home tabs carry at most 100 blocks. */
  viewBlocks: 100,
  /** conversations.history accepts limit up to 999. */
  historyMaxLimit: 999,
  /** conversations.replies and list cap limit at 1,000. */
  listMaxLimit: 1_000,
  /** Trigger ids expire 3 seconds after they are issued. */
  triggerTtlMs: 3_000,
  privateMetadata: 3_000,
} as const;

export function stringParam(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : String(value);
}

export function requireStringParam(params: Record<string, unknown>, name: string): string {
  const value = stringParam(params, name);
  if (value === undefined) throw new SlackError('invalid_arguments', { response_metadata: { messages: [`[ERROR] missing required field: ${name}`] } });
  return value;
}

/** Form bodies carry arrays and objects as JSON strings; JSON bodies carry them as is. */
export function jsonParam(params: Record<string, unknown>, name: string): unknown {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new SlackError(name === 'blocks' ? 'invalid_blocks_format' : 'invalid_json');
  }
}

export function limitParam(params: Record<string, unknown>, fallback: number, max: number): number {
  const raw = stringParam(params, 'limit');
  if (raw === undefined) return fallback;
  const limit = Number(raw);
  if (!Number.isFinite(limit) || limit < 0) throw new SlackError('invalid_limit');
  // Slack treats 0 as "use the default" and clamps anything over the cap.
  return limit === 0 ? fallback : Math.min(Math.floor(limit), max);
}

export function booleanParam(params: Record<string, unknown>, name: string): boolean {
  const value = params[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}
