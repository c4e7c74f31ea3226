/**
 * Report use cases: propose (the agent) → Confirm (the asker), create and
 * edit from App Home, pause, resume, re-run, delete. Access is checked here,
 * on every call: only a report's owner and admins change it, and a report
 * only goes where its owner may see the data.
 */
import { randomUUID } from 'node:crypto';
import { UserFacingError } from '../errors.ts';
import type { ReportProposalStore } from '../db/report-proposal-store.ts';
import type { ReportStore } from '../db/report-store.ts';
import type { Clock } from './clock.ts';
import { metricQuerySchema } from './metric-report.ts';
import { nextRunAfter, parseSchedule } from './report-schedule.ts';
import type { ReportScheduler } from './report-scheduler.ts';
import type { Report, ReportDestination, ReportProposal, ReportWork } from './report-types.ts';

/** How long a proposal's Confirm button works. */
export const PROPOSAL_TTL_MS = 24 * 60 * 60_000;
/** Reports per workspace: a bound on the scheduler's work and App Home's list. */
export const MAX_REPORTS_PER_WORKSPACE = 100;
/** A report's name, as shown in its header (Slack's header block allows 150). */
export const MAX_REPORT_NAME = 80;
/** A saved question, about a long Slack message. */
export const MAX_REPORT_QUESTION = 2_000;
/** Where a report goes, as typed: a channel name or up to 8 people's mentions fit well within it. */
export const MAX_DESTINATION_TEXT = 300;

/** What Slack does for reports (src/slack implements it). */
export interface ReportSlackPort {
  /** "#eng-leads", "<#C1|eng-leads>", "C1", "me", "<@U1> <@U2>" → where to post; a problem sentence when it can't be. */
  resolveDestination(teamId: string, askerId: string, text: string): Promise<ReportDestination | { problem: string }>;
  /** The conversation a person picked in App Home's menu → where to post (their DM with Pulse, a group DM, a channel). */
  destinationOfConversation(teamId: string, userId: string, conversationId: string): Promise<ReportDestination | { problem: string }>;
  /** Undefined when the owner may see what is posted there; else why not (the owner is not in that channel…). */
  destinationProblem(teamId: string, ownerId: string, destination: ReportDestination): Promise<string | undefined>;
  describeDestination(destination: ReportDestination): string;
  isAdmin(teamId: string, userId: string): Promise<boolean>;
  postProposal(where: { channelId: string; threadTs: string }, proposal: ReportProposal): Promise<void>;
}

export interface ProposeInput {
  teamId: string;
  askerId: string;
  thread: { channelId: string; threadTs: string } | undefined;
  name: string;
  schedule: string;
  destination: string;
  question?: string | undefined;
  metric?: Record<string, unknown> | undefined;
  chart?: 'none' | 'bar' | 'line' | undefined;
}

export interface ReportForm {
  name: string;
  question?: string | undefined;
  scheduleText: string;
  /** The conversation picked in the modal; none when editing keeps the report's destination. */
  conversationId: string | undefined;
}

export type FormProblems = Partial<Record<'name' | 'question' | 'schedule' | 'destination', string>>;

export interface ReportServiceDependencies {
  store: ReportStore;
  proposals: ReportProposalStore;
  scheduler: Pick<ReportScheduler, 'wake' | 'runNow'>;
  slack: ReportSlackPort;
  clock: Clock;
  timeZone: string;
}

export class ReportService {
  constructor(private readonly deps: ReportServiceDependencies) {}

  /** The agent's propose_report: checks everything, stores the proposal and shows Confirm/Cancel to the asker. */
  async propose(input: ProposeInput): Promise<string> {
    const { store, slack, clock, timeZone } = this.deps;
    if (!input.thread) return 'Reports can only be proposed in a conversation with the person asking.';
    const work = this.workOf(input);
    if ('problem' in work) return work.problem;
    const name = input.name.trim().slice(0, MAX_REPORT_NAME);
    if (name === '') return 'Give the report a short name.';
    const schedule = parseSchedule(input.schedule, timeZone);
    if (!schedule.ok) return schedule.problem;
    const destination = await slack.resolveDestination(input.teamId, input.askerId, input.destination);
    if ('problem' in destination) return destination.problem;
    const problem = await slack.destinationProblem(input.teamId, input.askerId, destination);
    if (problem) return problem;
    if (store.list(input.teamId).length >= MAX_REPORTS_PER_WORKSPACE) {
      return `This workspace already has ${MAX_REPORTS_PER_WORKSPACE} reports, the most Pulse keeps; an admin can delete some in App Home.`;
    }
    const now = clock.now();
    const proposal: ReportProposal = {
      id: randomUUID(),
      teamId: input.teamId,
      proposerId: input.askerId,
      name,
      work,
      destination,
      schedule: schedule.schedule,
      createdAt: now,
      expiresAt: now + PROPOSAL_TTL_MS,
    };
    this.deps.proposals.save(proposal);
    await slack.postProposal(input.thread, proposal);
    return (
      `Proposed "${name}" (${schedule.schedule.description}, ${timeZone}) to ${slack.describeDestination(destination)}; ` +
      'Confirm and Cancel buttons are shown under your answer. It is created only when the asker clicks Confirm. ' +
      'Tell them briefly what it will post and when; do not say it is already set up.'
    );
  }

