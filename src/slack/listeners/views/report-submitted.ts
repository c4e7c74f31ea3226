/** The report modals: create or edit (validated field by field), and delete. */
import type { App } from '@slack/bolt';
import { UserFacingError } from '../../../errors.ts';
import { REPORT_IDS } from '../../ids.ts';
import { readReportModal } from '../../views/report-modals.ts';
import type { ListenerDependencies } from '../index.ts';

/** Reports made in App Home are named after their modal. */
const REPORT_ID_PREFIX = 'home-';
/** How long the modal's checks may take before the ack: Slack shows the person an error after 3 s. */
const VIEW_CHECK_BUDGET_MS = 2_500;
const SLOW_CHECK_PROBLEM = 'Slack was too slow to confirm where this report goes, so nothing was saved. Submit it again.';

const FIELD_BLOCKS = {
  name: REPORT_IDS.block.name,
  question: REPORT_IDS.block.question,
  schedule: REPORT_IDS.block.schedule,
  destination: REPORT_IDS.block.destination,
} as const;

export function register(app: App, deps: ListenerDependencies) {
  const reports = deps.reports;
  if (!reports) return;

  app.view(REPORT_IDS.view.edit, async ({ ack, body, view }) => {
    const teamId = deps.teamId;
    const form = readReportModal(view.state.values);
    // The checks ask Slack about the destination before the ack (their problems show under the fields); Slack gives
    // up on a submission after 3 s, so past the budget the modal says so and nothing is saved.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), VIEW_CHECK_BUDGET_MS);
    try {
      const saving = reports.service.save(
        teamId,
        body.user.id,
        // A new report's id comes from the modal's, so a submission Slack sends again creates nothing more.
        view.private_metadata ? { reportId: view.private_metadata } : { newId: `${REPORT_ID_PREFIX}${view.id}` },
        { name: form.name ?? '', question: form.question, scheduleText: form.scheduleText ?? '', conversationId: form.destinationConversationId },
        deadline.signal,
      );
      const late = new Promise<{ late: true }>((resolve) => deadline.signal.addEventListener('abort', () => resolve({ late: true })));
      const saved = await Promise.race([saving, late]);
      if ('late' in saved) {
        // Whatever the checks still do ends without saving; their failure, if any, is only logged.
        saving.catch((error: unknown) => deps.logger.warn('a report check that ran past its budget failed:', error));
        await ack({ response_action: 'errors', errors: { [REPORT_IDS.block.name]: SLOW_CHECK_PROBLEM } });
        return;
      }
      if ('problems' in saved) {
        const errors = Object.fromEntries(Object.entries(saved.problems).map(([field, problem]) => [FIELD_BLOCKS[field as keyof typeof FIELD_BLOCKS], problem]));
        await ack({ response_action: 'errors', errors });
        return;
      }
      await ack();
    } catch (error) {
      if (!(error instanceof UserFacingError)) throw error;
      await ack({ response_action: 'errors', errors: { [REPORT_IDS.block.name]: error.message } });
      return;
    } finally {
      clearTimeout(timer);
    }
    await deps.appHome.publish(teamId, body.user.id);
  });

  app.view(REPORT_IDS.view.delete, async ({ ack, body, view }) => {
    await ack();
    const teamId = deps.teamId;
    try {
      await reports.service.delete(teamId, body.user.id, view.private_metadata);
    } catch (error) {
      if (!(error instanceof UserFacingError)) throw error;
      deps.logger.warn(`report delete refused for ${body.user.id}: ${error.message}`);
      deps.appHome.notifyAboutReports(teamId, body.user.id, error.message);
    }
    await deps.appHome.publish(teamId, body.user.id);
  });
}
