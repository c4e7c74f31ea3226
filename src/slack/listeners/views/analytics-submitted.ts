/** The analytics modals' submissions: settings (validated, with their effect on stored data) and "delete all". */
import type { App, ViewStateValue } from '@slack/bolt';
import {
  describeDaysProblem,
  describePatternProblem,
  MAX_LOOKBACK_DAYS,
  MAX_RETENTION_DAYS,
  type AnalyticsSettings,
} from '../../../analytics/analytics-settings.ts';
import { describeExportOutcome, describeExportRangeProblem } from '../../../analytics/metrics-export.ts';
import { createErrorReference, describeErrorForUser, UserFacingError } from '../../../errors.ts';
import { ACTION_ID, BLOCK_ID, VIEW_ID } from '../../ids.ts';
import { DELETE_CONFIRMATION_WORD, METRICS_EXPORT_IDS } from '../../views/analytics-home.ts';
import type { ListenerDependencies } from '../index.ts';

const NOT_ADMIN = 'Only Pulse admins can change this. Ask one of your workspace admins.';

type Values = Record<string, Record<string, ViewStateValue>>;

const textOf = (values: Values, block: string, action: string) => values[block]?.[action]?.value?.trim() ?? '';
const choiceOf = (values: Values, block: string, action: string) => values[block]?.[action]?.selected_option?.value;
const dateOf = (values: Values, block: string, action: string) => values[block]?.[action]?.selected_date?.trim() ?? '';

export function register(app: App, deps: ListenerDependencies) {
  registerMetricsExportSubmitted(app, deps);
  app.view(VIEW_ID.analyticsSettings, async ({ ack, body, view }) => {
    const teamId = deps.teamId;
    if (!(await deps.appHome.authorize(teamId, body.user.id, 'save analytics settings'))) {
      await ack({ response_action: 'errors', errors: { [BLOCK_ID.lookbackDays]: NOT_ADMIN } });
      return;
    }
    const values = view.state.values as Values;
    const pattern = textOf(values, BLOCK_ID.autoJoinPattern, ACTION_ID.autoJoinPatternInput);
    const lookback = textOf(values, BLOCK_ID.lookbackDays, ACTION_ID.lookbackDaysInput);
    const retention = textOf(values, BLOCK_ID.retentionDays, ACTION_ID.retentionDaysInput);
    const errors: Record<string, string> = {};
    const patternProblem = pattern === '' ? undefined : describePatternProblem(pattern);
    if (patternProblem) errors[BLOCK_ID.autoJoinPattern] = patternProblem;
    const lookbackProblem = describeDaysProblem(lookback, 'History', MAX_LOOKBACK_DAYS);
    if (lookbackProblem) errors[BLOCK_ID.lookbackDays] = lookbackProblem;
    const retentionProblem = describeDaysProblem(retention, 'Retention', MAX_RETENTION_DAYS);
    if (retentionProblem) errors[BLOCK_ID.retentionDays] = retentionProblem;
    if (!lookbackProblem && !retentionProblem && Number(retention) < Number(lookback)) {
      errors[BLOCK_ID.retentionDays] = 'Keep data at least as long as the history Pulse reads, or the next sync reads what retention deletes.';
    }
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const before = deps.analyticsSettings.get(teamId);
    const changes: Partial<AnalyticsSettings> = {
      autoJoinPattern: pattern === '' ? undefined : pattern,
      lookbackDays: Number(lookback),
      retentionDays: Number(retention),
      storeText: choiceOf(values, BLOCK_ID.storeText, ACTION_ID.storeTextSelect) === 'true',
      pseudonymize: choiceOf(values, BLOCK_ID.pseudonymize, ACTION_ID.pseudonymizeSelect) === 'true',
      personFiguresFor: choiceOf(values, BLOCK_ID.personFigures, ACTION_ID.personFiguresSelect) === 'everyone' ? 'everyone' : 'admins',
    };
    // Stored rows are about to be rewritten in another form: the running sync must not add old-form rows after.
    if (changes.pseudonymize !== before.pseudonymize) await deps.analyticsSync.cancel(teamId);
    const effects = deps.analyticsSettings.update(teamId, changes, body.user.id);
    const notes = ['Analytics settings saved.'];
    if (effects.purgedMessages !== undefined) {
      notes.push(`People are now stored ${changes.pseudonymize ? 'as pseudonyms' : 'as Slack ids'}: ${effects.purgedMessages.toLocaleString('en-US')} stored messages were deleted and will be read again on the next sync.`);
    }
    if (effects.erasedText) notes.push('Stored message text was erased.');
    deps.appHome.notify(teamId, body.user.id, notes.join(' '));
    await deps.appHome.publish(teamId, body.user.id);
  });

  app.view(VIEW_ID.deleteAnalytics, async ({ ack, body, view }) => {
    const teamId = deps.teamId;
    if (!(await deps.appHome.authorize(teamId, body.user.id, 'delete analytics data'))) {
      await ack({ response_action: 'errors', errors: { [BLOCK_ID.deleteConfirmation]: NOT_ADMIN } });
      return;
    }
    const typed = textOf(view.state.values as Values, BLOCK_ID.deleteConfirmation, ACTION_ID.deleteConfirmationInput);
    if (typed !== DELETE_CONFIRMATION_WORD) {
      await ack({ response_action: 'errors', errors: { [BLOCK_ID.deleteConfirmation]: `Type ${DELETE_CONFIRMATION_WORD} (in capitals) to delete, or Cancel.` } });
      return;
    }
    await ack();
    await deps.analyticsSync.cancel(teamId);
    const removed = deps.analyticsSettings.deleteAllData(teamId, body.user.id);
    deps.appHome.notify(
      teamId,
      body.user.id,
      `Deleted all analytics data: ${removed.toLocaleString('en-US')} messages' metadata and every channel's sync state. Syncing is paused until you resume it.`,
    );
    await deps.appHome.publish(teamId, body.user.id);
  });
}

/** The export modal: admin re-checked, dates checked (the modal stays open on a problem), then the files go to the DM. */
export function registerMetricsExportSubmitted(app: App, deps: ListenerDependencies) {
  const { block, action } = METRICS_EXPORT_IDS;
  app.view(METRICS_EXPORT_IDS.view, async ({ ack, body, view }) => {
    const teamId = deps.teamId;
    const userId = body.user.id;
    if (!(await deps.appHome.authorize(teamId, userId, 'export metrics'))) {
      await ack({ response_action: 'errors', errors: { [block.from]: NOT_ADMIN } });
      return;
    }
    const exporter = deps.metricsExport;
    const values = view.state.values as Values;
    const from = dateOf(values, block.from, action.fromInput);
    const to = dateOf(values, block.to, action.toInput);
    const problem = describeExportRangeProblem(from, to, exporter.exportDefaults(teamId).retentionDays);
    if (problem) {
      await ack({ response_action: 'errors', errors: { [problem.field === 'from' ? block.from : block.to]: problem.message } });
      return;
    }
    await ack();
    let notice: string;
    try {
      notice = describeExportOutcome(await exporter.exportToDm({ teamId, userId }, { from, to }));
    } catch (error) {
      const reference = createErrorReference();
      deps.logger.error(`metrics export for ${userId} failed (ref ${reference}):`, error);
      notice =
        error instanceof UserFacingError
          ? `No export was sent: ${describeErrorForUser(error, reference)}`
          : `No export was sent: something went wrong on Pulse's side (ref \`${reference}\`). Try again; if it keeps happening, share the ref with whoever runs Pulse.`;
    }
    deps.appHome.notify(teamId, userId, notice);
    await deps.appHome.publish(teamId, userId);
  });
}
