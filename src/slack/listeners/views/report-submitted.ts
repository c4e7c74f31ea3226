/** The report modals: create or edit (validated field by field), and delete. */
import type { App } from '@slack/bolt';
import { UserFacingError } from '../../../errors.ts';
import type { ReportDestination } from '../../../reports/report-types.ts';
import { REPORT_IDS } from '../../views/report-blocks.ts';
import { readReportModal } from '../../views/report-modals.ts';
import type { ListenerDependencies } from '../index.ts';

const FIELD_BLOCKS = {
  name: REPORT_IDS.block.name,
  question: REPORT_IDS.block.question,
  schedule: REPORT_IDS.block.schedule,
  destination: REPORT_IDS.block.destination,
} as const;

export function register(app: App, deps: ListenerDependencies) {
  const reports = deps.reports;
  if (!reports) return;

  app.view(REPORT_IDS.view.edit, async ({ ack, body, view, client }) => {
    const teamId = body.team?.id ?? deps.teamId;
    const form = readReportModal(view.state.values);
    // A picked conversation: a channel, the person's DM with Pulse, or a group DM (its members).
    let destination: ReportDestination | undefined;
    if (form.destinationConversationId) {
      const info = await client.conversations.info({ channel: form.destinationConversationId }).catch(() => undefined);
      const channel = info?.channel;
      if (channel?.is_im) destination = { kind: 'dm', userId: body.user.id };
      else if (channel?.is_mpim) {
        const members = await client.conversations.members({ channel: form.destinationConversationId });
        destination = { kind: 'group_dm', userIds: (members.members ?? []).filter((id) => id !== deps.botUserId) };
      } else destination = { kind: 'channel', channelId: form.destinationConversationId };
    }
    try {
      const saved = await reports.service.save(teamId, body.user.id, view.private_metadata || undefined, {
        name: form.name ?? '',
        question: form.question,
        scheduleText: form.scheduleText ?? '',
        destination,
      });
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
    }
    await deps.appHome.publish(teamId, body.user.id);
  });
}
