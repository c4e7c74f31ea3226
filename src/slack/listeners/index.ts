/** Registers every listener Pulse has. */
import type { App } from '@slack/bolt';
import type { ConversationService } from '../../conversation/conversation-service.ts';
import type { Logger } from '../../logger.ts';
import * as appMention from './events/app-mention.ts';
import * as message from './events/message.ts';
import * as askPulse from './shortcuts/ask-pulse.ts';
import * as askInstructionSubmitted from './views/ask-instruction-submitted.ts';

export interface ListenerDependencies {
  conversations: ConversationService;
  teamId: string;
  botUserId: string;
  logger: Logger;
}

export function registerListeners(app: App, deps: ListenerDependencies): void {
  message.register(app, deps);
  appMention.register(app, deps);
  askPulse.register(app, deps);
  askInstructionSubmitted.register(app, deps);
}
