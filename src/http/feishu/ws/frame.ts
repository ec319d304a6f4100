import protobuf from 'protobufjs';

/**
 * Feishu's long-connection frame, `pbbp2.Frame` (proto2), as `@larksuiteoapi/node-sdk` 1.74
 * generates it (`lib/index.js`, `pbbp2.Frame`) and the Go SDK names it (`ws/model.go`):
 * reference long-connections.md §4.1. Encoded and decoded by protobufjs, the library the SDK
 * itself uses.
 */
const PROTO = `
syntax = "proto2";
package pbbp2;
message Header { required string key = 1; required string value = 2; }
message Frame {
  required uint64 SeqID = 1;
  required uint64 LogID = 2;
  required int32 service = 3;
  required int32 method = 4;
  repeated Header headers = 5;
  optional string payloadEncoding = 6;
  optional string payloadType = 7;
  optional bytes payload = 8;
  optional string LogIDNew = 9;
}`;

const FrameType = protobuf.parse(PROTO, { keepCase: true }).root.lookupType('pbbp2.Frame');

/** `Frame.method`: control frames (ping, pong) and data frames (events). */
export const FRAME_METHOD = { control: 0, data: 1 } as const;

export interface FrameHeader { key: string; value: string }

/** A decoded frame; SeqID and LogID as numbers (Kalends' own are small). */
export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: FrameHeader[];
  payload?: Uint8Array;
}

export function encodeFrame(frame: Frame): Uint8Array {
  return FrameType.encode(FrameType.fromObject(frame)).finish();
}

/** @throws Error when the bytes are not a `pbbp2.Frame` (a required field missing, bad wire data). */
export function decodeFrame(bytes: Uint8Array): Frame {
  const message = FrameType.decode(bytes);
  const o = FrameType.toObject(message, { longs: Number, defaults: true, arrays: true }) as Frame;
  return o;
}

/** The value of a frame's header, undefined when absent. */
export function headerOf(frame: Frame, key: string): string | undefined {
  return frame.headers.find((h) => h.key === key)?.value;
}