  /** The asker clicked Confirm: creates the report once, however often they click. */
  confirm(teamId: string, userId: string, proposalId: string): { report: Report } | { problem: string; expired?: boolean } {
    const { store, clock } = this.deps;
    const proposal = this.deps.proposals.get(teamId, proposalId);
    if (!proposal) return { problem: 'That proposal no longer exists.' };
    if (proposal.proposerId !== userId) return { problem: `Only <@${proposal.proposerId}>, who asked for this report, can confirm it.` };
    if (proposal.state === 'created' && proposal.reportId) {
      const existing = store.get(teamId, proposal.reportId);
      if (existing) return { report: existing };
      return { problem: 'The report made from this proposal was deleted since; ask me again to set it up.' };
    }
    if (proposal.state !== 'pending') return { problem: 'This proposal was cancelled.' };
    const now = clock.now();
    if (now > proposal.expiresAt) return { problem: 'This proposal expired; ask me again to set the report up.', expired: true };
    if (store.list(teamId).length >= MAX_REPORTS_PER_WORKSPACE) {
      return { problem: `This workspace already has ${MAX_REPORTS_PER_WORKSPACE} reports, the most Pulse keeps; delete one in App Home first.` };
    }
    const id = randomUUID();
    const report = store.inTransaction(() => {
      if (!this.deps.proposals.resolve(teamId, proposalId, 'created', id)) return undefined;
      return store.create({
        id,
        teamId,
        ownerId: proposal.proposerId,
        name: proposal.name,
        work: proposal.work,
        destination: proposal.destination,
        schedule: proposal.schedule,
        nextRunAt: nextRunAfter(proposal.schedule, now),
        now,
      });
    });
    if (!report) return { problem: 'This proposal was already handled.' };
    this.deps.scheduler.wake();
    return { report };
  }

  cancel(teamId: string, userId: string, proposalId: string): { problem?: string } {
    const proposal = this.deps.proposals.get(teamId, proposalId);
    if (!proposal) return { problem: 'That proposal no longer exists.' };
    if (proposal.proposerId !== userId) return { problem: `Only <@${proposal.proposerId}> can cancel this proposal.` };
    if (!this.deps.proposals.resolve(teamId, proposalId, 'cancelled', null)) {
      return {
        problem:
          proposal.state === 'created'
            ? 'This report was already confirmed. Pause or delete it in my App Home, under Scheduled reports.'
            : 'This proposal was already cancelled.',
      };
    }
    return {};
  }

  proposal(teamId: string, proposalId: string) {
    return this.deps.proposals.get(teamId, proposalId);
  }

  /** Reports the user may manage: every one for admins, their own for others. */
  async visibleTo(teamId: string, userId: string): Promise<{ reports: Report[]; isAdmin: boolean }> {
    const isAdmin = await this.deps.slack.isAdmin(teamId, userId);
    const reports = this.deps.store.list(teamId).filter((report) => isAdmin || report.ownerId === userId);
    return { reports, isAdmin };
  }

  get(teamId: string, reportId: string): Report | undefined {
    return this.deps.store.get(teamId, reportId);
  }

  /** The report, when `userId` may change it; throws a user-safe refusal otherwise. */
  async manageable(teamId: string, userId: string, reportId: string): Promise<Report> {
    const report = this.deps.store.get(teamId, reportId);
    if (!report) throw new UserFacingError('report_refused', 'That report no longer exists.');
    if (report.ownerId !== userId && !(await this.deps.slack.isAdmin(teamId, userId))) {
      throw new UserFacingError('report_refused', `Only <@${report.ownerId}>, who owns "${report.name}", or an admin can change it.`);
    }
    return report;
  }

  async pause(teamId: string, userId: string, reportId: string): Promise<Report> {
    await this.manageable(teamId, userId, reportId);
    return this.deps.store.setStatus(teamId, reportId, 'paused', null, this.deps.clock.now()) as Report;
  }

