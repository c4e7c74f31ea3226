import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/emulator/driver.ts';
import type { EmulatedMessage } from '../../src/emulator/types.ts';
import { REPORT_IDS } from '../../src/slack/ids.ts';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { manifestBotEvents, settle, startHarness, waitForAnswer, type Harness } from '../support/pulse-harness.ts';

// The emulator, the LLM and the data directory outlive each Pulse process, so a test can restart Pulse.
let world: { emulator: SlackEmulator; llm: FakeLlm; dataDir: string } | undefined;
const running: Harness[] = [];
afterEach(async () => {
  for (const harness of running.splice(0)) await harness.stop();
  if (world) {
    await world.emulator.stop();
    await world.llm.close();
    rmSync(world.dataDir, { recursive: true, force: true });
    world = undefined;
  }
});

// Monday 23 November 2026; Paris is UTC+1 then, so 09:00 there is 08:00Z.
const MONDAY_0600Z = Date.parse('2026-11-23T06:00:00Z');
const MONDAY_0900_PARIS = Date.parse('2026-11-23T08:00:00Z');
const NEXT_MONDAY_0900_PARIS = Date.parse('2026-11-30T08:00:00Z');
const WEEK = 7 * 86_400_000;

const chart = { type: 'bar', title: 'Messages per channel', labels: ['eng', 'ops'], series: [{ name: 'messages', values: [12, 7] }] };
const table = { title: 'Messages per channel', columns: ['channel', 'messages'], rows: [['#eng', 12], ['#ops', 7]] };

async function start(clock: ManualClock) {
  world ??= {
    emulator: await startSlackEmulator({ subscribedEvents: manifestBotEvents() }),
    llm: await startFakeLlm(),
    dataDir: mkdtempSync(join(tmpdir(), 'pulse-reports-')),
  };
  const harness = await startHarness({ clock, env: { WORKSPACE_TIMEZONE: 'Europe/Paris' }, reuse: world });
  running.push(harness);
  return harness;
}

/** A private #ops with `userId` and Pulse, App Home's New report modal open, and the values of a daily report into #ops. */
async function aNewOpsReport(emulator: SlackEmulator, userId: string) {
  const ops = emulator.createChannel({ name: 'ops', kind: 'private', members: [userId], botMember: true });
  emulator.openHome(userId);
  await emulator.waitFor(() => JSON.stringify(emulator.homeView(userId)?.view ?? {}).includes(REPORT_IDS.action.create), { what: 'the Home tab' });
  emulator.clickButton(userId, { viewId: emulator.homeView(userId)?.id as string }, { actionId: REPORT_IDS.action.create });
  const [modal] = await emulator.waitFor(() => emulator.openModals(userId).length > 0 && emulator.openModals(userId), { what: 'the new report modal' });
  const values = {
    [REPORT_IDS.block.name]: { [REPORT_IDS.action.nameInput]: 'Ops daily' },
    [REPORT_IDS.block.question]: { [REPORT_IDS.action.questionInput]: 'What happened in #ops yesterday?' },
    [REPORT_IDS.block.schedule]: { [REPORT_IDS.action.scheduleInput]: 'daily at 17:30' },
    [REPORT_IDS.block.destination]: { [REPORT_IDS.action.destinationSelect]: ops.id },
  };
  return { ops, modal: modal as NonNullable<typeof modal>, values };
}

async function stopPulse(harness: Harness) {
  running.splice(running.indexOf(harness), 1);
  await harness.stop();
}

/** The value of the first button with this action id in the messages' blocks. */
function buttonValue(messages: readonly EmulatedMessage[], actionId: string): { message: EmulatedMessage; value: string } | undefined {
  for (const message of messages) {
    const found = JSON.stringify(message.blocks ?? []).match(new RegExp(`"action_id":"${actionId}","value":"([^"]+)"|"value":"([^"]+)","action_id":"${actionId}"`));
    if (found) return { message, value: (found[1] ?? found[2]) as string };
  }
  return undefined;
}

