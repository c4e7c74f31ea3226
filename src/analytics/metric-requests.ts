/**
 * What an asker can ask the metric service: the request shapes the agent tools
 * fill in, what each metric counts (the definition travels with every answer so
 * the model can explain a figure), and the refusal a request may get instead.
 */
import type { Dimension, Metric } from '../db/analytics-queries.ts';
import type { LinkKind } from './classify-link.ts';

export interface MetricRequest {
  metric: Metric;
  groupBy: Dimension[];
  /** Channel ids or names ("eng-help", "#eng-help"). */
  channels?: string[];
  /** Slack user ids (or pseudonyms). */
  people?: string[];
  linkKinds?: LinkKind[];
  /** YYYY-MM-DD, inclusive; default: DEFAULT_RANGE_DAYS ago. */
  from?: string;
  /** YYYY-MM-DD, inclusive; default: today. */
  to?: string;
  top?: number;
  sort?: 'desc' | 'asc';
}

export interface ThreadRequest {
  channels?: string[];
  people?: string[];
  linkKinds?: LinkKind[];
  from?: string;
  to?: string;
  order: 'replies' | 'participants' | 'slowest_first_reply';
  limit?: number;
}

export type Refusal = { refused: string };

export const METRIC_DEFINITIONS: Record<Metric, string> = {
  messages: 'Messages people sent (thread replies included; bots and join/leave notices excluded).',
  threads_started: "People's messages that got at least one reply.",
  replies: 'Thread replies people sent.',
  help_replies: "Replies in a thread whose first message asks a question, by someone other than the question's author.",
  reactions_given: 'Emoji reactions a person added to others\u2019 messages.',
  reactions_received: 'Emoji reactions on a person\u2019s messages from others.',
  mentions_given: 'People a person @-mentioned (each distinct person per message).',
  mentions_received: 'Times a person was @-mentioned by someone else.',
  links: 'Links people shared (each distinct URL per message), optionally only some kinds of work item.',
  bot_messages: 'Messages posted by bots and integrations.',
  channels_active_in: 'Distinct channels a person sent at least one message in.',
  active_people: 'Distinct people who sent at least one message.',
  threads: 'Threads started by people (first message by a person, at least one reply).',
  avg_replies_per_thread: 'Average replies by people per thread.',
  avg_participants_per_thread: 'Average distinct people per thread, its author included.',
  median_minutes_to_first_reply: 'Median minutes from a thread\u2019s first message to the first reply by someone else.',
};

export const PERSON_METRICS: ReadonlySet<Metric> = new Set(['channels_active_in']);
export const CHANNEL_ONLY_METRICS: ReadonlySet<Metric> = new Set(['bot_messages', 'active_people']);
