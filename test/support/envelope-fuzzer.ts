/**
 * Mutations for fuzzing Socket Mode envelopes: a seeded PRNG (a failing run
 * reproduces from its seed) and edits that keep every payload JSON-valid —
 * fields deleted or retyped, 100 KB strings, deep nesting, unknown event
 * types and ids, foreign team and user ids, bot_id added.
 */
import { createRandom } from './analytics-factories.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Far past any field Slack sends (a message's text stops at 40,000 characters). */
export const HUGE_STRING_LENGTH = 100 * 1024;
/** Nesting deep enough to break naive recursion, shallow enough for JSON.stringify's native stack. */
const MAX_NESTING = 2_000;
/** Paths deeper than this are not picked: earlier deep-nesting edits would otherwise dominate the choice. */
const MAX_PATH_DEPTH = 8;

/** The analytics factories' seeded PRNG (mulberry32), with `int` counting from 0 to `below` − 1. */
export function createRng(seed: number) {
  const random = createRandom(seed);
  return {
    next: random.next,
    int: (below: number) => random.int(0, below - 1),
    chance: random.chance,
    pick: random.pick,
  };
}
export type Rng = ReturnType<typeof createRng>;

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every place a value sits (parent and key), breadth first, up to MAX_PATH_DEPTH. */
function slots(root: JsonObject): { parent: JsonObject | Json[]; key: string | number; depth: number }[] {
  const found: { parent: JsonObject | Json[]; key: string | number; depth: number }[] = [];
  const queue: { value: JsonObject | Json[]; depth: number }[] = [{ value: root, depth: 1 }];
  for (let item = queue.shift(); item; item = queue.shift()) {
    if (item.depth > MAX_PATH_DEPTH) continue;
    const entries: [string | number, Json][] = Array.isArray(item.value) ? item.value.map((value, index) => [index, value]) : Object.entries(item.value);
    for (const [key, value] of entries) {
      found.push({ parent: item.value, key, depth: item.depth });
      if (typeof value === 'object' && value !== null) queue.push({ value, depth: item.depth + 1 });
    }
  }
  return found;
}

function setSlot(parent: JsonObject | Json[], key: string | number, value: Json): void {
  (parent as Record<string | number, Json>)[key] = value;
}

