/**
 * Metrics export end to end: the seeded analytics workspace synced by the real
 * Pulse, then exported by an admin from App Home (modal → CSVs in their DM)
 * and through the export_metrics tool. The files' figures are checked against
 * what the workspace_metrics tool returns for the same range in the same run,
 * their emails against the emulator's people, and non-admins are refused on
 * every path (a forged button, a forged modal submission, the tool).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LINK_KINDS } from '../../src/analytics/classify-link.ts';
import { CHANNEL_EXPORT_SIGNALS, EXPORT_ADMINS_ONLY, PERSON_EXPORT_SIGNALS } from '../../src/analytics/metrics-export.ts';
import type { EmulatedMessage } from '../../src/emulator/types.ts';
import { METRICS_EXPORT_IDS } from '../../src/slack/views/analytics-home.ts';
import type { AnalyticsWorld } from '../support/analytics-world-shape.ts';
import type { FakeToolCall, RecordedRequest } from '../support/fake-llm.ts';
import { settle, waitForAnswer, type Harness } from '../support/pulse-harness.ts';
import { homeText, startSyncedAnalytics, syncedChannelsOf, utcDate } from '../support/synced-analytics.ts';

const DAY_MS = 86_400_000;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** A seeded workspace, synced by Pulse after the admin set the auto-join pattern in App Home (as analytics.test.ts does). */
function startSynced() {
  return startSyncedAnalytics({ onStarted: (h) => (harness = h) });
}

/** Files Pulse posted in a person's DM with it, newest message last. */
function dmFiles(h: Harness, userId: string) {
  const { emulator } = h;
  return emulator
    .messages(emulator.imChannel(userId))
    .filter((message: EmulatedMessage) => message.botId !== undefined && message.fileIds.length > 0)
    .map((message) => ({ message, files: message.fileIds.map((id) => emulator.workspace.files.get(id)) }));
}

/** A CSV Pulse wrote (no field of the seeded data needs quoting) as a header and rows of cells. */
function parseCsv(bytes: Buffer | undefined): { header: string[]; rows: string[][] } {
  const [header, ...rows] = (bytes?.toString('utf8') ?? '').trimEnd().split('\r\n').map((line) => line.split(','));
  return { header: header ?? [], rows };
}

/** One column of a CSV as id → value, zeros left out (the metric tool lists only rows with data). */
function column(csv: { header: string[]; rows: string[][] }, name: string): Record<string, number> {
  const index = csv.header.indexOf(name);
  expect(index, `column ${name}`).toBeGreaterThan(0);
  return Object.fromEntries(csv.rows.map((row) => [row[0] as string, Number(row[index])]).filter(([, value]) => value !== 0));
}

/** The tool results the model was sent back in a request, in call order. */
function toolResults(request: RecordedRequest | undefined): Record<string, unknown>[] {
  return ((request?.body.messages ?? []) as { role: string; content: string }[])
    .filter((message) => message.role === 'tool')
    .map((message) => JSON.parse(message.content) as Record<string, unknown>);
}

