/**
 * manifest.json is what an admin pastes into Slack to create Pulse. These tests catch a manifest
 * Slack would refuse (its published JSON Schema, plus the cross-field rules the schema cannot
 * express), callback ids that drift from src/slack/ids.ts, and permissions in README.md
 * does not explain.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { SHORTCUT_ID } from '../../src/slack/ids.ts';
import { fixtureUrl } from '../support/shared-fixtures.ts';

/** The subset of a v1 manifest these tests read; the schema test checks the whole document. */
interface Manifest {
  display_information: { name: string; background_color?: string };
  features: {
    app_home: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean; messages_tab_read_only_enabled?: boolean };
    bot_user: { display_name: string };
    shortcuts: { name: string; type: string; callback_id: string; description: string }[];
    assistant_view?: { assistant_description: string };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[]; request_url?: string };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled?: boolean;
  };
}

const SCHEMA_DIR = fixtureUrl('slack-manifest-schema/');
const MANIFEST_URL = new URL('../../manifest.json', import.meta.url);
const PERMISSIONS_DOC_URL = new URL('../../README.md', import.meta.url);

const readJson = (url: URL): unknown => JSON.parse(readFileSync(url, 'utf8'));
const loadManifest = (): Manifest => readJson(MANIFEST_URL) as Manifest;

/**
 * Scopes under which Slack delivers each bot event (any one suffices; [] = no scope needed), from
 * the event reference at docs.slack.dev/reference/events. Slack refuses a manifest that subscribes
 * to an event without its scope; the JSON Schema does not know this, so adding an event means
 * recording its scope here.
 */
const EVENT_SCOPES: Record<string, readonly string[]> = {
  app_home_opened: [],
  app_mention: ['app_mentions:read'],
  app_uninstalled: [],
  assistant_thread_started: ['assistant:write'],
  channel_archive: ['channels:read'],
  channel_rename: ['channels:read'],
  member_joined_channel: ['channels:read', 'groups:read'],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  'message.im': ['im:history'],
  reaction_added: ['reactions:read'],
  reaction_removed: ['reactions:read'],
  tokens_revoked: [],
};

/** The app-level (xapp-) token's scope for Socket Mode; README names it, the bot never has it. */
const APP_TOKEN_SCOPES = ['connections:write'];

/** Absolute `$ref`s in Slack's root schema: the raw GitHub URLs of the per-version schemas. */
function collectRemoteRefs(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) collectRemoteRefs(item, found);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && /^https?:\/\//.test(value)) found.add(value);
      else collectRemoteRefs(value, found);
    }
  }
  return found;
}

function compileManifestValidator(): ValidateFunction {
  const root = readJson(new URL('manifest.schema.json', SCHEMA_DIR)) as AnySchemaObject;
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    // Slack's schemas trip two of ajv's strict checks without being wrong: `required` under a
    // `properties` entry that has no `type: "object"`, and `required` naming a property defined in
    // a sibling branch. Every other strict check (unknown keywords, unknown formats) stays on.
    strictTypes: false,
    strictRequired: false,
    formats: { uri: (value: string) => URL.canParse(value) },
  });
  // `_note` is a comment in Slack's schema.
  ajv.addKeyword({ keyword: '_note' });
  // Slack writes background_color's hex pattern under a non-standard `regex` keyword; enforce it as meant.
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, value: string) => new RegExp(pattern).test(value),
  });
  // The root picks a version schema by `_metadata.major_version` through `$ref`s to raw GitHub
  // URLs; serve the local copies under those URLs (no network in tests).
  for (const ref of collectRemoteRefs(root)) {
    const fileName = ref.slice(ref.lastIndexOf('/') + 1);
    ajv.addSchema(readJson(new URL(fileName, SCHEMA_DIR)) as AnySchemaObject, ref);
  }
  return ajv.compile(root);
}

