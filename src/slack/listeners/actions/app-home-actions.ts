/** Buttons and the model picker in the admin Home tab. Each re-checks admin rights on the server (forged clicks included). */
import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import { ACTION_ID } from '../../ids.ts';
import { buildApiKeyModal, buildBudgetsModal, buildDisconnectModal, buildJoinNoticeModal } from '../../views/settings-modals.ts';
import type { ListenerDependencies } from '../index.ts';

export function register(app: App, deps: ListenerDependencies) {
  app.action<BlockAction<ButtonAction>>(ACTION_ID.setApiKey, async ({ ack, body, client }) => {
    await ack();
    const teamId = deps.teamId;
    if (!(await deps.appHome.authorize(teamId, body.user.id, 'set API key'))) return deps.appHome.publish(teamId, body.user.id);
    const replacing = deps.settings.keyStatus(teamId).kind === 'workspace';
    await client.views.open({ trigger_id: body.trigger_id, view: buildApiKeyModal({ replacing, baseUrl: deps.llmBaseUrl }) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION_ID.removeApiKey, async ({ ack, body }) => {
    await ack();
    const teamId = deps.teamId;
    if (await deps.appHome.authorize(teamId, body.user.id, 'remove API key')) deps.settings.removeApiKey(teamId, body.user.id);
    await deps.appHome.publish(teamId, body.user.id);
  });

  app.action<BlockAction<StaticSelectAction>>(ACTION_ID.selectModel, async ({ ack, body, action }) => {
    await ack();
    const teamId = deps.teamId;
    const model = action.selected_option?.value;
    if (model && (await deps.appHome.authorize(teamId, body.user.id, 'choose model'))) {
      deps.settings.setModel(teamId, model, body.user.id);
    }
    await deps.appHome.publish(teamId, body.user.id);
  });

  app.action<BlockAction<ButtonAction>>(ACTION_ID.testConnection, async ({ ack, body }) => {
    await ack();
    const teamId = deps.teamId;
    if (await deps.appHome.authorize(teamId, body.user.id, 'test connection')) await deps.appHome.testConnection(teamId);
    await deps.appHome.publish(teamId, body.user.id);
  });

  app.action<BlockAction<ButtonAction>>(ACTION_ID.editBudgets, async ({ ack, body, client }) => {
    await ack();
    const teamId = deps.teamId;
    if (!(await deps.appHome.authorize(teamId, body.user.id, 'edit budgets'))) return deps.appHome.publish(teamId, body.user.id);
    await client.views.open({ trigger_id: body.trigger_id, view: buildBudgetsModal(deps.settings.budgets(teamId)) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION_ID.editJoinNotice, async ({ ack, body, client }) => {
    await ack();
    const teamId = deps.teamId;
    if (!(await deps.appHome.authorize(teamId, body.user.id, 'edit the join notice'))) return deps.appHome.publish(teamId, body.user.id);
    const view = buildJoinNoticeModal({ enabled: deps.joinNotices.enabled(teamId), preview: deps.joinNotices.preview(teamId) });
    await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.action<BlockAction<ButtonAction>>(ACTION_ID.disconnect, async ({ ack, body, client }) => {
    await ack();
    const teamId = deps.teamId;
    if (!(await deps.appHome.authorize(teamId, body.user.id, 'disconnect Pulse'))) return deps.appHome.publish(teamId, body.user.id);
    await client.views.open({ trigger_id: body.trigger_id, view: buildDisconnectModal({ kinds: deps.lifecycle.storedData(teamId) }) });
  });
}
