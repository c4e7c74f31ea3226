/**
 * Report buttons: Re-run now and Pause under a delivered report, Confirm and
 * Cancel under a proposal, and App Home's New report and per-report menu.
 * The service re-checks who may do what; a refusal is told to the clicker only.
 */
import type { App, BlockAction, ButtonAction, OverflowAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { UserFacingError } from '../../../errors.ts';
import { REPORT_IDS } from '../../ids.ts';
import { buildProposalResolved } from '../../views/report-blocks.ts';
import { buildDeleteReportModal, buildReportModal } from '../../views/report-modals.ts';
import type { ListenerDependencies } from '../index.ts';

export function register(app: App, deps: ListenerDependencies) {
  const reports = deps.reports;
  if (!reports) return;
  /** Tells only the clicker, where they clicked (a Home tab click has no channel: the Home tab is re-published instead). */
  const tell = async (client: WebClient, body: BlockAction, text: string) => {
    const channel = body.channel?.id;
    if (channel) await client.chat.postEphemeral({ channel, user: body.user.id, text, ...(body.message?.thread_ts ? { thread_ts: body.message.thread_ts } : {}) });
  };
  /** Runs a report action, turning a refusal into a message to the clicker. */
  const guarded = async (client: WebClient, body: BlockAction, work: () => Promise<string | undefined>) => {
    try {
      const done = await work();
      if (done) await tell(client, body, done);
    } catch (error) {
      if (!(error instanceof UserFacingError)) throw error;
      deps.logger.warn(`report action refused for ${body.user.id}: ${error.message}`);
      await tell(client, body, error.message);
    }
  };

  app.action<BlockAction<ButtonAction>>(REPORT_IDS.action.rerun, async ({ ack, body, action, client }) => {
    await ack();
    await guarded(client, body, async () => {
      const report = await reports.service.rerun(deps.teamId, body.user.id, action.value ?? '');
      return `Running “${report.name}” again now.`;
    });
  });

  app.action<BlockAction<ButtonAction>>(REPORT_IDS.action.pause, async ({ ack, body, action, client }) => {
    await ack();
    await guarded(client, body, async () => {
      const report = await reports.service.pause(deps.teamId, body.user.id, action.value ?? '');
      return `Paused “${report.name}”. Resume it from my App Home, under Scheduled reports.`;
    });
  });

  app.action<BlockAction<ButtonAction>>(REPORT_IDS.action.confirmProposal, async ({ ack, body, action, client }) => {
    await ack();
    const teamId = deps.teamId;
    const proposal = reports.service.proposal(teamId, action.value ?? '');
    const outcome = reports.service.confirm(teamId, body.user.id, action.value ?? '');
    if ('problem' in outcome) {
      if (proposal && outcome.expired && body.channel?.id && body.message?.ts) {
        await client.chat.update({ channel: body.channel.id, ts: body.message.ts, ...buildProposalResolved(proposal, { kind: 'expired' }) });
      }
      await tell(client, body, outcome.problem);
      return;
    }
    if (proposal && body.channel?.id && body.message?.ts) {
      const resolved = buildProposalResolved(proposal, { kind: 'created', nextRunAt: outcome.report.nextRunAt ?? 0, timeZone: reports.timeZone });
      await client.chat.update({ channel: body.channel.id, ts: body.message.ts, ...resolved });
    }
  });

  app.action<BlockAction<ButtonAction>>(REPORT_IDS.action.cancelProposal, async ({ ack, body, action, client }) => {
    await ack();
    const teamId = deps.teamId;
    const proposal = reports.service.proposal(teamId, action.value ?? '');
    const outcome = reports.service.cancel(teamId, body.user.id, action.value ?? '');
    if (outcome.problem) return tell(client, body, outcome.problem);
    if (proposal && body.channel?.id && body.message?.ts) {
      await client.chat.update({ channel: body.channel.id, ts: body.message.ts, ...buildProposalResolved(proposal, { kind: 'cancelled' }) });
    }
  });

  app.action<BlockAction<ButtonAction>>(REPORT_IDS.action.create, async ({ ack, body, client }) => {
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: buildReportModal({ mode: 'create', timeZone: reports.timeZone }) });
  });

  app.action<BlockAction<OverflowAction>>(REPORT_IDS.action.manage, async ({ ack, body, action, client }) => {
    await ack();
    const teamId = deps.teamId;
    const [verb, reportId = ''] = action.selected_option.value.split(':');
    try {
      if (verb === 'edit') {
        const report = await reports.service.manageable(teamId, body.user.id, reportId);
        await client.views.open({ trigger_id: body.trigger_id, view: buildReportModal({ mode: 'edit', report, timeZone: reports.timeZone }) });
        return;
      }
      if (verb === 'delete') {
        const report = await reports.service.manageable(teamId, body.user.id, reportId);
        await client.views.open({ trigger_id: body.trigger_id, view: buildDeleteReportModal(report) });
        return;
      }
      if (verb === 'pause') await reports.service.pause(teamId, body.user.id, reportId);
      else if (verb === 'resume') await reports.service.resume(teamId, body.user.id, reportId);
      else if (verb === 'run') await reports.service.rerun(teamId, body.user.id, reportId);
    } catch (error) {
      if (!(error instanceof UserFacingError)) throw error;
      deps.logger.warn(`report ${verb} refused for ${body.user.id}: ${error.message}`);
      deps.appHome.notifyAboutReports(teamId, body.user.id, error.message);
    }
    await deps.appHome.publish(teamId, body.user.id);
  });
}
