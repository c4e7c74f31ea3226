/** reactions.*, users.info, auth.*, team.info, apps.connections.open, assistant.threads.*. */
import { renderMessage, renderUser } from '../slack-json.ts';
import { SlackError } from '../workspace.ts';
import { booleanParam, requireStringParam, stringParam, type MethodHandler } from './context.ts';

/** Reaction names arrive with or without colons; Slack stores them bare. */
function reactionName(params: Record<string, unknown>): string {
  return requireStringParam(params, 'name').replace(/^:|:$/g, '');
}

const reactionsAdd: MethodHandler = ({ workspace, params }) => {
  const channel = workspace.requireBotAccess(requireStringParam(params, 'channel'));
  workspace.addReaction(channel.id, requireStringParam(params, 'timestamp'), reactionName(params), workspace.bot.id);
  return {};
};

const reactionsRemove: MethodHandler = ({ workspace, params }) => {
  const channel = workspace.requireBotAccess(requireStringParam(params, 'channel'));
  workspace.removeReaction(channel.id, requireStringParam(params, 'timestamp'), reactionName(params), workspace.bot.id);
  return {};
};

const reactionsGet: MethodHandler = ({ runtime, workspace, params }) => {
  const channel = workspace.requireBotAccess(requireStringParam(params, 'channel'));
  const message = workspace.requireMessage(channel.id, requireStringParam(params, 'timestamp'));
  return { type: 'message', channel: channel.id, message: renderMessage(workspace, message, runtime.baseUrl) };
};

const usersInfo: MethodHandler = ({ workspace, params }) => {
  const user = workspace.requireUser(requireStringParam(params, 'user'));
  const rendered = renderUser(workspace, user);
  if (!booleanParam(params, 'include_locale')) return { user: rendered };
  return { user: { ...rendered, locale: 'en-US' } };
};

const authTest: MethodHandler = ({ workspace }) => ({
  url: `https://${workspace.team.domain}.slack.com/`,
  team: workspace.team.name,
  user: workspace.bot.name,
  team_id: workspace.team.id,
  user_id: workspace.bot.id,
  bot_id: workspace.bot.botId,
  is_enterprise_install: false,
});

const authRevoke: MethodHandler = ({ runtime, params }) => {
  if (booleanParam(params, 'test')) return { revoked: false };
  runtime.revoked = true;
  return { revoked: true };
};

const teamInfo: MethodHandler = ({ workspace }) => ({
  team: {
    id: workspace.team.id,
    name: workspace.team.name,
    domain: workspace.team.domain,
    email_domain: 'example.com',
    icon: { image_default: true },
    url: `https://${workspace.team.domain}.slack.com/`,
  },
});

const connectionsOpen: MethodHandler = ({ runtime }) => ({ url: runtime.openSocketModeUrl() });

/** Thread statuses the assistant methods set, readable by tests. */
export const assistantStatuses = new WeakMap<object, Map<string, string>>();

const setStatus: MethodHandler = ({ workspace, params }) => {
  const channel = workspace.requireBotAccess(requireStringParam(params, 'channel_id'));
  const threadTs = requireStringParam(params, 'thread_ts');
  const statuses = assistantStatuses.get(workspace) ?? new Map<string, string>();
  assistantStatuses.set(workspace, statuses);
  statuses.set(`${channel.id}:${threadTs}`, stringParam(params, 'status') ?? '');
  return {};
};

const assistantNoop: MethodHandler = ({ workspace, params }) => {
  workspace.requireBotAccess(requireStringParam(params, 'channel_id'));
  requireStringParam(params, 'thread_ts');
  return {};
};

export const reactionAndUserMethods: Record<string, MethodHandler> = {
  'reactions.add': reactionsAdd,
  'reactions.remove': reactionsRemove,
  'reactions.get': reactionsGet,
  'users.info': usersInfo,
  'auth.test': authTest,
  'auth.revoke': authRevoke,
  'team.info': teamInfo,
  'apps.connections.open': connectionsOpen,
  'assistant.threads.setStatus': setStatus,
  'assistant.threads.setSuggestedPrompts': assistantNoop,
  'assistant.threads.setTitle': assistantNoop,
};

export { SlackError };
