/** The analytics buttons in the admin Home tab. Each re-checks admin rights on the server. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTION_ID } from '../../ids.ts';
import { buildAnalyticsSettingsModal, buildDeleteAnalyticsModal, buildMetricsExportModal, METRICS_EXPORT_IDS } from '../../views/analytics-home.ts';
import type { ListenerDependencies } from '../index.ts';

export function register(app: App, deps: ListenerDependencies) {
  registerMetricsExport(app, deps);
  app.action<BlockAction<ButtonAction>>(ACTION_ID.syncNow, async ({ ack, body }) => {
    await ack();
    const teamId = deps.teamId;
    if (await deps.appHome.authorize(teamId, body.user.id, 'sync analytics')) {
      deps.appHome.watchSync(teamId, body.user.id);
      void deps.analyticsSync.sync(teamId, 'manual').catch((error: unknown) => deps.logger.error('manual analytics sync failed:', error));
    }
    await deps.appHome.publish(teamId, body.user.id);
  });

  app.action<BlockAction<ButtonAction>>(ACTION_ID.resumeAnalytics, async ({ ack, body }) => {
    await ack();
    const teamId = deps.teamId;
    if (await deps.appHome.authorize(teamId, body.user.id, 'resume analytics')) {
      deps.analyticsSettings.update(teamId, { enabled: true }, body.user.id);
      deps.appHome.watchSync(teamId, body.user.id);
      void deps.analyticsSync.sync(teamId, 'manual').catch((error: unknown) => deps.logger.error('analytics sync failed:', error));
    }
    await deps.appHome.publish(teamId, body.user.id);
  });

  app.action<BlockAction<ButtonAction>>(ACTION_ID.editAnalytics, async ({ ack, body, client }) => {
    await ack();
    const teamId = deps.teamId;
    if (!(await deps.appHome.authorize(teamId, body.user.id, 'edit analytics settings'))) return deps.appHome.publish(teamId, body.user.id);
    await client.views.open({ trigger_id: body.trigger_id, view: buildAnalyticsSettingsModal(deps.analyticsSettings.get(teamId)) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION_ID.deleteAnalytics, async ({ ack, body, client }) => {
    await ack();
    const teamId = deps.teamId;
    if (!(await deps.appHome.authorize(teamId, body.user.id, 'delete analytics data'))) return deps.appHome.publish(teamId, body.user.id);
    await client.views.open({ trigger_id: body.trigger_id, view: buildDeleteAnalyticsModal(deps.analyticsSettings.storedCounts(teamId)) });
  });
}

/** "Export metrics (CSV)": admins get the date-range modal; anyone else gets their own Home tab back. */
export function registerMetricsExport(app: App, deps: ListenerDependencies) {
  app.action<BlockAction<ButtonAction>>(METRICS_EXPORT_IDS.action.open, async ({ ack, body, client }) => {
    await ack();
    const teamId = deps.teamId;
    if (!(await deps.appHome.authorize(teamId, body.user.id, 'export metrics'))) return deps.appHome.publish(teamId, body.user.id);
    await client.views.open({ trigger_id: body.trigger_id, view: buildMetricsExportModal(deps.metricsExport.exportDefaults(teamId)) });
  });
}
