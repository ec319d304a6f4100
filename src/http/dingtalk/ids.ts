import type { EventKey } from '../../core/events/event.ts';

/**
 * DingTalk renders event and calendar ids as base64 of a base64 string (seed 000:
 * `cnNTbW1YbU9sL2p6aFJZdEgvdlQrQT09`). Kalends encodes the core UUID's 16 bytes that way, the
 * outer layer in the URL-safe alphabet so an id never holds a `/` that would split a path.
 */
export function renderId(coreId: string): string {
  const inner = Buffer.from(coreId.replace(/-/g, ''), 'hex').toString('base64');
  return Buffer.from(inner, 'ascii').toString('base64url');
}

const UUID_HEX = /^[0-9a-f]{32}$/;

/**
 * An event's DingTalk id. One occurrence of a recurring series (an exception, or an occurrence
 * expanded on read) has an id of its own, as DingTalk's instances do (GetEvent: `id` with
 * `seriesMasterId`): the same encoding over the master's 16 bytes followed by the occurrence's
 * original start (ms, 8 bytes big-endian), so an occurrence that was never stored is
 * addressable, and an exception keeps its id when its start moves.
 */
export function renderEventId(event: { id: string; seriesMasterId: string | null; originalStart: number | null }): string {
  if (event.seriesMasterId === null || event.originalStart === null) return renderId(event.id);
  const bytes = Buffer.alloc(24);
  Buffer.from(event.seriesMasterId.replace(/-/g, ''), 'hex').copy(bytes);
  bytes.writeBigInt64BE(BigInt(event.originalStart), 16);
  return Buffer.from(bytes.toString('base64'), 'ascii').toString('base64url');
}

/** The event or occurrence behind a DingTalk event id; an id Kalends did not make names nothing (''). */
export function parseEventKey(id: string): EventKey {
  const plain = parseId(id);
  if (plain) return { id: plain, originalStart: null };
  const bytes = Buffer.from(Buffer.from(id, 'base64url').toString('ascii'), 'base64');
  if (bytes.length !== 24) return { id: '', originalStart: null };
  const originalStart = Number(bytes.readBigInt64BE(16));
  const masterId = uuidOf(bytes.subarray(0, 16).toString('hex'));
  if (renderEventId({ id: masterId, seriesMasterId: masterId, originalStart }) !== id.replace(/=+$/, '')) return { id: '', originalStart: null };
  return { id: masterId, originalStart };
}

function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The core id behind a DingTalk id, or null when the id is not one Kalends made. */
export function parseId(id: string): string | null {
  const inner = Buffer.from(id, 'base64url').toString('ascii');
  const hex = Buffer.from(inner, 'base64').toString('hex');
  if (!UUID_HEX.test(hex) || renderId(hex) !== id.replace(/=+$/, '')) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
