/** The admin modals' submissions: the API key (validated before saving) and the budgets. */
import type { App } from '@slack/bolt';
import { ACTION_ID, BLOCK_ID, VIEW_ID } from '../../ids.ts';
import { parseBudgetInput } from '../../views/settings-modals.ts';
import type { ListenerDependencies } from '../index.ts';

const NOT_ADMIN = 'Only Pulse admins can change this. Ask one of your workspace admins.';

export function register(app: App, deps: ListenerDependencies) {
  app.view(VIEW_ID.apiKey, async ({ ack, body, view }) => {
    const teamId = body.team?.id ?? deps.teamId;
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
    const teamId = body.team?.id ?? deps.teamId;
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
}