/** First-column cells (backticks removed) of the Markdown table whose header row starts with `header`. */
function readFirstColumn(markdown: string, header: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${header} |`));
  if (start === -1) throw new Error(`no table headed "${header}" in README.md`);
  const cells: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    cells.push((line.split('|')[1] ?? '').trim().replace(/^`|`$/g, ''));
  }
  return cells;
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();

describe('manifest.json against Slack’s manifest schema', () => {
  const validate = compileManifestValidator();

  it('validates against Slack’s published schema', () => {
    const valid = validate(loadManifest());
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('accepts Slack’s own valid example, so the validator is wired to the real schema', () => {
    expect(validate(readJson(new URL('example.valid.v1.json', SCHEMA_DIR)))).toBe(true);
  });

  const brokenCopies: { change: string; breakManifest: (manifest: Manifest) => void; keyword: string; path: string }[] = [
    {
      change: 'a shortcut name over 24 characters',
      breakManifest: (manifest) => {
        manifest.features.shortcuts[0]!.name = 'Ask Pulse about this message';
      },
      keyword: 'maxLength',
      path: '/features/shortcuts/0/name',
    },
    {
      change: 'an unknown top-level key',
      breakManifest: (manifest) => {
        Object.assign(manifest, { pulse_settings: {} });
      },
      keyword: 'additionalProperties',
      path: '',
    },
    {
      change: 'a background_color that is not a hex colour',
      breakManifest: (manifest) => {
        manifest.display_information.background_color = 'navy';
      },
      keyword: 'regex',
      path: '/display_information/background_color',
    },
  ];

  it.each(brokenCopies)('rejects a copy of Pulse’s manifest with $change', ({ breakManifest, keyword, path }) => {
    const manifest = loadManifest();
    breakManifest(manifest);
    expect(validate(manifest)).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ keyword, instancePath: path }));
  });
});

describe('manifest.json against Slack’s rules the schema cannot express', () => {
  const manifest = loadManifest();
  const scopes = new Set(manifest.oauth_config.scopes.bot);

  it('subscribes only to bot events whose required scope it requests', () => {
    const missing = manifest.settings.event_subscriptions.bot_events.filter((event) => {
      const needed = EVENT_SCOPES[event];
      if (needed === undefined) return true; // unknown here: record its scope in EVENT_SCOPES
      return needed.length > 0 && !needed.some((scope) => scopes.has(scope));
    });
    expect(missing).toEqual([]);
  });

  it('requests assistant:write only together with the assistant view and its assistant_thread_started event', () => {
    // Slack refuses otherwise: "Assistant:write scope should include assistant_view feature",
    // "Assistant View should use assistant_thread_started bot event subscription".
    const hasView = manifest.features.assistant_view !== undefined;
    expect(hasView).toBe(scopes.has('assistant:write'));
    if (hasView) expect(manifest.settings.event_subscriptions.bot_events).toContain('assistant_thread_started');
  });

  it('lists no scope or event twice', () => {
    expect(scopes.size).toBe(manifest.oauth_config.scopes.bot.length);
    const events = manifest.settings.event_subscriptions.bot_events;
    expect(new Set(events).size).toBe(events.length);
  });
});

describe('manifest.json and Pulse’s code agree', () => {
  const manifest = loadManifest();

  it('declares exactly the message shortcuts whose callback ids are in SHORTCUT_ID', () => {
    const declared = manifest.features.shortcuts.map((shortcut) => shortcut.callback_id);
    expect(sorted(declared)).toEqual(sorted(Object.values(SHORTCUT_ID)));
    expect(manifest.features.shortcuts.every((shortcut) => shortcut.type === 'message')).toBe(true);
  });

  it('runs in Socket Mode, with interactivity on and no request URLs', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.interactivity.request_url).toBeUndefined();
    expect(manifest.settings.event_subscriptions.request_url).toBeUndefined();
  });

  it('enables both App Home tabs and lets people write in the Messages tab', () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });
});

describe('the README justifies every permission', () => {
  const manifest = loadManifest();
  const doc = readFileSync(PERMISSIONS_DOC_URL, 'utf8');
  const inlineCode = new Set([...doc.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!));

  it('explains each bot scope and each bot event, in inline code', () => {
    const unexplained = [...manifest.oauth_config.scopes.bot, ...manifest.settings.event_subscriptions.bot_events].filter(
      (name) => !inlineCode.has(name),
    );
    expect(unexplained).toEqual([]);
  });

  it('has one scope-table row per bot scope and one event-table row per bot event', () => {
    expect(sorted(readFirstColumn(doc, 'Scope'))).toEqual(sorted(manifest.oauth_config.scopes.bot));
    expect(sorted(readFirstColumn(doc, 'Bot event'))).toEqual(sorted(manifest.settings.event_subscriptions.bot_events));
  });

  it('mentions no scope the manifest does not request', () => {
    const allowed = new Set([...manifest.oauth_config.scopes.bot, ...APP_TOKEN_SCOPES]);
    const scopeLike = [...inlineCode].filter((code) => /^[a-z_]+:[a-z_.]+$/.test(code));
    expect(scopeLike.filter((scope) => !allowed.has(scope))).toEqual([]);
  });

  it('tells admins that DMs are never analysed and that users:read.email is optional', () => {
    expect(doc).toMatch(/never analyses DMs/);
    expect(doc).toMatch(/`users:read\.email` is \*\*optional\*\*/);
  });
});
