/** A Slack Web API error: `{ok:false, error, ...extra}` on the wire. */
export class SlackError extends Error {
  readonly error: string;
  readonly extra: Record<string, unknown>;
  constructor(error: string, extra: Record<string, unknown> = {}) {
    super(error);
    this.error = error;
    this.extra = extra;
  }
}
