/**
 * The playground's made-up workspace: a few people and channels and a few
 * hundred messages of the last weeks — questions answered in threads,
 * status updates with links to pull requests and tickets, reactions and
 * mentions — so analytics questions have something to count. Seeded, so
 * every run holds the same conversations (at times relative to today).
 */
import type { HistoryMessage, SlackEmulator } from '../emulator/driver.ts';
import { createRandom, type Random } from '../emulator/seeded-random.ts';
import type { EmulatedConversation, EmulatedUser } from '../emulator/types.ts';

/** Days of history before today: a few hundred messages and about sixty threads. */
export const SEED_DAYS = 14;
export const DEFAULT_SEED = 20_261_123;
const SECONDS_PER_DAY = 86_400;
/** Messages start at 08:00 UTC and spread over a ten-hour working day. */
const WORKDAY_START_SECONDS = 8 * 3_600;
const WORKDAY_SECONDS = 10 * 3_600;

const PEOPLE = [
  { name: 'chen', realName: 'Chen Wei' },
  { name: 'dana', realName: 'Dana Kim' },
  { name: 'eli', realName: 'Eli Novak' },
  { name: 'fatima', realName: 'Fatima Rahman' },
  { name: 'gus', realName: 'Gus Ortega' },
  { name: 'hana', realName: 'Hana Sato' },
] as const;

const QUESTIONS = [
  'How do I rotate the staging database credentials?',
  'Is anyone else seeing the CI cache miss on every build since Monday?',
  'What is the right way to add a feature flag for the new billing page?',
  'Why does the search index lag behind by ten minutes after a deploy?',
  'Can someone explain how retries work in the payments worker?',
  'Where do I find the runbook for the queue backlog alert?',
  'Does the mobile app still call the v1 profile endpoint?',
  'Who owns the nightly export job? It failed twice this week.',
  'How are we supposed to test webhooks locally?',
  'Is there a way to replay a dead-lettered event?',
  'What does the 409 from the orders API mean in practice?',
  'Should new services log in JSON or logfmt?',
];
const ANSWERS = [
  'Run `make rotate-creds ENV=staging`; it updates the vault entry too.',
  'Yes, the cache key changed with the lockfile bump. Fixed in the PR below.',
  'Use the flags service, not env vars: there is a helper in `lib/flags`.',
  'The indexer batches every 10 minutes; you can trigger it from the admin page.',
  'Three retries with backoff, then the dead-letter queue. See the design doc.',
  'It is linked from the alert itself, and pinned in #incidents.',
  'Only versions older than 4.2; the rest use v2.',
  'Data platform owns it; I will take a look today.',
  'ngrok works, or the local replay script in `tools/webhooks`.',
  'Yes, `replay-dlq --id <event>` from the ops box.',
  'It means the order changed since you read it; re-read and retry.',
  'JSON, with the shared logger so the fields line up.',
  'Thanks, that did it!',
  'Same here, following.',
];
const UPDATES = [
  'Shipped the new onboarding checklist to 10% of workspaces.',
  'Draft of the Q4 roadmap is ready for comments.',
  'Reminder: design review tomorrow at 15:00.',
  'Customer call notes from Acme are in the doc.',
  'Latency is back to normal after the cache fix.',
  'Release 2.14 is out: changelog in the release notes.',
  'I am out Friday; Dana covers the on-call handover.',
  'The billing migration finished overnight, no errors.',
  'New dashboard for signup conversion is live.',
  'Incident review notes for last week are posted.',
];
const LINKS = [
  (n: number) => `<https://github.com/acme/api/pull/${n}|acme/api#${n}>`,
  (n: number) => `<https://github.com/acme/web/issues/${n}|acme/web#${n}>`,
  (n: number) => `<https://acme.atlassian.net/browse/OPS-${n}|OPS-${n}>`,
  (n: number) => `<https://linear.app/acme/issue/PRD-${n}|PRD-${n}>`,
  (n: number) => `<https://www.notion.so/acme/Roadmap-${n}|Roadmap notes>`,
  (n: number) => `<https://docs.google.com/document/d/acme${n}|Design doc>`,
];
const REACTIONS = ['+1', 'eyes', 'tada', 'pray', 'white_check_mark', 'rocket', 'raised_hands', 'heart'];

/** How each channel talks: questions in the help channel, updates with links elsewhere. */
const CHANNELS = [
  { name: 'eng-help', topic: 'Ask engineering questions here', perDay: [3, 7], questionShare: 0.7, linkShare: 0.25 },
  { name: 'product', topic: 'Roadmap, launches and customer feedback', perDay: [2, 5], questionShare: 0.2, linkShare: 0.5 },
  { name: 'incidents', topic: 'Live incidents and their reviews', perDay: [0, 3], questionShare: 0.3, linkShare: 0.6 },
] as const;

export interface SeededPlayground {
  admin: EmulatedUser;
  member: EmulatedUser;
  people: EmulatedUser[];
  /** Channels Pulse is in, with history. */
  channels: EmulatedConversation[];
  messages: number;
}

/**
 * Fills the emulator's workspace (its built-in #general, #random, #leads,
 * Ada the admin, Alice and Bob) with more people, three busy channels Pulse
 * is in, a channel it is not in, and their history.
 */
