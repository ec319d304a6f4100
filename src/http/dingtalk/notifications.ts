import type { NotifyChannel } from '../../core/outbox/notify.ts';

/**
 * Channels of an AddAttendee call (seed 002): `pushNotification` (pop-up reminder) and
 * `chatNotification` (direct message), each off unless set.
 */
export function attendeeChannels(body: { pushNotification?: boolean; chatNotification?: boolean }): NotifyChannel[] {
  const channels: NotifyChannel[] = [];
  if (body.pushNotification) channels.push('push');
  if (body.chatNotification) channels.push('chat');
  return channels;
}

/**
 * Channels of a CreateEvent/PatchEvent call: both on unless `extra` says
 * `noPushNotification` / `noChatNotification` = "true" (seed 004's `extra`).
 */
export function creationChannels(extra: Record<string, string> | undefined): NotifyChannel[] {
  const channels: NotifyChannel[] = [];
  if (extra?.noPushNotification !== 'true') channels.push('push');
  if (extra?.noChatNotification !== 'true') channels.push('chat');
  return channels;
}
