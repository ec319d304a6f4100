import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './001-initial.ts';
import { deliveryAndSandbox } from './002-delivery-and-sandbox.ts';
import { usersByBotApp } from './003-users-by-bot-app.ts';
import { attendeesByUserNumber } from './004-attendees-by-user-number.ts';
import { seriesExceptions } from './005-series-exceptions.ts';
import { streamConnections } from './006-stream-connections.ts';
import { userSignIn } from './007-user-sign-in.ts';
import { dingtalkSignIn } from './008-dingtalk-sign-in.ts';
import { feishuMeetingChats } from './009-feishu-meeting-chats.ts';
import { caldavObjects } from './010-caldav-objects.ts';
import { caldavAccounts } from './011-caldav-accounts.ts';
import { eventsByOrganizer } from './012-events-by-organizer.ts';

/**
 * The numbered migrations, in order. A migration never changes after it has landed; a new
 * schema change is a new numbered entry here.
 */
const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-delivery-and-sandbox': deliveryAndSandbox,
  '003-users-by-bot-app': usersByBotApp,
  '004-attendees-by-user-number': attendeesByUserNumber,
  '005-series-exceptions': seriesExceptions,
  '006-stream-connections': streamConnections,
  '007-user-sign-in': userSignIn,
  '008-dingtalk-sign-in': dingtalkSignIn,
  '009-feishu-meeting-chats': feishuMeetingChats,
  '010-caldav-objects': caldavObjects,
  '011-caldav-accounts': caldavAccounts,
  '012-events-by-organizer': eventsByOrganizer,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
