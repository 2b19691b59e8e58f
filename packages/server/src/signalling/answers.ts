/*
 * Wire texts of answers, built by hand: they are the most frequent server messages and their
 * shape is fixed (see AnswerOk / AnswerError / ProtocolErrorNotice in @parley/protocol).
 */

/** `{type:"answer", re, ok:true, data?}` */
export function okAnswer(id: number, data?: unknown): string {
  return data === undefined ? '{"type":"answer","re":' + id + ',"ok":true}' : '{"type":"answer","re":' + id + ',"ok":true,"data":' + JSON.stringify(data) + '}';
}

/** `{type:"answer", re, ok:false, error:{code, message}}` */
export function errorAnswer(id: number, code: number, message: string): string {
  return '{"type":"answer","re":' + id + ',"ok":false,"error":{"code":' + code + ',"message":' + JSON.stringify(message) + '}}';
}

/** `{type:"protocolError", error:{code, message}}`, for frames whose id cannot be read. */
export function protocolError(code: number, message: string): string {
  return '{"type":"protocolError","error":{"code":' + code + ',"message":' + JSON.stringify(message) + '}}';
}
