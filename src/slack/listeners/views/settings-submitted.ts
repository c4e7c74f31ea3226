/**
 * The admin modals' submissions: the API key (validated before saving), the
 * budgets, the channel join notice, and Disconnect. Each re-checks admin
 * rights, so a forged submission changes nothing.
 */
import type { App, types } from '@slack/bolt';
import { ACTION_ID, BLOCK_ID, VIEW_ID } from '../../ids.ts';
import { createErrorReference } from '../../../errors.ts';
import type { DeletionSummary } from '../../../lifecycle/workspace-lifecycle.ts';
import { buildDisconnectedHome, disconnectFailedNotice } from '../../views/app-home.ts';
import { DISCONNECT_CONFIRMATION_WORD, parseBudgetInput } from '../../views/settings-modals.ts';
import type { ListenerDependencies } from '../index.ts';

const NOT_ADMIN = 'Only Pulse admins can change this. Ask one of your workspace admins.';

export function register(app: App, deps: ListenerDependencies) {
  app.view(VIEW_ID.apiKey, async ({ ack, body, view }) => {
    const teamId = deps.teamId;
    if (!(await deps.appHome.authorize(teamId, body.user.id, 'save API key'))) {
      await ack({ response_action: 'errors', errors: { [BLOCK_ID.apiKey]: NOT_ADMIN } });
      return;
    }
    const value = view.state.values[BLOCK_ID.apiKey]?.[ACTION_ID.apiKeyInput]?.value ?? '';
    // Validation waits on the provider; Slack keeps the modal open (with a spinner) until the ack.
    const result = await deps.settings.setApiKey(teamId, value, body.user.id);
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: { [BLOCK_ID.apiKey]: result.message } });
      return;
    }
    await ack();
    deps.appHome.rememberModels(teamId, result.models);
    await deps.appHome.publish(teamId, body.user.id);
  });

  app.view(VIEW_ID.budgets, async ({ ack, body, view }) => {
    const teamId = deps.teamId;
    if (!(await deps.appHome.authorize(teamId, body.user.id, 'save budgets'))) {
      await ack({ response_action: 'errors', errors: { [BLOCK_ID.teamBudget]: NOT_ADMIN } });
      return;
    }
    const team = parseBudgetInput(view.state.values[BLOCK_ID.teamBudget]?.[ACTION_ID.teamBudgetInput]?.value);
    const perUser = parseBudgetInput(view.state.values[BLOCK_ID.userBudget]?.[ACTION_ID.userBudgetInput]?.value);
    if (!team.ok || !perUser.ok) {
      await ack({
        response_action: 'errors',
        errors: {
          ...(team.ok ? {} : { [BLOCK_ID.teamBudget]: team.message }),
          ...(perUser.ok ? {} : { [BLOCK_ID.userBudget]: perUser.message }),
        },
      });
      return;
    }
    await ack();
    deps.settings.setBudgets(teamId, { team: team.value, perUser: perUser.value }, body.user.id);
    await deps.appHome.publish(teamId, body.user.id);
  });

  app.view(VIEW_ID.joinNotice, async ({ ack, body, view }) => {
    const teamId = deps.teamId;
    if (!(await deps.appHome.authorize(teamId, body.user.id, 'save the join notice setting'))) {
      await ack({ response_action: 'errors', errors: { [BLOCK_ID.joinNotice]: NOT_ADMIN } });
      return;
    }
    await ack();
    const enabled = view.state.values[BLOCK_ID.joinNotice]?.[ACTION_ID.joinNoticeSelect]?.selected_option?.value !== 'false';
    deps.joinNotices.setEnabled(teamId, enabled, body.user.id);
    deps.appHome.notify(
      teamId,
      body.user.id,
      enabled ? 'Channel join notices are on: Pulse posts its notice once in each channel it joins.' : 'Channel join notices are off: Pulse joins channels without a notice.',
    );
    await deps.appHome.publish(teamId, body.user.id);
  });

  app.view(VIEW_ID.disconnect, async ({ ack, body, view, client }) => {
    const teamId = deps.teamId;
    if (!(await deps.appHome.authorize(teamId, body.user.id, 'disconnect Pulse'))) {
      await ack({ response_action: 'errors', errors: { [BLOCK_ID.disconnectConfirmation]: NOT_ADMIN } });
      return;
    }
    const typed = view.state.values[BLOCK_ID.disconnectConfirmation]?.[ACTION_ID.disconnectConfirmationInput]?.value?.trim() ?? '';
    if (typed !== DISCONNECT_CONFIRMATION_WORD) {
      await ack({
        response_action: 'errors',
        errors: { [BLOCK_ID.disconnectConfirmation]: `Type ${DISCONNECT_CONFIRMATION_WORD} (in capitals) to disconnect, or Cancel.` },
      });
      return;
    }
    await ack();
    let summary: DeletionSummary;
    try {
      summary = await deps.lifecycle.disconnect(teamId, 'admin', body.user.id);
    } catch (error) {
      const reference = createErrorReference();
      deps.logger.error(`workspace ${teamId}: Disconnect failed (ref ${reference}); nothing was deleted or revoked:`, error);
      deps.appHome.notify(teamId, body.user.id, disconnectFailedNotice(teamId, reference));
      await deps.appHome.publish(teamId, body.user.id);
      return;
    }
    // No other Home tab may land after the farewell one (a sync's progress, a late model list).
    await deps.appHome.close(teamId);
    // The farewell Home tab goes out while the token still works; the revocation is the last call Pulse makes here.
    await client.views
      .publish({ user_id: body.user.id, view: buildDisconnectedHome(summary) as unknown as types.HomeView })
      .catch((error: unknown) => deps.logger.warn('could not show the disconnected Home tab:', error));
    await client.auth.revoke().then(
      () => deps.logger.info(`workspace ${teamId}: Pulse's bot token is revoked.`),
      (error: unknown) => deps.logger.error(`workspace ${teamId}: revoking Pulse's bot token failed; revoke it by removing the app in Slack:`, error),
    );
  });
}
