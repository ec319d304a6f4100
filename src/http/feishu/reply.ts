/** Scopes of the calendar routes: reads take either scope, writes the read-write one. */
export const FEISHU_READ = ['calendar:calendar', 'calendar:calendar:readonly'];
export const FEISHU_WRITE = ['calendar:calendar'];

/** Feishu's success body: `{code: 0, msg: "success", data}`. */
export function ok<T>(data: T): { code: 0; msg: 'success'; data: T } {
  return { code: 0, msg: 'success', data };
}
