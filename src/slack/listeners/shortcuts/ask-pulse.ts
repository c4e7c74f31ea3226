/**
 * Message shortcuts "Ask Pulse" and "Ask Pulse in DM": open the modal for an
 * optional instruction, or explain why Pulse cannot read that conversation.
 */
import type { App, MessageShortcut } from '@slack/bolt';
import { checkConversationAccess } from '../../conversation-access.ts';
import { SHORTCUT_ID } from '../../ids.ts';
import { buildAskInstructionModal, buildAskUnavailableModal, type AskMode } from '../../views/ask-modals.ts';
import type { ListenerDependencies } from '../index.ts';

export function register(app: App, deps: ListenerDependencies) {
  const open = (mode: AskMode) =>
    async ({ shortcut, ack, client }: { shortcut: MessageShortcut; ack: () => Promise<void>; client: App['client'] }) => {
      await ack();
      const access = await checkConversationAccess(client, shortcut.channel.id);
      const message = shortcut.message as { ts: string; thread_ts?: string; user?: string; text?: string };
      const view =
        access === 'readable'
          ? buildAskInstructionModal(
              { mode, channelId: shortcut.channel.id, messageTs: message.ts, threadTs: message.thread_ts ?? message.ts },
              { ...(message.user ? { authorId: message.user } : {}), text: message.text ?? '' },
            )
          : buildAskUnavailableModal(access);
      await client.views.open({ trigger_id: shortcut.trigger_id, view });
      deps.logger.debug(`shortcut ${mode} on ${shortcut.channel.id}/${message.ts}: ${access}`);
    };
  app.shortcut<MessageShortcut>(SHORTCUT_ID.askPulse, open('thread'));
  app.shortcut<MessageShortcut>(SHORTCUT_ID.askPulseInDm, open('dm'));
}
