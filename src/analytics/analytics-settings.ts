/**
 * What admins set for analytics in App Home (pure: defaults, limits and the
 * checks a submitted value must pass, each with a sentence to show).
 */

export interface AnalyticsSettings {
  /** Sync on a schedule and from events; off after "Delete all analytics data" until turned on again. */
  enabled: boolean;
  /** Public channels whose names match are joined on each sync; undefined: none. */
  autoJoinPattern: string | undefined;
  lookbackDays: number;
  retentionDays: number;
  /** Keep message text (off: metadata only). */
  storeText: boolean;
  /** Store people as HMAC pseudonyms instead of Slack ids. */
  pseudonymize: boolean;
  /** Who may see per-person figures: admins only (default) or everyone. */
  personFiguresFor: 'admins' | 'everyone';
}

export const DEFAULT_ANALYTICS_SETTINGS: AnalyticsSettings = {
  enabled: true,
  autoJoinPattern: undefined,
  lookbackDays: 90,
  retentionDays: 365,
  storeText: false,
  pseudonymize: false,
  personFiguresFor: 'admins',
};

/** Ten years: further back Slack's own retention has usually removed history. */
export const MAX_LOOKBACK_DAYS = 3_650;
export const MAX_RETENTION_DAYS = 3_650;
/** Longer patterns are not channel-name patterns; also bounds regex work per channel. */
export const MAX_PATTERN_LENGTH = 200;

/** Why a pattern can't be used, or undefined when it can. Matching is case-insensitive, on the name without '#'. */
export function describePatternProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `Keep the pattern under ${MAX_PATTERN_LENGTH} characters.`;
  try {
    new RegExp(pattern, 'i');
  } catch (error) {
    return `That is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  return undefined;
}

export function compileChannelPattern(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined || describePatternProblem(pattern) !== undefined) return undefined;
  return new RegExp(pattern, 'i');
}

export function describeDaysProblem(value: string, label: string, max: number): string | undefined {
  const days = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(days) || days < 1) return `${label}: enter a whole number of days (1 or more).`;
  if (days > max) return `${label}: at most ${max.toLocaleString('en-US')} days.`;
  return undefined;
}