function randomWord(rng: Rng): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:<>@|*`😀\u200b\u202e';
  return Array.from({ length: 1 + rng.int(24) }, () => alphabet[rng.int(alphabet.length)]).join('');
}

function nested(depth: number): Json {
  let value: Json = { bottom: true };
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? { deeper: value } : [value];
  return value;
}

/** A value of another JSON type than `current`. */
function otherType(rng: Rng, current: Json | undefined): Json {
  const makers: [string, () => Json][] = [
    ['string', () => randomWord(rng)],
    ['number', () => rng.pick([0, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER, rng.int(1e9)])],
    ['boolean', () => rng.chance(0.5)],
    ['null', () => null],
    ['array', () => rng.pick<Json>([[], [randomWord(rng)], [null, 1, {}], [[[]]]])],
    ['object', () => rng.pick<Json>([{}, { id: randomWord(rng) }, { type: randomWord(rng), value: rng.int(100) }])],
  ];
  const kind = current === null ? 'null' : Array.isArray(current) ? 'array' : typeof current;
  return rng.pick(makers.filter(([name]) => name !== kind))[1]();
}

/** Event types Slack has (Pulse does not subscribe to them) and ones it never had. */
const UNKNOWN_EVENT_TYPES = ['team_join', 'channel_created', 'emoji_changed', 'file_shared', 'tokens_revoked', 'app_uninstalled', 'message.im', 'MESSAGE', 'app_mention ', '', 'fuzz_event'];
/** Ids Pulse's workspace has never seen: another team, strangers, Slack's odd prefixes, and empty. */
const FOREIGN_TEAM_IDS = ['T0FOREIGN01', 'E0ENTERPRISE', '', 'T'];
const FOREIGN_USER_IDS = ['U0STRANGER1', 'W0GRIDUSER1', 'USLACKBOT', 'B0NOTAUSER', ''];

interface Mutation {
  name: string;
  apply(rng: Rng, payload: JsonObject): void;
}

function pickSlot(rng: Rng, payload: JsonObject) {
  const all = slots(payload);
  return all.length > 0 ? rng.pick(all) : undefined;
}

/** Sets `key` on `target` only where the payload already has it (Events API and interactive shapes differ). */
function setIfPresent(target: Json | undefined, key: string, value: Json): boolean {
  if (!isObject(target) || !(key in target)) return false;
  target[key] = value;
  return true;
}

const MUTATIONS: readonly Mutation[] = [
  {
    name: 'delete a field',
    apply(rng, payload) {
      const slot = pickSlot(rng, payload);
      if (!slot) return;
      if (Array.isArray(slot.parent)) slot.parent.splice(Number(slot.key), 1);
      else delete slot.parent[slot.key];
    },
  },
  {
    name: 'change a type',
    apply(rng, payload) {
      const slot = pickSlot(rng, payload);
      if (slot) setSlot(slot.parent, slot.key, otherType(rng, (slot.parent as Record<string | number, Json>)[slot.key]));
    },
  },
  {
    name: 'a 100 KB string',
    apply(rng, payload) {
      const slot = pickSlot(rng, payload);
      if (!slot) return;
      const word = `${randomWord(rng)} `;
      setSlot(slot.parent, slot.key, word.repeat(Math.ceil(HUGE_STRING_LENGTH / word.length)).slice(0, HUGE_STRING_LENGTH));
    },
  },
  {
    name: 'deep nesting',
    apply(rng, payload) {
      const slot = pickSlot(rng, payload);
      if (slot) setSlot(slot.parent, slot.key, nested(1 + rng.int(MAX_NESTING)));
    },
  },
  {
    name: 'an unknown event type',
    apply(rng, payload) {
      if (!setIfPresent(payload.event, 'type', rng.pick(UNKNOWN_EVENT_TYPES))) payload.type = rng.pick(['fuzz_action', 'block_action', 'view_closed', '']);
    },
  },
  {
    name: 'an unknown callback_id or action_id',
    apply(rng, payload) {
      const id = `fuzz_${randomWord(rng)}`;
      const actions = payload.actions;
      if (Array.isArray(actions) && isObject(actions[0])) actions[0].action_id = id;
      else if (!setIfPresent(payload.view, 'callback_id', id)) payload.callback_id = id;
    },
  },
  {
    name: 'a foreign team or user id',
    apply(rng, payload) {
      const team = rng.pick(FOREIGN_TEAM_IDS);
      const user = rng.pick(FOREIGN_USER_IDS);
      const targets = [
        () => setIfPresent(payload, 'team_id', team),
        () => setIfPresent(payload.team, 'id', team),
        () => setIfPresent(payload.event, 'team', team),
        () => setIfPresent(payload.event, 'user', user),
        () => setIfPresent(payload.user, 'id', user),
      ];
      // Tried from a random one on; at least one applies to every real payload shape.
      const first = rng.int(targets.length);
      for (let offset = 0; offset < targets.length; offset++) if (targets[(first + offset) % targets.length]?.()) return;
    },
  },
  {
    name: 'bot_id present',
    apply(rng, payload) {
      const target = isObject(payload.event) ? payload.event : isObject(payload.message) ? payload.message : payload;
      target.bot_id = rng.pick(['B0OTHERBOT1', '', 'B0FUZZ']);
      if (rng.chance(0.3)) target.subtype = 'bot_message';
    },
  },
];

/** A deep copy of `template` with 1–4 mutations applied. */
export function mutate(rng: Rng, template: JsonObject): JsonObject {
  const payload = structuredClone(template);
  for (let count = 1 + rng.int(4); count > 0; count--) rng.pick(MUTATIONS).apply(rng, payload);
  return payload;
}
