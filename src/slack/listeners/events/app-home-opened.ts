/** app_home_opened: draw the Home tab; on the Messages tab, welcome a first-time visitor. */
import type { App } from '@slack/bolt';
import type { ListenerDependencies } from '../index.ts';

export function register(app: App, deps: ListenerDependencies) {
  app.event('app_home_opened', async ({ event }) => {
    const teamId = deps.teamId;
    if (event.tab === 'messages') {
      await deps.welcome(teamId, event.user, event.channel);
      return;
    }
    await deps.appHome.publish(teamId, event.user);
  });
}
