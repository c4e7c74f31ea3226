/** assistant_thread_started: someone opened Pulse in Slack's AI apps panel. */
import type { App } from '@slack/bolt';
import type { ListenerDependencies } from '../index.ts';

interface AssistantThreadStartedEvent {
  assistant_thread?: { channel_id?: string; thread_ts?: string };
}

export function register(app: App, deps: ListenerDependencies) {
  app.event('assistant_thread_started', async ({ event }) => {
    const thread = (event as AssistantThreadStartedEvent).assistant_thread;
    if (thread?.channel_id && thread.thread_ts) deps.assistantThreads.add(thread.channel_id, thread.thread_ts);
  });
}
