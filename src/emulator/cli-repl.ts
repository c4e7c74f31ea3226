/**
 * The standalone emulator's console: act as a person in the workspace (DM,
 * post, mention, shortcut, open App Home) and watch what Pulse does.
 */
import type { SlackEmulator } from './driver.ts';
import type { EmulatedConversation, EmulatedMessage, EmulatedUser } from './types.ts';

export const HELP = `Commands (users by name or id, channels as #name, name or id):
  dm <user> <text>                       a DM to Pulse
  say <user> <channel> <text>            a channel message
  mention <user> <channel> <text>        "@Pulse <text>" in a channel
  reply <user> <channel> <ts> <text>     a reply in a thread (DMs: channel "dm:<user>")
  shortcut <user> <callback_id> <channel> <ts>   a message shortcut on that message
  home <user> [messages]                 open Pulse's App Home tab
  show <channel> [thread_ts]             the conversation (or thread), oldest first
  users | channels | help`;

function findUser(emulator: SlackEmulator, nameOrId: string | undefined): EmulatedUser {
  const wanted = (nameOrId ?? '').replace(/^@/, '');
  const user = [...emulator.workspace.users.values()].find((candidate) => candidate.id === wanted || candidate.name === wanted);
  if (!user) throw new Error(`no user "${wanted}" (try: users)`);
  return user;
}

function findChannel(emulator: SlackEmulator, reference: string | undefined): EmulatedConversation {
  const wanted = (reference ?? '').replace(/^#/, '');
  if (wanted.startsWith('dm:')) return emulator.workspace.openIm(findUser(emulator, wanted.slice(3)).id);
  const channel = [...emulator.workspace.conversations.values()].find((candidate) => candidate.id === wanted || (candidate.kind !== 'im' && candidate.name === wanted));
  if (!channel) throw new Error(`no channel "${wanted}" (try: channels)`);
  return channel;
}

function label(emulator: SlackEmulator, channelId: string): string {
  const channel = emulator.workspace.conversations.get(channelId);
  if (!channel) return channelId;
  return channel.kind === 'im' ? `dm:${emulator.workspace.users.get(channel.imUser ?? '')?.name ?? channel.imUser}` : `#${channel.name}`;
}

function describeMessage(emulator: SlackEmulator, message: EmulatedMessage): string {
  const author = emulator.workspace.users.get(message.user)?.name ?? message.user;
  const reactions = message.reactions.map((reaction) => `:${reaction.name}:×${reaction.users.length}`).join(' ');
  const files = message.fileIds.length > 0 ? ` [${message.fileIds.length} file(s)]` : '';
  const thread = message.threadTs === message.ts ? ` (${message.replyTs.length} replies)` : '';
  return `${message.ts}  ${author}: ${message.text}${files}${thread}${reactions ? `  ${reactions}` : ''}`;
}

export function listUsers(emulator: SlackEmulator): string[] {
  return [...emulator.workspace.users.values()].map((user) => {
    const roles = [user.isBot ? 'bot' : '', user.isAdmin ? 'admin' : '', user.isOwner ? 'owner' : ''].filter(Boolean).join(', ');
    return `  ${user.name.padEnd(8)} ${user.id}${roles ? `  ${roles}` : ''}`;
  });
}

export function listChannels(emulator: SlackEmulator): string[] {
  return [...emulator.workspace.conversations.values()]
    .filter((channel) => channel.kind !== 'im')
    .map((channel) => {
      const notes = [channel.kind === 'private' ? 'private' : '', channel.members.has(emulator.botUserId) ? 'Pulse is a member' : ''].filter(Boolean).join(', ');
      return `  #${channel.name.padEnd(10)} ${channel.id}${notes ? `  ${notes}` : ''}`;
    });
}

/** Runs one console command and returns what to print. */
export function runCommand(emulator: SlackEmulator, line: string): string {
  const [command, ...args] = line.trim().split(/\s+/);
  const rest = (count: number) => args.slice(count).join(' ');
  switch (command) {
    case undefined:
    case '':
      return '';
    case 'help':
      return HELP;
    case 'users':
      return listUsers(emulator).join('\n');
    case 'channels':
      return listChannels(emulator).join('\n');
    case 'dm': {
      const ref = emulator.dm(findUser(emulator, args[0]).id, rest(1));
      return `sent ${ref.ts} in ${label(emulator, ref.channel)}`;
    }
    case 'say':
    case 'mention': {
      const post = command === 'say' ? emulator.post.bind(emulator) : emulator.mention.bind(emulator);
      const ref = post(findUser(emulator, args[0]).id, findChannel(emulator, args[1]).id, rest(2));
      return `sent ${ref.ts} in ${label(emulator, ref.channel)}`;
    }
    case 'reply': {
      const channel = findChannel(emulator, args[1]);
      const ref = emulator.post(findUser(emulator, args[0]).id, channel.id, rest(3), { threadTs: args[2] as string });
      return `sent ${ref.ts} in the thread ${args[2]} of ${label(emulator, ref.channel)}`;
    }
    case 'shortcut': {
      const channel = findChannel(emulator, args[2]);
      emulator.runShortcut(findUser(emulator, args[0]).id, args[1] ?? '', { channel: channel.id, ts: args[3] ?? '' });
      return `ran shortcut ${args[1]} on ${args[3]} in ${label(emulator, channel.id)}`;
    }
    case 'home': {
      const tab = args[1] === 'messages' ? 'messages' : 'home';
      emulator.openHome(findUser(emulator, args[0]).id, tab);
      return `opened the ${tab} tab`;
    }
    case 'show': {
      const channel = findChannel(emulator, args[0]);
      const messages = emulator.messages(channel.id, args[1] ? { threadTs: args[1] } : {});
      return messages.map((message) => describeMessage(emulator, message)).join('\n') || '(no messages)';
    }
    default:
      return `unknown command "${command}"\n${HELP}`;
  }
}

/** Prints what Pulse does in the workspace as it happens. */
export function watchPulse(emulator: SlackEmulator, print: (line: string) => void): void {
  emulator.workspace.onChange((change) => {
    if (change.kind === 'message_posted' && change.message.user === emulator.botUserId) {
      const where = change.message.threadTs ? `${label(emulator, change.message.channel)} thread ${change.message.threadTs}` : label(emulator, change.message.channel);
      print(`pulse → ${where}: ${change.message.text}${change.message.fileIds.length > 0 ? ` [${change.message.fileIds.length} file(s)]` : ''}`);
    }
    if (change.kind === 'message_changed' && change.message.user === emulator.botUserId) {
      print(`pulse ✎ ${label(emulator, change.message.channel)} ${change.message.ts}: ${change.message.text}`);
    }
    if ((change.kind === 'reaction_added' || change.kind === 'reaction_removed') && change.user === emulator.botUserId) {
      print(`pulse ${change.kind === 'reaction_added' ? '+' : '-'}:${change.reaction}: on ${change.message.ts}`);
    }
  });
}
