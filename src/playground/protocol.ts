/**
 * The playground's wire format between the browser page and the emulator,
 * over one WebSocket at /playground/ws (JSON text frames). The server sends
 * the whole state the acting person sees after every change (debounced);
 * the page sends what that person does. Shared by both sides: the page's
 * bundle imports these types, and the server validates every incoming frame.
 */

/** Where the page's WebSocket connects. */
export const PLAYGROUND_SOCKET_PATH = '/playground/ws';
/** Files (images, CSVs) as the page fetches them; the emulator's own file URLs need the bot token. */
export const PLAYGROUND_FILES_PATH = '/playground/files/';

export interface PlaygroundPerson {
  id: string;
  /** Slack handle, e.g. "alice". */
  name: string;
  realName: string;
  isAdmin: boolean;
  isBot: boolean;
}

export interface PlaygroundConversation {
  id: string;
  /** Channel name without '#', or the other person's display name for a DM. */
  name: string;
  kind: 'public' | 'private' | 'im' | 'mpim';
  isArchived: boolean;
  /** For a DM: the other party. */
  imUser?: string;
  /** The acting person is a member (only member conversations are listed in the sidebar). */
  isMember: boolean;
}

export interface PlaygroundReaction {
  /** Emoji short name without colons, e.g. "eyes". */
  name: string;
  count: number;
  users: string[];
  /** The acting person reacted. */
  mine: boolean;
}

export interface PlaygroundFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  /** Same-origin URL the page can load (img src, download link). */
  url: string;
  isImage: boolean;
}

export interface PlaygroundMessage {
  ts: string;
  channel: string;
  user: string;
  /** The author's shown name ("Pulse" for the bot). */
  userName: string;
  isBot: boolean;
  subtype?: string;
  /** Slack mrkdwn. */
  text: string;
  /** Block Kit blocks as posted (rich_text for people, section/context/actions… for Pulse). */
  blocks?: unknown[];
  /** Set on replies and on thread roots (= ts on a root). */
  threadTs?: string;
  /** On a thread root: how many replies. */
  replyCount: number;
  /** On a thread root: who replied (ids), for the "N replies" line. */
  replyUsers: string[];
  reactions: PlaygroundReaction[];
  files: PlaygroundFile[];
  edited: boolean;
  /** Pulse is still streaming this message. */
  streaming: boolean;
}

export interface PlaygroundView {
  id: string;
  /** Slack's view JSON as Pulse published/opened it: { type, title?, submit?, close?, blocks, … }. */
  view: Record<string, unknown>;
  /** Field errors from the last submission (block_id → message), as Slack shows under inputs. */
  errors: Record<string, string>;
}

export interface PlaygroundState {
  team: { id: string; name: string };
  /** Who the page acts as. */
  me: PlaygroundPerson;
  /** The people the page can act as (the seeded admin and a member), first the default. */
  actors: PlaygroundPerson[];
  /** Everyone, for rendering <@U…> mentions and names. */
  people: PlaygroundPerson[];
  /** Pulse's bot user. */
  bot: { id: string; name: string };
  /** Every conversation whose name the page may render (<#C…>); the sidebar lists those with isMember. */
  conversations: PlaygroundConversation[];
  /** The DM between the acting person and Pulse (opened when the state is built). */
  pulseDm: string;
  /** Messages of every member conversation, replies included, oldest first, keyed by channel id. */
  messages: Record<string, PlaygroundMessage[]>;
  /** The acting person's App Home view, once Pulse has published one. */
  home: PlaygroundView | null;
  /** Open modals of the acting person, bottom first (the last one is on top). */
  modals: PlaygroundView[];
  /** Message shortcuts (from manifest.json): what the "…" menu offers. */
  shortcuts: { callbackId: string; name: string }[];
}

/** A Block Kit interaction, in the element's own terms. */
export type PlaygroundBlockAction =
  | { type: 'button'; actionId: string; blockId?: string; value?: string }
  | { type: 'static_select'; actionId: string; blockId?: string; value: string; text?: string }
  | { type: 'overflow'; actionId: string; blockId?: string; value: string };

export type PlaygroundTarget = { viewId: string } | { channel: string; ts: string };

/** Frames the page sends. */
export type ClientFrame =
  | { type: 'act_as'; userId: string }
  /** `text` as typed: "@Pulse" and "@name" become <@U…> mentions on the server. */
  | { type: 'post'; channel: string; text: string; threadTs?: string }
  | { type: 'open_dm'; userId: string }
  | { type: 'open_home' }
  | { type: 'shortcut'; callbackId: string; channel: string; ts: string }
  | { type: 'react'; channel: string; ts: string; name: string }
  | { type: 'block_action'; target: PlaygroundTarget; action: PlaygroundBlockAction }
  /** Input values: block_id → action_id → text, or the chosen option's value, or a conversation id. */
  | { type: 'submit_view'; viewId: string; values: Record<string, Record<string, string>> }
  | { type: 'close_view'; viewId: string };

/** Frames the server sends. */
export type ServerFrame =
  | { type: 'state'; state: PlaygroundState }
  /** A user-safe sentence: what the page's action could not do. */
  | { type: 'error'; message: string }
  /** The conversation an open_dm opened, so the page can switch to it. */
  | { type: 'opened'; channel: string };
