import type { Database } from '../schema.ts';
import type { Db } from '../store.ts';

export type MeetingChatRow = Database['meeting_chats'];
export type MeetingMinuteRow = Database['meeting_minutes'];

export function findMeetingChat(db: Db, eventId: string): Promise<MeetingChatRow | undefined> {
  return db.selectFrom('meeting_chats').selectAll().where('event_id', '=', eventId).executeTakeFirst();
}

export function findMeetingChatByChatId(db: Db, chatId: string): Promise<MeetingChatRow | undefined> {
  return db.selectFrom('meeting_chats').selectAll().where('chat_id', '=', chatId).executeTakeFirst();
}

export async function insertMeetingChat(db: Db, row: MeetingChatRow): Promise<void> {
  await db.insertInto('meeting_chats').values(row).execute();
}

export async function deleteMeetingChat(db: Db, eventId: string): Promise<void> {
  await db.deleteFrom('meeting_chats').where('event_id', '=', eventId).execute();
}

export function findMeetingMinute(db: Db, eventId: string): Promise<MeetingMinuteRow | undefined> {
  return db.selectFrom('meeting_minutes').selectAll().where('event_id', '=', eventId).executeTakeFirst();
}

export function findMeetingMinuteByToken(db: Db, docToken: string): Promise<MeetingMinuteRow | undefined> {
  return db.selectFrom('meeting_minutes').selectAll().where('doc_token', '=', docToken).executeTakeFirst();
}

export async function insertMeetingMinute(db: Db, row: MeetingMinuteRow): Promise<void> {
  await db.insertInto('meeting_minutes').values(row).execute();
}

/** Ends an event's meeting chat and minutes (the event was deleted). */
export async function deleteMeetingArtifacts(db: Db, eventId: string): Promise<void> {
  await db.deleteFrom('meeting_chats').where('event_id', '=', eventId).execute();
  await db.deleteFrom('meeting_minutes').where('event_id', '=', eventId).execute();
}
