/** The report modals: create or edit (validated field by field), and delete. */
import type { App } from '@slack/bolt';
import { UserFacingError } from '../../../errors.ts';
import { REPORT_IDS } from '../../ids.ts';
import { readReportModal } from '../../views/report-modals.ts';
import type { ListenerDependencies } from '../index.ts';

/** Reports made in App Home are named after their modal. */
const REPORT_ID_PREFIX = 'home-';

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
    const teamId = body.team?.id ?? deps.teamId;
    const form = readReportModal(view.state.values);
    try {
      const saved = await reports.service.save(
        teamId,
        body.user.id,
        // A new report's id comes from the modal's, so a submission Slack sends again creates nothing more.
        view.private_metadata ? { reportId: view.private_metadata } : { newId: `${REPORT_ID_PREFIX}${view.id}` },
        { name: form.name ?? '', question: form.question, scheduleText: form.scheduleText ?? '', conversationId: form.destinationConversationId },
      );
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
    }
    await deps.appHome.publish(teamId, body.user.id);
  });

  app.view(REPORT_IDS.view.delete, async ({ ack, body, view }) => {
    await ack();
    const teamId = body.team?.id ?? deps.teamId;
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