/** A workspace_metrics table as key id → value: "Name (U…)" → U…, "#name" → the channel id. */
function metricRows(result: Record<string, unknown>, world: AnalyticsWorld, keyColumns = 1): Record<string, number> {
  expect(result.refused).toBeUndefined();
  const idOf = (key: string) =>
    /\((U[A-Z0-9]+)\)$/.exec(key)?.[1] ?? world.channels[key.replace(/^#/, '') as keyof AnalyticsWorld['channels']] ?? key;
  const out: Record<string, number> = {};
  for (const row of result.rows as (string | number)[][]) {
    const key = row.slice(0, keyColumns).map((part, index) => (index === 0 ? idOf(String(part)) : String(part))).join('/');
    if (Number(row[keyColumns]) !== 0) out[key] = Number(row[keyColumns]);
  }
  return out;
}

describe('metrics export', () => {
  it("sends an admin's App Home export to their DM as two CSVs whose figures equal workspace_metrics for the same range, with Slack emails", async () => {
    const { h, world, admin } = await startSynced();
    const { emulator, llm } = h;
    const from = utcDate(world.nowMs - 59 * DAY_MS);
    const to = utcDate(world.nowMs);

    emulator.clickButton(admin, { viewId: emulator.homeView(admin)?.id as string }, { actionId: METRICS_EXPORT_IDS.action.open });
    await emulator.waitFor(() => emulator.openModals(admin).length > 0, { what: 'the export modal' });
    const modal = emulator.openModals(admin)[0];
    // The form starts on the last 30 days.
    expect(JSON.stringify(modal?.view)).toContain(`"initial_date":"${utcDate(world.nowMs - 29 * DAY_MS)}"`);
    // A bad range keeps the modal open with the reason under the field.
    const bad = await emulator.submitView(admin, modal?.id as string, {
      [METRICS_EXPORT_IDS.block.from]: { [METRICS_EXPORT_IDS.action.fromInput]: to },
      [METRICS_EXPORT_IDS.block.to]: { [METRICS_EXPORT_IDS.action.toInput]: from },
    });
    expect(bad).toMatchObject({ response_action: 'errors', errors: { [METRICS_EXPORT_IDS.block.to]: expect.stringMatching(/on or after the start/) } });
    const ack = await emulator.submitView(admin, modal?.id as string, {
      [METRICS_EXPORT_IDS.block.from]: { [METRICS_EXPORT_IDS.action.fromInput]: from },
      [METRICS_EXPORT_IDS.block.to]: { [METRICS_EXPORT_IDS.action.toInput]: to },
    });
    expect(ack?.response_action).toBeUndefined();

    await emulator.waitFor(() => dmFiles(h, admin).length === 1, { what: 'the export in the admin DM', timeoutMs: 20_000 });
    const [delivery] = dmFiles(h, admin);
    const [peopleFile, channelFile] = delivery?.files ?? [];
    expect(peopleFile?.name).toBe(`pulse-people-metrics-${from}-to-${to}.csv`);
    expect(channelFile?.name).toBe(`pulse-channel-metrics-${from}-to-${to}.csv`);
    expect(delivery?.message.text).toMatch(/keyed by Slack id and email/);
    await emulator.waitFor(() => homeText(h, admin).includes('to your DM with Pulse'), { what: 'the Home tab notice' });

    const people = parseCsv(peopleFile?.bytes);
    const channels = parseCsv(channelFile?.bytes);
    const linkColumns = LINK_KINDS.map((kind) => `links_${kind}`);
    expect(people.header).toEqual(['user_id', 'email', 'name', ...PERSON_EXPORT_SIGNALS, ...linkColumns]);
    expect(channels.header).toEqual(['channel_id', 'name', ...CHANNEL_EXPORT_SIGNALS, ...linkColumns]);
    // Keyed by Slack id with the email and name Slack has for that person.
    expect(people.rows.length).toBeGreaterThanOrEqual(8);
    for (const row of people.rows) {
      const user = emulator.workspace.requireUser(row[0] as string);
      expect(row.slice(1, 3)).toEqual([user.email, user.realName]);
    }
    // Only channels the admin is a member of (never #eng-prs, which she is not in).
    const adminChannels = syncedChannelsOf(h, world, admin);
    expect(channels.rows.map((row) => row[0]).sort()).toEqual(adminChannels.map((name) => world.channels[name]).sort());

    // The same range through workspace_metrics: every signal by person and by channel, links by kind too.
    const calls: FakeToolCall[] = [
      ...PERSON_EXPORT_SIGNALS.map((metric) => ({ name: 'workspace_metrics', arguments: { metric, group_by: ['person'], from, to, top: 100 } })),
      { name: 'workspace_metrics', arguments: { metric: 'links', group_by: ['person', 'link_kind'], from, to, top: 100 } },
      ...CHANNEL_EXPORT_SIGNALS.map((metric) => ({ name: 'workspace_metrics', arguments: { metric, group_by: ['channel'], from, to, top: 100 } })),
      { name: 'workspace_metrics', arguments: { metric: 'links', group_by: ['channel', 'link_kind'], from, to, top: 100 } },
    ];
    llm.script({ toolCalls: calls }, { reply: 'Here are the figures.' });
    await waitForAnswer(h, emulator.dm(admin, 'every signal by person and by channel'));
    const results = toolResults(llm.requests.at(-1));
    expect(results).toHaveLength(calls.length);

    const personResults = results.slice(0, PERSON_EXPORT_SIGNALS.length);
    PERSON_EXPORT_SIGNALS.forEach((signal, index) => {
      expect(Object.keys(column(people, signal)).length, signal).toBeGreaterThan(3);
      expect(column(people, signal), signal).toEqual(metricRows(personResults[index] as Record<string, unknown>, world));
    });
    const channelResults = results.slice(PERSON_EXPORT_SIGNALS.length + 1, PERSON_EXPORT_SIGNALS.length + 1 + CHANNEL_EXPORT_SIGNALS.length);
    CHANNEL_EXPORT_SIGNALS.forEach((signal, index) => {
      expect(column(channels, signal), signal).toEqual(metricRows(channelResults[index] as Record<string, unknown>, world));
    });
    for (const [file, result] of [
      [people, results[PERSON_EXPORT_SIGNALS.length]],
      [channels, results.at(-1)],
    ] as const) {
      const fromCsv: Record<string, number> = {};
      for (const kind of LINK_KINDS) for (const [id, value] of Object.entries(column(file, `links_${kind}`))) fromCsv[`${id}/${kind}`] = value;
      expect(Object.keys(fromCsv).length).toBeGreaterThan(3);
      expect(fromCsv).toEqual(metricRows(result as Record<string, unknown>, world, 2));
    }
    expect(Object.values(column(people, 'messages')).reduce((a, b) => a + b, 0)).toBeGreaterThan(1_000);
  }, 120_000);

  it('exports through export_metrics for an admin, and refuses a non-admin on the tool, a forged button and a forged submission', async () => {
    const { h, world, admin } = await startSynced();
    const { emulator, llm } = h;
    const alice = world.users.alice;
    const relay = {
      respond: (request: RecordedRequest) => {
        const result = toolResults(request).at(-1) ?? {};
        return { reply: typeof result.refused === 'string' ? `I can't: ${result.refused}` : `Sent: ${JSON.stringify(result)}` };
      },
    };
    const from = utcDate(world.nowMs - 30 * DAY_MS);
    const to = utcDate(world.nowMs - DAY_MS);

    llm.script({ toolCalls: [{ name: 'export_metrics', arguments: { from, to } }] }, relay);
    const answer = await waitForAnswer(h, emulator.dm(admin, "export last month's metrics as CSV"));
    expect(answer.at(-1)?.text).toMatch(/^Sent: /);
    const receipt = toolResults(llm.requests.at(-1)).at(-1) as { files: string[]; totals: Record<string, number>; people: number };
    expect(receipt.files).toEqual([`pulse-people-metrics-${from}-to-${to}.csv`, `pulse-channel-metrics-${from}-to-${to}.csv`]);
    const [delivery] = dmFiles(h, admin);
    expect(delivery?.files.map((file) => file?.name)).toEqual(receipt.files);
    const channels = parseCsv(delivery?.files[1]?.bytes);
    // The receipt's totals are the channel file's column sums.
    for (const signal of CHANNEL_EXPORT_SIGNALS) {
      expect(receipt.totals[signal], signal).toBe(Object.values(column(channels, signal)).reduce((a, b) => a + b, 0));
    }
    expect(parseCsv(delivery?.files[0]?.bytes).rows).toHaveLength(receipt.people);

    // A non-admin asking the agent.
    llm.script({ toolCalls: [{ name: 'export_metrics', arguments: {} }] }, relay);
    const refused = await waitForAnswer(h, emulator.dm(alice, 'export the metrics as CSV'));
    expect(refused.at(-1)?.text).toBe(`I can't: ${EXPORT_ADMINS_ONLY}`);

    // A non-admin forging the button from their own Home tab: no modal, their member Home back.
    emulator.openHome(alice);
    await emulator.waitFor(() => emulator.homeView(alice) !== undefined, { what: "alice's Home tab" });
    emulator.clickButton(alice, { viewId: emulator.homeView(alice)?.id as string }, { actionId: METRICS_EXPORT_IDS.action.open });
    await emulator.waitFor(() => h.logs.some((line) => line.includes(`refused "export metrics" from ${alice}`)), { what: 'the refusal in the log' });
    await settle();
    expect(emulator.openModals(alice)).toEqual([]);

    // A non-admin submitting the admin's export modal.
    emulator.clickButton(admin, { viewId: emulator.homeView(admin)?.id as string }, { actionId: METRICS_EXPORT_IDS.action.open });
    await emulator.waitFor(() => emulator.openModals(admin).length > 0, { what: 'the export modal' });
    const forged = await emulator.submitView(alice, emulator.openModals(admin)[0]?.id as string, {});
    expect(forged).toMatchObject({ response_action: 'errors', errors: { [METRICS_EXPORT_IDS.block.from]: expect.stringMatching(/Only Pulse admins/) } });
    await settle();
    expect(dmFiles(h, alice)).toEqual([]);
    expect(dmFiles(h, admin)).toHaveLength(1);
  }, 120_000);
});