  async resume(teamId: string, userId: string, reportId: string): Promise<Report> {
    const report = await this.manageable(teamId, userId, reportId);
    const now = this.deps.clock.now();
    const resumed = this.deps.store.setStatus(teamId, reportId, 'active', nextRunAfter(report.schedule, now), now) as Report;
    this.deps.scheduler.wake();
    return resumed;
  }

  async rerun(teamId: string, userId: string, reportId: string): Promise<Report> {
    const report = await this.manageable(teamId, userId, reportId);
    this.deps.scheduler.runNow(reportId);
    return report;
  }

  async delete(teamId: string, userId: string, reportId: string): Promise<Report> {
    const report = await this.manageable(teamId, userId, reportId);
    this.deps.store.delete(teamId, reportId);
    return report;
  }

  /**
   * Creates (no id) or edits a report from App Home's form. Returns the problems per field
   * when the form does not make a report; a metric report keeps its query.
   */
  /**
   * Validates a modal's report (asking Slack about the destination) and saves it. Once `deadline` has fired nothing
   * is saved: the caller has answered the submission without waiting for the checks.
   */
  async save(
    teamId: string,
    userId: string,
    target: { reportId: string } | { newId: string },
    form: ReportForm,
    deadline?: AbortSignal,
  ): Promise<{ report: Report } | { problems: FormProblems } | { late: true }> {
    const { store, clock, slack, timeZone } = this.deps;
    const existing = 'reportId' in target ? await this.manageable(teamId, userId, target.reportId) : undefined;
    // The same modal submitted twice (Slack retries a slow submission) makes one report.
    if ('newId' in target) {
      const made = store.get(teamId, target.newId);
      if (made) return { report: made };
    }
    const problems: FormProblems = {};
    const name = form.name.trim();
    if (name === '' || name.length > MAX_REPORT_NAME) problems.name = `Give the report a name of 1 to ${MAX_REPORT_NAME} characters.`;
    let work: ReportWork | undefined = existing?.work;
    if (!existing || existing.work.kind === 'question') {
      const question = form.question?.trim() ?? '';
      if (question === '' || question.length > MAX_REPORT_QUESTION) problems.question = `Write the question, up to ${MAX_REPORT_QUESTION} characters.`;
      else work = { kind: 'question', question };
    }
    const schedule = parseSchedule(form.scheduleText, timeZone);
    if (!schedule.ok) problems.schedule = schedule.problem;
    const owner = existing?.ownerId ?? userId;
    // Editing a DM report leaves the conversation menu empty (it cannot show a DM by user id): it keeps its destination.
    const picked = form.conversationId ? await slack.destinationOfConversation(teamId, userId, form.conversationId) : existing?.destination;
    const destination = picked && !('problem' in picked) ? picked : undefined;
    if (picked && 'problem' in picked) problems.destination = picked.problem;
    else if (!destination) problems.destination = 'Pick where the report is posted.';
    else {
      const problem = await slack.destinationProblem(teamId, owner, destination);
      if (problem) problems.destination = problem;
    }
    if (!existing && store.list(teamId).length >= MAX_REPORTS_PER_WORKSPACE) {
      problems.name = `This workspace already has ${MAX_REPORTS_PER_WORKSPACE} reports; delete one first.`;
    }
    if (Object.keys(problems).length > 0 || !schedule.ok || !work || !destination) return { problems };
    if (deadline?.aborted) return { late: true };
    const now = clock.now();
    const nextRunAt = nextRunAfter(schedule.schedule, now);
    const fields = { name, work, destination, schedule: schedule.schedule, nextRunAt, now };
    const report = existing
      ? (store.update(teamId, existing.id, fields) as Report)
      : store.create({ id: 'newId' in target ? target.newId : randomUUID(), teamId, ownerId: userId, ...fields });
    this.deps.scheduler.wake();
    return { report };
  }

  private workOf(input: ProposeInput): ReportWork | { problem: string } {
    if (input.question && input.metric) return { problem: 'A report runs either a question or a metric query, not both.' };
    if (input.question) {
      const question = input.question.trim();
      if (question.length > MAX_REPORT_QUESTION) return { problem: `The question is too long (at most ${MAX_REPORT_QUESTION} characters).` };
      return { kind: 'question', question };
    }
    if (input.metric) {
      const parsed = metricQuerySchema.safeParse(input.metric);
      if (!parsed.success) return { problem: `The metric query is not valid: ${parsed.error.issues.map((issue) => issue.message).join('; ')}` };
      return { kind: 'metric', query: parsed.data, chart: input.chart ?? 'bar' };
    }
    return { problem: 'Say what the report runs: a question, or a metric query.' };
  }
}

