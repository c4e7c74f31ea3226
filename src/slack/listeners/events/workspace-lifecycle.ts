/**
 * The workspace going away: app_uninstalled, and tokens_revoked naming
 * Pulse's own bot user, delete everything Pulse stored for it, with no Slack
 * call (its tokens no longer work, so any call would only fail). From the
 * moment a disconnect starts, every other event and click of that workspace is
 * dropped (acked, so Slack does not resend it): nothing new is recorded for a
 * team whose rows are being deleted.
 */
import type { AnyMiddlewareArgs, App } from '@slack/bolt';
import type { ListenerDependencies } from '../index.ts';

const LIFECYCLE_EVENTS = new Set(['app_uninstalled', 'tokens_revoked']);
/** All an app_uninstalled event carries. Anything more is not Slack's (deleting a workspace's data on it would be wrong). */
const APP_UNINSTALLED_FIELDS = new Set(['type', 'event_ts']);

interface BodyLike {
  type?: unknown;
  team_id?: unknown;
  team?: { id?: unknown } | null;
  user?: { team_id?: unknown } | null;
  event?: { type?: unknown };
}

/** The team an envelope is about: events carry team_id, interactive payloads team.id (user.team_id as a fallback). */
function teamOfBody(body: BodyLike): string | undefined {
  const candidates = [body.team_id, body.team?.id, body.user?.team_id];
  return candidates.find((value): value is string => typeof value === 'string' && value !== '');
}

export function register(app: App, deps: ListenerDependencies) {
  app.use(async (args) => {
    const body = args.body as BodyLike;
    const teamId = teamOfBody(body) ?? deps.teamId;
    const eventType = typeof body.event?.type === 'string' ? body.event.type : undefined;
    if (deps.lifecycle.isConnected(teamId) || (eventType !== undefined && LIFECYCLE_EVENTS.has(eventType))) {
      await args.next();
      return;
    }
    const ack = (args as AnyMiddlewareArgs & { ack?: () => Promise<void> }).ack;
    if (ack) await ack();
    deps.logger.debug(`dropped ${eventType ?? String(body.type)} for workspace ${teamId}: Pulse is disconnected from it`);
  });

  app.event('app_uninstalled', async ({ event, body }) => {
    const teamId = body.team_id ?? deps.teamId;
    const unexpected = Object.keys(event).filter((key) => !APP_UNINSTALLED_FIELDS.has(key));
    if (unexpected.length > 0) {
      deps.logger.warn(`ignored an app_uninstalled event for ${teamId} with fields Slack does not send (${unexpected.join(', ')})`);
      return;
    }
    deps.logger.warn(`Pulse was uninstalled from workspace ${teamId}; deleting everything it stored for it.`);
    await deps.lifecycle.disconnect(teamId, 'app_uninstalled');
  });

  app.event('tokens_revoked', async ({ event, body }) => {
    const teamId = body.team_id ?? deps.teamId;
    // The event lists user ids whose tokens went: Pulse has only its bot token, so only its bot user matters.
    const bots: unknown = (event as { tokens?: { bot?: unknown } }).tokens?.bot;
    if (!Array.isArray(bots) || !bots.includes(deps.botUserId)) {
      deps.logger.info(`tokens_revoked in ${teamId} names no token of Pulse's; nothing to do.`);
      return;
    }
    deps.logger.warn(`Slack revoked Pulse's bot token in workspace ${teamId}; deleting everything Pulse stored for it.`);
    await deps.lifecycle.disconnect(teamId, 'tokens_revoked');
  });
}
