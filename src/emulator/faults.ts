/**
 * Faults a test injects into the Web API: rate limits (HTTP 429 with
 * Retry-After), error codes, bare HTTP statuses and slow answers. Each rule
 * applies to the next `times` calls of one method ('*' for any).
 */
type FaultRule =
  | { method: string; remaining: number; kind: 'ratelimit'; retryAfterSeconds: number }
  | { method: string; remaining: number; kind: 'error'; error: string }
  | { method: string; remaining: number; kind: 'status'; status: number }
  | { method: string; remaining: number; kind: 'delay'; delayMs: number };

/** What an injected fault does to one call: wait first, then maybe answer instead of the method. */
export interface FaultOutcome {
  delayMs: number;
  answer?: { status: number; body: Record<string, unknown>; headers?: Record<string, string> };
}

export class FaultInjector {
  private readonly rules: FaultRule[] = [];

  /** The next `times` calls of `method` answer HTTP 429 with `Retry-After: retryAfterSeconds`. */
  rateLimit(method: string, options: { times?: number; retryAfterSeconds?: number } = {}): void {
    this.rules.push({ method, kind: 'ratelimit', remaining: options.times ?? 1, retryAfterSeconds: options.retryAfterSeconds ?? 1 });
  }

  /** The next `times` calls of `method` answer `{ok:false,error}`. */
  error(method: string, error: string, options: { times?: number } = {}): void {
    this.rules.push({ method, kind: 'error', error, remaining: options.times ?? 1 });
  }

  /** The next `times` calls of `method` answer a bare HTTP status (e.g. 500, 503). */
  httpStatus(method: string, status: number, options: { times?: number } = {}): void {
    this.rules.push({ method, kind: 'status', status, remaining: options.times ?? 1 });
  }

  /** Calls of `method` (all of them unless `times`) wait `delayMs` before being answered. */
  delay(method: string, delayMs: number, options: { times?: number } = {}): void {
    this.rules.push({ method, kind: 'delay', delayMs, remaining: options.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** Consumes the rules that apply to one call: every matching delay, and the first matching answer only. */
  take(method: string): FaultOutcome {
    const outcome: FaultOutcome = { delayMs: 0 };
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || (rule.method !== method && rule.method !== '*')) continue;
      if (rule.kind === 'delay') {
        rule.remaining -= 1;
        outcome.delayMs += rule.delayMs;
        continue;
      }
      if (outcome.answer) continue;
      rule.remaining -= 1;
      outcome.answer = answerFor(rule);
    }
    return outcome;
  }
}

function answerFor(rule: Exclude<FaultRule, { kind: 'delay' }>): NonNullable<FaultOutcome['answer']> {
  switch (rule.kind) {
    case 'ratelimit':
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(rule.retryAfterSeconds) } };
    case 'error':
      return { status: 200, body: { ok: false, error: rule.error } };
    case 'status':
      return { status: rule.status, body: { ok: false, error: 'fatal_error' } };
  }
}
