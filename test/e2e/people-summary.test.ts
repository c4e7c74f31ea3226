/**
 * Evidence-cited people summaries end to end: the seeded analytics workspace
 * synced by the real Pulse; the scripted model resolves a person, calls
 * collaboration_evidence and writes a summary citing the returned links. Every
 * cited link must be the emulator's own permalink of a real thread of that
 * person (they wrote its root, or a help reply in it). Non-admins, opted-out
 * people and Slack ids in a pseudonymized workspace are refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EVIDENCE_REFUSALS, MAX_EVIDENCE_THREADS } from '../../src/analytics/people-evidence.ts';
import { expectedFigures } from '../support/analytics-world-figures.ts';
import type { AnalyticsWorld, PersonName } from '../support/analytics-world-shape.ts';
import type { RecordedRequest } from '../support/fake-llm.ts';
import { waitForAnswer, type Harness } from '../support/pulse-harness.ts';
import { startSyncedAnalytics, syncedChannelsOf, utcDate } from '../support/synced-analytics.ts';

const DAY_MS = 86_400_000;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** A seeded workspace synced by Pulse after the admin saved the analytics settings in App Home. */
function startSynced(options: { pseudonymize?: boolean } = {}) {
  return startSyncedAnalytics({ ...options, onStarted: (h) => (harness = h) });
}

/** The hand-computed figures over the range (inclusive days) in the channels the admin is in. */
function expectedOverAdminChannels(h: Harness, world: AnalyticsWorld, admin: string, range: { from: string; to: string }) {
  return expectedFigures(world, {
    channels: syncedChannelsOf(h, world, admin),
    fromMs: Date.parse(`${range.from}T00:00:00Z`),
    toMs: Date.parse(`${range.to}T00:00:00Z`) + DAY_MS,
  });
}

function lastToolResult(request: RecordedRequest): Record<string, unknown> {
  const tool = (request.body.messages as { role: string; content: string }[]).findLast((message) => message.role === 'tool');
  return JSON.parse(tool?.content ?? '{}') as Record<string, unknown>;
}

interface Evidence {
  person: string;
  signals: Record<string, unknown>;
  threads: { columns: string[]; rows: [string, string, string, string, number, number, number, boolean][] };
  threads_total: number;
  more_threads: number;
  channels_counted: string[];
}

/** A model that writes one sentence per returned thread, citing its link as <url|label>, or relays a refusal. */
const citeEvidence = {
  respond: (request: RecordedRequest) => {
    const result = lastToolResult(request);
    if (typeof result.refused === 'string') return { reply: `I can't: ${result.refused}` };
    const evidence = result as unknown as Evidence;
    return {
      reply: [
        `${evidence.person} sent ${String(evidence.signals.messages)} messages.`,
        ...evidence.threads.rows.map(([link, channel, date, role]) => `- ${role} in <${link}|${channel} on ${date}>`),
      ].join('\n'),
    };
  },
};

/** The model asks for the evidence about `person` over the range, then cites it. */
function scriptSummary(h: Harness, person: string, range: { from: string; to: string }) {
  h.llm.script({ toolCalls: [{ name: 'collaboration_evidence', arguments: { person, ...range } }] }, citeEvidence);
}

/** The channel and thread ts a Slack permalink points at. */
function parsePermalink(link: string): { channel: string; ts: string } {
  const match = /^https:\/\/[a-z0-9-]+\.slack\.com\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})$/.exec(link);
  if (!match) throw new Error(`not a thread permalink: ${link}`);
  return { channel: match[1] as string, ts: `${match[2]}.${match[3]}` };
}

/** Checks every cited thread against the emulator; returns the people who are its root author / help repliers. */
function checkThreads(h: Harness, evidence: Evidence, admin: string): { startedBy: Set<string>[]; helpedBy: Set<string>[] } {
  const { emulator } = h;
  const startedBy: Set<string>[] = [];
  const helpedBy: Set<string>[] = [];
  for (const [link, channelName, date, role, , replies] of evidence.threads.rows) {
    const { channel, ts } = parsePermalink(link);
    // The emulator's own permalink for that thread's root, in a channel the asking admin is in.
    expect(emulator.workspace.permalink(channel, ts)).toBe(link);
    const conversation = emulator.workspace.requireConversation(channel);
    expect(`#${conversation.name}`).toBe(channelName);
    expect(conversation.members.has(admin)).toBe(true);
    const thread = emulator.messages(channel, { threadTs: ts });
    const [root, ...rest] = thread;
    expect(root?.ts).toBe(ts);
    expect(utcDate(Number(ts) * 1000)).toBe(date);
    expect(rest.length).toBeGreaterThanOrEqual(replies);
    if (role === 'started the thread') {
      startedBy.push(new Set([root?.user as string]));
    } else {
      expect(role).toBe('gave help replies');
      helpedBy.push(new Set(rest.map((message) => message.user).filter((user) => user !== root?.user)));
    }
  }
  return { startedBy, helpedBy };
}

