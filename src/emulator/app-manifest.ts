/** What the emulator reads from Pulse's manifest.json: the events it delivers and the shortcuts a client offers. */
import { readFileSync } from 'node:fs';

interface Manifest {
  settings?: { event_subscriptions?: { bot_events?: string[] } };
  features?: { shortcuts?: { name: string; type: string; callback_id: string }[] };
}

function readManifest(): Manifest {
  return JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as Manifest;
}

/** The bot events the app subscribes to (what a standalone emulator delivers). */
export function manifestBotEvents(): string[] {
  return readManifest().settings?.event_subscriptions?.bot_events ?? [];
}

/** The message shortcuts of a message's "…" menu. */
export function manifestMessageShortcuts(): { callbackId: string; name: string }[] {
  return (readManifest().features?.shortcuts ?? [])
    .filter((shortcut) => shortcut.type === 'message')
    .map((shortcut) => ({ callbackId: shortcut.callback_id, name: shortcut.name }));
}