/** Top-level report messages Pulse posted in a channel. */
const reportMessages = (harness: Harness, channel: string) =>
  harness.emulator.messages(channel).filter((message) => message.user === harness.emulator.botUserId && buttonValue([message], REPORT_IDS.action.rerun));

function filesInThread(harness: Harness, message: EmulatedMessage) {
  const { emulator } = harness;
  return emulator
    .messages(message.channel, { threadTs: message.ts })
    .flatMap((reply) => reply.fileIds)
    .map((id) => emulator.workspace.files.get(id));
}

async function propose(harness: Harness, owner: string, channelName: string) {
  const { emulator, llm } = harness;
  llm.script(
    {
      toolCalls: [
        {
          name: 'propose_report',
          arguments: { name: 'Weekly leads digest', schedule: 'every Monday at 9:00', destination: `#${channelName}`, question: 'How active were our channels last week?' },
        },
      ],
    },
    { reply: 'I have proposed the report; confirm it below.' },
  );
  const ask = emulator.dm(owner, `post a digest every Monday at 9:00 to #${channelName}`);
  const replies = await waitForAnswer(harness, ask);
  const proposal = buttonValue(replies, REPORT_IDS.action.confirmProposal);
  expect(proposal?.message.text).toMatch(/Weekly leads digest/);
  return { ask, proposal: proposal as { message: EmulatedMessage; value: string } };
}

/** The asker clicks Confirm; resolves once the proposal has lost its buttons (the report exists). */
async function confirm(harness: Harness, userId: string, proposal: { message: EmulatedMessage; value: string }) {
  const { emulator } = harness;
  emulator.clickButton(userId, { channel: proposal.message.channel, ts: proposal.message.ts }, { actionId: REPORT_IDS.action.confirmProposal, value: proposal.value });
  await emulator.waitFor(() => !JSON.stringify(emulator.messages(proposal.message.channel, { threadTs: proposal.message.threadTs ?? proposal.message.ts })).includes(REPORT_IDS.action.confirmProposal), {
    what: 'the confirmed proposal',
  });
  return (await harness.pulse.reports.visibleTo(harness.pulse.teamId, userId)).reports;
}

