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

/** The core id behind a DingTalk id, or null when the id is not one Kalends made. */
export function parseId(id: string): string | null {
  const inner = Buffer.from(id, 'base64url').toString('ascii');
  const hex = Buffer.from(inner, 'base64').toString('hex');
  if (!UUID_HEX.test(hex) || renderId(hex) !== id.replace(/=+$/, '')) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