export function seedPlayground(emulator: SlackEmulator, options: { seed?: number; nowMs?: number } = {}): SeededPlayground {
  const random = createRandom(options.seed ?? DEFAULT_SEED);
  const todayStart = Math.floor((options.nowMs ?? Date.now()) / 1_000 / SECONDS_PER_DAY) * SECONDS_PER_DAY;
  const { admin, alice, bob, general } = emulator.seed;
  const people = [admin, alice, bob, ...PEOPLE.map((person) => emulator.addPerson(person))];
  const everyone = people.map((person) => person.id);
  emulator.addMembers(general.id, everyone);
  const channels = CHANNELS.map((shape) => {
    const channel = emulator.createChannel({ name: shape.name, kind: 'public', members: everyone, botMember: true });
    channel.topic = shape.topic;
    return channel;
  });
  emulator.createChannel({ name: 'design', kind: 'public', members: everyone.slice(0, 5) });

  let messages = 0;
  CHANNELS.forEach((shape, index) => {
    const history = channelHistory(random, shape, people, todayStart);
    emulator.importHistory((channels[index] as EmulatedConversation).id, history);
    messages += history.length;
  });
  const welcome = generalHistory(random, people, todayStart);
  emulator.importHistory(general.id, welcome);
  messages += welcome.length;
  return { admin, member: alice, people, channels: [general, ...channels], messages };
}

/** Busier people post more (weights 1/(rank+1)), as in real workspaces. */
function pickAuthor(random: Random, people: readonly EmulatedUser[], not?: string): EmulatedUser {
  const candidates = people.filter((person) => person.id !== not);
  const weights = candidates.map((_, rank) => 1 / (rank + 1));
  let roll = random.next() * weights.reduce((sum, weight) => sum + weight, 0);
  for (const [rank, weight] of weights.entries()) {
    roll -= weight;
    if (roll <= 0) return candidates[rank] as EmulatedUser;
  }
  return candidates[candidates.length - 1] as EmulatedUser;
}

function tsOf(seconds: number, micros: number): string {
  return `${seconds}.${String(micros).padStart(6, '0')}`;
}

function reactionsFor(random: Random, people: readonly EmulatedUser[], author: string) {
  if (!random.chance(0.35)) return undefined;
  const reactors = random.sample(
    people.filter((person) => person.id !== author),
    random.int(1, 3),
  );
  return [{ name: random.pick(REACTIONS), users: reactors.map((person) => person.id) }];
}

function channelHistory(
  random: Random,
  shape: (typeof CHANNELS)[number],
  people: readonly EmulatedUser[],
  todayStart: number,
): HistoryMessage[] {
  const history: HistoryMessage[] = [];
  let micros = 100;
  const nextTs = (seconds: number) => tsOf(seconds, (micros += 1));
  for (let daysAgo = SEED_DAYS; daysAgo >= 1; daysAgo -= 1) {
    const dayStart = todayStart - daysAgo * SECONDS_PER_DAY;
    const weekday = new Date(dayStart * 1_000).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const roots = random.int(shape.perDay[0], shape.perDay[1]);
    for (let index = 0; index < roots; index += 1) {
      const at = dayStart + WORKDAY_START_SECONDS + random.int(0, WORKDAY_SECONDS - 3_600);
      const author = pickAuthor(random, people);
      const asks = random.chance(shape.questionShare);
      let text = asks ? random.pick(QUESTIONS) : random.pick(UPDATES);
      if (random.chance(shape.linkShare)) text += ` ${random.pick(LINKS)(random.int(100, 999))}`;
      if (random.chance(0.15)) text = `<@${pickAuthor(random, people, author.id).id}> ${text}`;
      const rootTs = nextTs(at);
      history.push({ ts: rootTs, user: author.id, text, reactions: reactionsFor(random, people, author.id) });
      const replies = asks ? random.int(1, 4) : random.chance(0.15) ? random.int(1, 2) : 0;
      let replyAt = at;
      for (let reply = 0; reply < replies; reply += 1) {
        replyAt += random.int(2, 90) * 60;
        const replier = reply > 0 && random.chance(0.3) ? author : pickAuthor(random, people, author.id);
        let answer = random.pick(ANSWERS);
        if (random.chance(0.2)) answer += ` ${random.pick(LINKS)(random.int(100, 999))}`;
        history.push({ ts: nextTs(replyAt), threadTs: rootTs, user: replier.id, text: answer, reactions: reactionsFor(random, people, replier.id) });
      }
    }
  }
  return history;
}

function generalHistory(random: Random, people: readonly EmulatedUser[], todayStart: number): HistoryMessage[] {
  const first = todayStart - SEED_DAYS * SECONDS_PER_DAY + WORKDAY_START_SECONDS;
  return [
    { ts: tsOf(first, 100), user: people[0]?.id, text: 'Welcome to the Acme workspace! Say hi 👋' },
    ...people.slice(1).map((person, index) => ({
      ts: tsOf(first + (index + 1) * 600, 100),
      user: person.id,
      text: random.pick(['Hi all!', 'Hello 👋', 'Glad to be here.', 'Morning!']),
      reactions: reactionsFor(random, people, person.id),
    })),
  ];
}
