import { Type } from '@sinclair/typebox';

/** DingTalk's error body (`sendDingTalkError`): `{code, message, requestid}`, `accessdenieddetail` on a missing scope. */
export const DingTalkErrorBody = Type.Object({
  code: Type.String({ description: 'e.g. invalidParameter, itemNotFound, InvalidAuthentication' }),
  message: Type.String(),
  requestid: Type.String({ description: 'the id of this request, also in the logs' }),
  accessdenieddetail: Type.Optional(Type.Object({}, { additionalProperties: true })),
}, { title: 'DingTalkError' });

/** Feishu's error body (`sendFeishuError`): `{code, msg, error: {log_id, troubleshooter?}}`, the 19xxxx codes of seed 001. */
export const FeishuErrorBody = Type.Object({
  code: Type.Integer({ description: 'Feishu error number, e.g. 190002 (invalid parameters), 99991663 (invalid token)' }),
  msg: Type.String(),
  error: Type.Optional(Type.Object({
    log_id: Type.String({ description: 'the id of this request, also in the X-Tt-Logid header and the logs' }),
    troubleshooter: Type.Optional(Type.String()),
  })),
}, { title: 'FeishuError' });

/** The admin API's error body: `{code, message}` with a code of the Kalends catalogue. */
export const AdminErrorBody = Type.Object({
  code: Type.String({ description: 'a Kalends error code, e.g. INVALID_PARAMETER, ACCESS_TOKEN_INVALID' }),
  message: Type.String(),
}, { title: 'AdminError' });