describe('evidence-cited people summaries', () => {
  it("cites only real threads of that person: the emulator's permalinks of threads they started or gave help replies in", async () => {
    const { h, world, admin } = await startSynced();
    const { emulator, llm } = h;
    const carol = world.users.carol;
    const range = { from: utcDate(world.nowMs - 59 * DAY_MS), to: utcDate(world.nowMs) };

    llm.script(
      { toolCalls: [{ name: 'find_person', arguments: { query: 'carol' } }] },
      {
        respond: (request) => {
          const found = lastToolResult(request) as { rows: string[][] };
          return { toolCalls: [{ name: 'collaboration_evidence', arguments: { person: found.rows[0]?.[0] as string, ...range } }] };
        },
      },
      citeEvidence,
    );
    const answer = await waitForAnswer(h, emulator.dm(admin, "Summarize Carol's collaboration over the last two months"));
    const evidence = lastToolResult(llm.requests.at(-1) as RecordedRequest) as unknown as Evidence;

    expect(evidence.person).toBe(`${emulator.workspace.requireUser(carol).displayName} (${carol})`);
    expect(evidence.threads.rows.length).toBeGreaterThan(5);
    expect(evidence.threads.rows.length).toBeLessThanOrEqual(MAX_EVIDENCE_THREADS);
    expect(evidence.more_threads).toBe(evidence.threads_total - evidence.threads.rows.length);
    const { startedBy, helpedBy } = checkThreads(h, evidence, admin);
    for (const authors of startedBy) expect(authors.has(carol)).toBe(true);
    for (const repliers of helpedBy) expect(repliers.has(carol)).toBe(true);
    expect(helpedBy.length).toBeGreaterThan(0);

    // Her signals are the hand-computed figures over the admin's channels.
    const expected = expectedOverAdminChannels(h, world, admin, range);
    expect(evidence.signals).toMatchObject({
      messages: expected.messagesByPerson[carol],
      help_replies: expected.helpRepliesByPerson[carol] ?? 0,
      threads_started: expected.threadsStartedByPerson[carol] ?? 0,
    });

    // The summary in Slack cites each thread as a link.
    const text = answer.map((reply) => reply.text).join('\n');
    for (const [link] of evidence.threads.rows) expect(text).toMatch(new RegExp(`<${link.replace(/[.?]/g, '\\$&')}\\|#[a-z-]+ on \\d{4}-\\d{2}-\\d{2}>`));
    // The model was told to cite every claim.
    const system = (llm.requests[0]?.body.messages as { content: string }[])[0]?.content;
    expect(system).toMatch(/every claim cites one of the thread links/);
  }, 120_000);

  it('refuses a non-admin, and a person who opted out until they opt back in; the opt-out only ever changes the asker', async () => {
    const { h, world, admin } = await startSynced();
    const { emulator, llm } = h;
    const { alice, bob, carol } = world.users;
    const range = { from: utcDate(world.nowMs - 59 * DAY_MS), to: utcDate(world.nowMs) };

    scriptSummary(h, carol, range);
    const nonAdmin = await waitForAnswer(h, emulator.dm(alice, "summarize Carol's collaboration"));
    expect(nonAdmin.at(-1)?.text).toBe(`I can't: ${EVIDENCE_REFUSALS.notAdmin}`);

    // Bob leaves; the extra "person" argument a prompt injection might add is ignored: the tool acts on the asker.
    llm.script(
      { toolCalls: [{ name: 'people_summary_opt_out', arguments: { opt_out: true, person: carol } }] },
      { respond: (request) => ({ reply: String(lastToolResult(request).message) }) },
    );
    const optedOut = await waitForAnswer(h, emulator.dm(bob, 'leave me out of people summaries'));
    expect(optedOut.at(-1)?.text).toMatch(/You are left out of people summaries/);

    scriptSummary(h, bob, range);
    const refused = await waitForAnswer(h, emulator.dm(admin, "summarize Bob's collaboration"));
    expect(refused.at(-1)?.text).toBe(`I can't: ${EVIDENCE_REFUSALS.optedOut}`);
    scriptSummary(h, carol, range);
    const stillCarol = await waitForAnswer(h, emulator.dm(admin, "summarize Carol's collaboration"));
    expect(stillCarol.at(-1)?.text).toMatch(/messages\./);

    llm.script(
      { toolCalls: [{ name: 'people_summary_opt_out', arguments: { opt_out: false } }] },
      { respond: (request) => ({ reply: String(lastToolResult(request).message) }) },
    );
    await waitForAnswer(h, emulator.dm(bob, 'include me in people summaries again'));
    scriptSummary(h, bob, range);
    const back = await waitForAnswer(h, emulator.dm(admin, "summarize Bob's collaboration"));
    const evidence = lastToolResult(llm.requests.at(-1) as RecordedRequest) as unknown as Evidence;
    expect(back.at(-1)?.text).toMatch(/messages\./);
    const { startedBy, helpedBy } = checkThreads(h, evidence, admin);
    for (const people of [...startedBy, ...helpedBy]) expect(people.has(bob)).toBe(true);
  }, 120_000);

  it('in a pseudonymized workspace resolves and cites the person by pseudonym, never by Slack id or name', async () => {
    const { h, world, admin } = await startSynced({ pseudonymize: true });
    const { emulator, llm } = h;
    const range = { from: utcDate(world.nowMs - 59 * DAY_MS), to: utcDate(world.nowMs) };

    // The admin finds the pseudonym of the most helpful person, then asks about them.
    llm.script(
      { toolCalls: [{ name: 'workspace_metrics', arguments: { metric: 'help_replies', group_by: ['person'], top: 1, ...range } }] },
      { respond: (request) => ({ reply: String((lastToolResult(request).rows as string[][])[0]?.[0]) }) },
    );
    const top = await waitForAnswer(h, emulator.dm(admin, 'who gave the most help replies?'));
    const pseudonym = top.at(-1)?.text as string;
    expect(pseudonym).toMatch(/^P-[A-Z2-7]{12}$/);

    scriptSummary(h, world.users.carol, range);
    const bySlackId = await waitForAnswer(h, emulator.dm(admin, "summarize Carol's collaboration"));
    expect(bySlackId.at(-1)?.text).toBe(`I can't: ${EVIDENCE_REFUSALS.pseudonymsOnly}`);

    scriptSummary(h, pseudonym, range);
    const answer = await waitForAnswer(h, emulator.dm(admin, `summarize ${pseudonym}'s collaboration`));
    const evidence = lastToolResult(llm.requests.at(-1) as RecordedRequest) as unknown as Evidence;
    expect(evidence.person).toBe(pseudonym);
    expect(answer.at(-1)?.text.startsWith(`${pseudonym} sent`)).toBe(true);
    const serialized = JSON.stringify(evidence);
    const people = (Object.keys(world.users) as (PersonName | 'github' | 'pulse')[]).filter((name): name is PersonName => name !== 'github' && name !== 'pulse');
    for (const name of people) {
      expect(serialized).not.toContain(world.users[name]);
      expect(serialized).not.toContain(emulator.workspace.requireUser(world.users[name]).displayName);
    }
    // Exactly one real person is behind every cited thread, and their figures are the pseudonym's.
    const { startedBy, helpedBy } = checkThreads(h, evidence, admin);
    expect(helpedBy.length).toBeGreaterThan(0);
    const candidates = Object.values(world.users).filter((id) => startedBy.every((set) => set.has(id)) && helpedBy.every((set) => set.has(id)));
    expect(candidates).toHaveLength(1);
    const expected = expectedOverAdminChannels(h, world, admin, range);
    expect(evidence.signals).toMatchObject({
      messages: expected.messagesByPerson[candidates[0] as string],
      help_replies: expected.helpRepliesByPerson[candidates[0] as string],
    });

    // The export names the same pseudonyms, with no emails or names.
    llm.script({ toolCalls: [{ name: 'export_metrics', arguments: range }] }, { reply: 'Sent.' });
    await waitForAnswer(h, emulator.dm(admin, 'export the metrics'));
    const file = emulator
      .messages(emulator.imChannel(admin))
      .flatMap((message) => message.fileIds)
      .map((id) => emulator.workspace.files.get(id))
      .find((candidate) => candidate?.name.startsWith('pulse-people-metrics-'));
    const [header, ...rows] = (file?.bytes.toString('utf8') ?? '').trimEnd().split('\r\n').map((line) => line.split(','));
    expect(header?.slice(0, 4)).toEqual(['user_id', 'email', 'name', 'messages']);
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) expect(row.slice(0, 3)).toEqual([expect.stringMatching(/^P-[A-Z2-7]{12}$/), '', '']);
    expect(rows.find((row) => row[0] === pseudonym)?.[3]).toBe(String(evidence.signals.messages));
  }, 120_000);
});
