/** Registers every listener Pulse has. */
import type { App } from '@slack/bolt';
import type { ConversationService } from '../../conversation/conversation-service.ts';
import * as directMessage from './events/direct-message.ts';

export interface ListenerDependencies {
  conversations: ConversationService;
  teamId: string;
  botUserId: string;
}

export function registerListeners(app: App, deps: ListenerDependencies): void {
  directMessage.register(app, deps);
}
