/** The shortcut's modal was submitted: record the question (answered in the thread or in the asker's DM). */
import type { App } from '@slack/bolt';
import { ACTION_ID, BLOCK_ID, VIEW_ID } from '../../ids.ts';
import { decodeAskTarget } from '../../views/ask-modals.ts';
import type { ListenerDependencies } from '../index.ts';

export function register(app: App, deps: ListenerDependencies) {
  app.view(VIEW_ID.askInstruction, async ({ ack, body, view, client }) => {
    const target = decodeAskTarget(view.private_metadata);
    // The view id keys the question (a resubmission is a no-op) and the asker is a Slack user id:
    // a submission without them is not a form Pulse opened.
    if (!target || typeof view.id !== 'string' || typeof body.user?.id !== 'string') {
      await ack({
        response_action: 'errors',
        errors: { [BLOCK_ID.instruction]: 'This form is out of date. Close it and run the shortcut again.' },
      });
      return;
    }
    const userId = body.user.id;
    const typed: unknown = view.state.values[BLOCK_ID.instruction]?.[ACTION_ID.instructionInput]?.value;
    const instruction = typeof typed === 'string' ? typed : '';
    // The private answer's DM is opened before the modal closes, so a failure can be said in the modal.
    let dmChannel: string | undefined;
    if (target.mode === 'dm') {
      dmChannel = await client.conversations.open({ users: userId }).then(
        (opened) => opened.channel?.id,
        (error: unknown) => {
          deps.logger.warn(`could not open a DM with ${userId}:`, error);
          return undefined;
        },
      );
      if (!dmChannel) {
        await ack({
          response_action: 'errors',
          errors: { [BLOCK_ID.instruction]: "I couldn't open a DM with you to answer privately. Please try again." },
        });
        return;
      }
    }
    await ack();
    deps.conversations.submit({
      // Questions belong to the workspace Pulse is installed in, whatever team id the payload names.
      teamId: deps.teamId,
      dedupeKey: `view:${view.id}`,
      source: target.mode === 'dm' ? 'shortcut_dm' : 'shortcut',
      userId,
      channelId: target.channelId,
      messageTs: target.messageTs,
      threadTs: target.threadTs,
      instruction,
      replyChannelId: target.mode === 'dm' ? (dmChannel as string) : target.channelId,
      replyThreadTs: target.mode === 'dm' ? undefined : target.threadTs,
      statusTs: target.mode === 'dm' ? undefined : target.messageTs,
    });
  });
}