describe('scheduled reports', () => {
  it('is created by conversation and Confirm, fires on time with text, PNG and CSV, re-runs, pauses, and catches up once after a restart', async () => {
    const clock = new ManualClock(MONDAY_0600Z);
    const harness = await start(clock);
    const { emulator, llm, pulse } = harness;
    const { alice, bob } = emulator.seed;
    const leads = emulator.createChannel({ name: 'eng-leads', kind: 'public', members: [alice.id, bob.id], botMember: true });

    const { proposal } = await propose(harness, alice.id, 'eng-leads');
    // Nothing exists until the asker confirms; someone else's click does not confirm it.
    expect((await pulse.reports.visibleTo(pulse.teamId, alice.id)).reports).toEqual([]);
    const [report] = await confirm(harness, alice.id, proposal);
    expect(report).toMatchObject({ ownerId: alice.id, status: 'active', nextRunAt: MONDAY_0900_PARIS, destination: { kind: 'channel', channelId: leads.id } });
    expect(report?.schedule).toMatchObject({ cron: '0 9 * * 1', timeZone: 'Europe/Paris' });

    // 08:59 Paris: nothing yet. 09:00: the report, its chart and its CSV.
    clock.advanceTo(MONDAY_0900_PARIS - 60_000);
    await pulse.reportScheduler.idle();
    expect(reportMessages(harness, leads.id)).toEqual([]);
    llm.script({ toolCalls: [{ name: 'render_chart', arguments: chart }, { name: 'share_table', arguments: table }] }, { reply: 'Messages were up 10% on the week before.' });
    clock.advanceTo(MONDAY_0900_PARIS);
    const [first] = await emulator.waitFor(() => reportMessages(harness, leads.id).length === 1 && reportMessages(harness, leads.id), { what: 'the report' });
    expect(JSON.stringify(first?.blocks)).toContain('Messages were up 10% on the week before.');
    expect(first?.text).toContain('Weekly leads digest');
    await emulator.waitFor(() => filesInThread(harness, first as EmulatedMessage).length === 2, { what: 'the files' });
    expect(filesInThread(harness, first as EmulatedMessage).map((file) => file?.mimetype).sort()).toEqual(['image/png', 'text/csv']);
    // The model was asked as the owner, with the saved question.
    expect(JSON.stringify(llm.requests.at(-2)?.body.messages)).toContain('How active were our channels last week?');

    // Re-run now: a second report at once. Bob (not the owner, not an admin) may not pause it.
    llm.script({ reply: 'Same figures as this morning.' });
    emulator.clickButton(alice.id, { channel: leads.id, ts: (first as EmulatedMessage).ts }, { actionId: REPORT_IDS.action.rerun, value: report?.id as string });
    await emulator.waitFor(() => reportMessages(harness, leads.id).length === 2, { what: 'the re-run' });
    emulator.clickButton(bob.id, { channel: leads.id, ts: (first as EmulatedMessage).ts }, { actionId: REPORT_IDS.action.pause, value: report?.id as string });
    await emulator.waitFor(() => emulator.callsTo('chat.postEphemeral').some((call) => String(call.params.text).includes('Only <@')), { what: 'the refusal' });
    expect(pulse.reports.get(pulse.teamId, report?.id as string)?.status).toBe('active');

    // Pause stops it: next Monday passes without a report.
    emulator.clickButton(alice.id, { channel: leads.id, ts: (first as EmulatedMessage).ts }, { actionId: REPORT_IDS.action.pause, value: report?.id as string });
    await emulator.waitFor(() => pulse.reports.get(pulse.teamId, report?.id as string)?.status === 'paused', { what: 'paused' });
    clock.advanceTo(NEXT_MONDAY_0900_PARIS + 60_000);
    await pulse.reportScheduler.idle();
    expect(reportMessages(harness, leads.id)).toHaveLength(2);

    // Resumed, then Pulse is down across two Monday slots: the restart runs it once, then it is back on schedule.
    await pulse.reports.resume(pulse.teamId, alice.id, report?.id as string);
    await stopPulse(harness);
    clock.advanceTo(NEXT_MONDAY_0900_PARIS + 2 * WEEK + 3_600_000);
    llm.script({ reply: 'Catching up after the outage.' });
    const restarted = await start(clock);
    await emulator.waitFor(() => reportMessages(restarted, leads.id).length === 3, { what: 'the catch-up run' });
    await restarted.pulse.reportScheduler.idle();
    expect(reportMessages(restarted, leads.id)).toHaveLength(3);
    expect(JSON.stringify(reportMessages(restarted, leads.id).at(-1)?.blocks)).toContain('Catching up after the outage.');
    expect(restarted.pulse.reports.get(restarted.pulse.teamId, report?.id as string)?.nextRunAt).toBe(NEXT_MONDAY_0900_PARIS + 3 * WEEK);
  });

  it('tells the owner once, by DM, when Pulse was removed from the destination, and retries with backoff', async () => {
    const clock = new ManualClock(MONDAY_0600Z);
    const harness = await start(clock);
    const { emulator, pulse } = harness;
    const { alice } = emulator.seed;
    const leads = emulator.createChannel({ name: 'eng-leads', kind: 'public', members: [alice.id], botMember: true });
    const { proposal } = await propose(harness, alice.id, 'eng-leads');
    await confirm(harness, alice.id, proposal);

    // Someone removes Pulse from the channel.
    emulator.workspace.requireConversation(leads.id).members.delete(emulator.botUserId);
    const dm = emulator.imChannel(alice.id);
    const notices = () => emulator.messages(dm).filter((message) => message.user === emulator.botUserId && message.text.includes('Weekly leads digest') && message.text.includes('/invite @Pulse'));
    const before = emulator.messages(dm).length;
    clock.advanceTo(MONDAY_0900_PARIS);
    await emulator.waitFor(() => notices().length === 1, { what: 'the owner DM' });
    // Two retries (1 and 5 minutes later) fail too: still one DM.
    for (const wait of [60_000, 5 * 60_000]) {
      clock.advanceBy(wait);
      await pulse.reportScheduler.idle();
    }
    const [report] = (await pulse.reports.visibleTo(pulse.teamId, alice.id)).reports;
    expect(report?.lastRun).toMatchObject({ ok: false });
    expect(report?.lastRun?.error).toMatch(/not in/);
    expect(notices()).toHaveLength(1);
    expect(emulator.messages(dm).length).toBe(before + 1);
    expect(reportMessages(harness, leads.id)).toEqual([]);
  });

  it('runs a fixed metric query into a group DM without the model: a table, a chart and a CSV', async () => {
    const clock = new ManualClock(MONDAY_0600Z);
    const harness = await start(clock);
    const { emulator, llm, pulse } = harness;
    const { alice, bob } = emulator.seed;
    const eng = emulator.createChannel({ name: 'eng', kind: 'public', members: [alice.id, bob.id], botMember: true });
    emulator.seedHistory(eng.id, [
      { user: alice.id, text: 'shipping the release today' },
      { user: bob.id, text: 'great, thanks' },
      { user: alice.id, text: 'done' },
    ]);
    await pulse.analyticsSync.sync(pulse.teamId, 'manual');

    llm.script(
      {
        toolCalls: [
          {
            name: 'propose_report',
            arguments: {
              name: 'Messages per person',
              schedule: 'every Monday at 9:00',
              destination: `<@${bob.id}>`,
              metric: { metric: 'messages', group_by: ['channel'], days: 7 },
              chart: 'bar',
            },
          },
        ],
      },
      { reply: 'Proposed; confirm below.' },
    );
    const replies = await waitForAnswer(harness, emulator.dm(alice.id, 'send bob and me messages per channel every Monday at 9'));
    const proposal = buttonValue(replies, REPORT_IDS.action.confirmProposal) as { message: EmulatedMessage; value: string };
    const [report] = await confirm(harness, alice.id, proposal);
    expect(report?.destination).toEqual({ kind: 'group_dm', userIds: [alice.id, bob.id] });

    const modelCalls = llm.requests.length;
    clock.advanceTo(MONDAY_0900_PARIS);
    await pulse.reportScheduler.idle();
    const group = [...emulator.workspace.conversations.values()].find((conversation) => conversation.kind === 'mpim');
    expect([...(group?.members ?? [])].sort()).toEqual([alice.id, bob.id, emulator.botUserId].sort());
    const [posted] = reportMessages(harness, group?.id as string);
    const blocks = JSON.stringify(posted?.blocks);
    expect(blocks).toContain('#eng | 3');
    await emulator.waitFor(() => filesInThread(harness, posted as EmulatedMessage).length === 2, { what: 'the files' });
    const files = filesInThread(harness, posted as EmulatedMessage);
    expect(files.map((file) => file?.mimetype)).toEqual(['image/png', 'text/csv']);
    expect(files[1]?.bytes.toString('utf8')).toBe('channel,messages\r\n#eng,3\r\n');
    expect(llm.requests).toHaveLength(modelCalls);
  });

  it('retries when the model is down, tells the owner once, and posts when it is back', async () => {
    const clock = new ManualClock(MONDAY_0600Z);
    const harness = await start(clock);
    const { emulator, llm, pulse } = harness;
    const { alice } = emulator.seed;
    const leads = emulator.createChannel({ name: 'eng-leads', kind: 'public', members: [alice.id], botMember: true });
    const { proposal } = await propose(harness, alice.id, 'eng-leads');
    await confirm(harness, alice.id, proposal);

    const dm = emulator.imChannel(alice.id);
    const notices = () => emulator.messages(dm).filter((message) => message.user === emulator.botUserId && message.text.includes('Weekly leads digest'));
    llm.setDefault({ status: 401, message: 'Incorrect API key provided' });
    clock.advanceTo(MONDAY_0900_PARIS);
    await emulator.waitFor(() => notices().length === 1, { what: 'the owner DM' });
    await pulse.reportScheduler.idle();
    expect(notices()[0]?.text).toMatch(/API key/);
    expect(reportMessages(harness, leads.id)).toEqual([]);

    // The key is fixed; the retry a minute later posts the report, and the owner hears nothing more.
    llm.setDefault({ reply: 'Back to normal: 42 messages.' });
    clock.advanceBy(60_000);
    await emulator.waitFor(() => reportMessages(harness, leads.id).length === 1, { what: 'the retried report' });
    await pulse.reportScheduler.idle();
    expect(JSON.stringify(reportMessages(harness, leads.id)[0]?.blocks)).toContain('Back to normal: 42 messages.');
    expect(notices()).toHaveLength(1);
    const [report] = (await pulse.reports.visibleTo(pulse.teamId, alice.id)).reports;
    expect(report?.lastRun).toMatchObject({ ok: true, channelId: leads.id });
  });

  it('lists reports in App Home for their owner and admins, lets an admin change the schedule, and refuses a non-owner', async () => {
    const clock = new ManualClock(MONDAY_0600Z);
    const harness = await start(clock);
    const { emulator, pulse } = harness;
    const { alice, bob, admin } = emulator.seed;
    emulator.createChannel({ name: 'eng-leads', kind: 'public', members: [alice.id, admin.id], botMember: true });
    const { proposal } = await propose(harness, alice.id, 'eng-leads');
    const [report] = await confirm(harness, alice.id, proposal);
    const id = report?.id as string;
    const home = (userId: string) => JSON.stringify(emulator.homeView(userId)?.view ?? {});
    const openHome = async (userId: string, expected: string) => {
      emulator.openHome(userId);
      await emulator.waitFor(() => home(userId).includes(expected), { what: `${userId}'s Home tab` });
      return emulator.homeView(userId)?.id as string;
    };

    await openHome(alice.id, 'Weekly leads digest');
    expect(home(alice.id)).toContain('Every Monday at 09:00');
    await openHome(bob.id, 'Scheduled reports');
    expect(home(bob.id)).not.toContain('Weekly leads digest');

    // Bob forges the menu's "edit" on Alice's report: no modal opens.
    const bobHome = emulator.homeView(bob.id)?.id as string;
    emulator.chooseOverflow(bob.id, { viewId: bobHome }, { actionId: REPORT_IDS.action.manage, value: `edit:${id}`, blockId: 'forged' });
    emulator.chooseOverflow(bob.id, { viewId: bobHome }, { actionId: REPORT_IDS.action.manage, value: `pause:${id}`, blockId: 'forged' });
    await emulator.waitFor(() => emulator.callsTo('views.publish').filter((call) => call.params.user_id === bob.id).length >= 3, { what: "bob's Home tab again" });
    expect(emulator.openModals(bob.id)).toEqual([]);
    expect(pulse.reports.get(pulse.teamId, id)).toMatchObject({ status: 'active', schedule: { cron: '0 9 * * 1' } });

    // An admin edits the schedule from App Home.
    const adminHome = await openHome(admin.id, 'Weekly leads digest');
    emulator.chooseOverflow(admin.id, { viewId: adminHome }, { actionId: REPORT_IDS.action.manage, value: `edit:${id}` });
    const [modal] = await emulator.waitFor(() => emulator.openModals(admin.id).length > 0 && emulator.openModals(admin.id), { what: 'the edit modal' });
    const rejected = await emulator.submitView(admin.id, modal?.id as string, {
      [REPORT_IDS.block.schedule]: { [REPORT_IDS.action.scheduleInput]: 'whenever' },
    });
    expect(JSON.stringify(rejected)).toContain('whenever');
    await emulator.submitView(admin.id, modal?.id as string, {
      [REPORT_IDS.block.schedule]: { [REPORT_IDS.action.scheduleInput]: 'every weekday at 8:00' },
    });
    await emulator.waitFor(() => pulse.reports.get(pulse.teamId, id)?.schedule.cron === '0 8 * * 1-5', { what: 'the new schedule' });
    expect(pulse.reports.get(pulse.teamId, id)?.nextRunAt).toBe(Date.parse('2026-11-23T07:00:00Z'));
    await emulator.waitFor(() => home(admin.id).includes('Every weekday at 08:00'), { what: 'the Home tab with the new schedule' });

    // The owner pauses and deletes it from the menu.
    const aliceHome = await openHome(alice.id, 'Every weekday at 08:00');
    emulator.chooseOverflow(alice.id, { viewId: aliceHome }, { actionId: REPORT_IDS.action.manage, value: `pause:${id}` });
    await emulator.waitFor(() => pulse.reports.get(pulse.teamId, id)?.status === 'paused', { what: 'paused' });
    emulator.chooseOverflow(alice.id, { viewId: aliceHome }, { actionId: REPORT_IDS.action.manage, value: `delete:${id}` });
    const [confirmDelete] = await emulator.waitFor(() => emulator.openModals(alice.id).length > 0 && emulator.openModals(alice.id), { what: 'the delete modal' });
    await emulator.submitView(alice.id, confirmDelete?.id as string, {});
    await emulator.waitFor(() => pulse.reports.get(pulse.teamId, id) === undefined, { what: 'the deletion' });
  });

  it('says in the modal when Slack is too slow to check the destination before its 3 s deadline, saves nothing, and saves it when submitted again', async () => {
    const harness = await start(new ManualClock(MONDAY_0600Z));
    const { emulator, pulse } = harness;
    const { alice } = emulator.seed;
    const { ops, modal, values } = await aNewOpsReport(emulator, alice.id);
    emulator.faults.delay('conversations.info', 4_000, { times: 1 });

    const answer = await emulator.submitView(alice.id, modal.id, values);

    // Acked in time (the emulator resolves an unacked submission with nothing after 3 s), with the reason under the name.
    expect(answer).toMatchObject({ response_action: 'errors', errors: { [REPORT_IDS.block.name]: expect.stringMatching(/too slow .* nothing was saved/) } });
    expect(emulator.openModals(alice.id)).toHaveLength(1);
    // The slow check finishes later and still saves nothing.
    await emulator.waitFor(() => emulator.callsTo('conversations.info').every((call) => call.ok || call.error !== undefined), { what: 'the slow check to end', timeoutMs: 6_000 });
    await settle();
    expect((await pulse.reports.visibleTo(pulse.teamId, alice.id)).reports).toEqual([]);

    await emulator.submitView(alice.id, modal.id, values);
    const [report] = (await pulse.reports.visibleTo(pulse.teamId, alice.id)).reports;
    expect(report).toMatchObject({ name: 'Ops daily', destination: { kind: 'channel', channelId: ops.id } });
  });

  it('is made from App Home too, and an archived destination is reported to the owner once, with the reason', async () => {
    const clock = new ManualClock(MONDAY_0600Z);
    const harness = await start(clock);
    const { emulator, pulse } = harness;
    const { alice } = emulator.seed;
    const { ops, modal, values } = await aNewOpsReport(emulator, alice.id);
    await emulator.submitView(alice.id, modal.id, values);
    const [report] = (await pulse.reports.visibleTo(pulse.teamId, alice.id)).reports;
    expect(report).toMatchObject({
      name: 'Ops daily',
      work: { kind: 'question', question: 'What happened in #ops yesterday?' },
      destination: { kind: 'channel', channelId: ops.id },
      schedule: { cron: '30 17 * * *', timeZone: 'Europe/Paris' },
      nextRunAt: Date.parse('2026-11-23T16:30:00Z'),
    });

    emulator.workspace.archiveConversation(ops.id);
    const dm = emulator.imChannel(alice.id);
    const notices = () => emulator.messages(dm).filter((message) => message.user === emulator.botUserId && message.text.includes('Ops daily'));
    clock.advanceTo(Date.parse('2026-11-23T16:30:00Z'));
    await emulator.waitFor(() => notices().length === 1, { what: 'the owner DM' });
    expect(notices()[0]?.text).toMatch(/archived/);
    clock.advanceBy(60_000);
    await pulse.reportScheduler.idle();
    expect(notices()).toHaveLength(1);
  });

  it('is confirmed by its asker only and once; Cancel after Confirm changes nothing', async () => {
    const clock = new ManualClock(MONDAY_0600Z);
    const harness = await start(clock);
    const { emulator, pulse } = harness;
    const { alice, bob } = emulator.seed;
    emulator.createChannel({ name: 'eng-leads', kind: 'public', members: [alice.id, bob.id], botMember: true });
    const { proposal } = await propose(harness, alice.id, 'eng-leads');
    const where = { channel: proposal.message.channel, ts: proposal.message.ts };
    const ephemerals = () => emulator.callsTo('chat.postEphemeral').map((call) => String(call.params.text));

    // Bob cannot confirm Alice's proposal (forged into her DM thread).
    emulator.clickButton(bob.id, where, { actionId: REPORT_IDS.action.confirmProposal, value: proposal.value });
    await emulator.waitFor(() => ephemerals().some((text) => text.includes(`Only <@${alice.id}>`)), { what: 'the refusal' });
    expect((await pulse.reports.visibleTo(pulse.teamId, alice.id)).reports).toEqual([]);

    const [report] = await confirm(harness, alice.id, proposal);
    emulator.clickButton(alice.id, where, { actionId: REPORT_IDS.action.confirmProposal, value: proposal.value });
    emulator.clickButton(alice.id, where, { actionId: REPORT_IDS.action.cancelProposal, value: proposal.value });
    await emulator.waitFor(() => ephemerals().some((text) => text.includes('already confirmed')), { what: 'the cancel refusal' });
    expect((await pulse.reports.visibleTo(pulse.teamId, alice.id)).reports.map((made) => made.id)).toEqual([report?.id]);
    expect(pulse.reports.get(pulse.teamId, report?.id as string)?.status).toBe('active');
  });

  it("refuses a non-owner's forged edit, keeps a DM destination picked in App Home, and attaches what it can when an upload fails", async () => {
    const clock = new ManualClock(MONDAY_0600Z);
    const harness = await start(clock);
    const { emulator, llm, pulse } = harness;
    const { alice, bob } = emulator.seed;

    // Alice makes a report to her own DM with Pulse from App Home.
    emulator.openHome(alice.id);
    await emulator.waitFor(() => JSON.stringify(emulator.homeView(alice.id)?.view ?? {}).includes(REPORT_IDS.action.create), { what: 'the Home tab' });
    emulator.clickButton(alice.id, { viewId: emulator.homeView(alice.id)?.id as string }, { actionId: REPORT_IDS.action.create });
    const [modal] = await emulator.waitFor(() => emulator.openModals(alice.id).length > 0 && emulator.openModals(alice.id), { what: 'the modal' });
    const dm = emulator.imChannel(alice.id);
    await emulator.submitView(alice.id, modal?.id as string, {
      [REPORT_IDS.block.name]: { [REPORT_IDS.action.nameInput]: 'My digest' },
      [REPORT_IDS.block.question]: { [REPORT_IDS.action.questionInput]: 'What did I miss?' },
      [REPORT_IDS.block.schedule]: { [REPORT_IDS.action.scheduleInput]: 'every Monday at 9:00' },
      [REPORT_IDS.block.destination]: { [REPORT_IDS.action.destinationSelect]: dm },
    });
    const [report] = (await pulse.reports.visibleTo(pulse.teamId, alice.id)).reports;
    expect(report?.destination).toEqual({ kind: 'dm', userId: alice.id });

    // Bob submits an edit modal whose metadata names Alice's report: refused, nothing changes.
    emulator.openHome(bob.id);
    await emulator.waitFor(() => JSON.stringify(emulator.homeView(bob.id)?.view ?? {}).includes(REPORT_IDS.action.create), { what: "bob's Home tab" });
    emulator.clickButton(bob.id, { viewId: emulator.homeView(bob.id)?.id as string }, { actionId: REPORT_IDS.action.create });
    const [bobsModal] = await emulator.waitFor(() => emulator.openModals(bob.id).length > 0 && emulator.openModals(bob.id), { what: "bob's modal" });
    (emulator.workspace.views.get(bobsModal?.id as string)?.view as { private_metadata?: string }).private_metadata = report?.id as string;
    const refused = await emulator.submitView(bob.id, bobsModal?.id as string, {
      [REPORT_IDS.block.name]: { [REPORT_IDS.action.nameInput]: 'Hijacked' },
      [REPORT_IDS.block.question]: { [REPORT_IDS.action.questionInput]: 'Post everything' },
      [REPORT_IDS.block.schedule]: { [REPORT_IDS.action.scheduleInput]: 'every 5 minutes' },
      [REPORT_IDS.block.destination]: { [REPORT_IDS.action.destinationSelect]: emulator.imChannel(bob.id) },
    });
    expect(JSON.stringify(refused)).toContain(`Only <@${alice.id}>`);
    expect(pulse.reports.get(pulse.teamId, report?.id as string)).toMatchObject({ name: 'My digest', schedule: { cron: '0 9 * * 1' } });

    // At 09:00 the chart's upload fails: the report is posted once, says what is missing, and is not retried.
    llm.script({ toolCalls: [{ name: 'render_chart', arguments: chart }] }, { reply: 'You missed two releases.' });
    emulator.faults.error('files.completeUploadExternal', 'internal_error', { times: 5 });
    clock.advanceTo(MONDAY_0900_PARIS);
    await emulator.waitFor(() => reportMessages(harness, dm).length === 1, { what: 'the report' });
    await pulse.reportScheduler.idle();
    const [posted] = reportMessages(harness, dm);
    await emulator.waitFor(() => emulator.messages(dm, { threadTs: posted?.ts }).some((reply) => reply.text.includes("couldn't attach")), { what: 'the note' });
    clock.advanceBy(20 * 60_000);
    await pulse.reportScheduler.idle();
    expect(reportMessages(harness, dm)).toHaveLength(1);
    expect(pulse.reports.get(pulse.teamId, report?.id as string)?.lastRun).toMatchObject({ ok: true });
  });

  it('is delivered once per slot when two Pulse processes share one database', async () => {
    const clock = new ManualClock(MONDAY_0600Z);
    const first = await start(clock);
    const second = await start(clock);
    const { emulator, llm } = first;
    const { alice } = emulator.seed;
    const leads = emulator.createChannel({ name: 'eng-leads', kind: 'public', members: [alice.id], botMember: true });
    const { proposal } = await propose(first, alice.id, 'eng-leads');
    await confirm(first, alice.id, proposal);

    llm.setDefault({ reply: 'One digest, not two.' });
    for (const slot of [MONDAY_0900_PARIS, NEXT_MONDAY_0900_PARIS]) {
      // Both schedulers wake for the slot; each claims in its own transaction on its own connection.
      second.pulse.reportScheduler.wake();
      clock.advanceTo(slot);
      first.pulse.reportScheduler.wake();
      second.pulse.reportScheduler.wake();
      await Promise.all([first.pulse.reportScheduler.idle(), second.pulse.reportScheduler.idle()]);
    }
    await emulator.waitFor(() => reportMessages(first, leads.id).length === 2, { what: 'two reports' });
    await Promise.all([first.pulse.reportScheduler.idle(), second.pulse.reportScheduler.idle()]);
    expect(reportMessages(first, leads.id)).toHaveLength(2);
  });
});
