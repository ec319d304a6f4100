import type { FastifyReply } from 'fastify';
import type { Platform } from '../../../core/actor.ts';
import { DirectoryFormatError, parseDirectory } from '../../../core/directory/directory-file.ts';
import { loadDirectory } from '../../../core/directory/load-directory.ts';
import { ERROR_CODES, fail, KalendsError, type ErrorCode } from '../../../core/errors.ts';
import { clearFault, injectFault, listArmedFaults, type FaultSpec } from '../../../core/sandbox/faults.ts';
import { mintTokenFor } from '../../../core/sandbox/mint-token.ts';
import { listApps } from '../../../store/repositories/console.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { DINGTALK_OPERATIONS } from '../../dingtalk/operations.ts';
import { FEISHU_OPERATIONS } from '../../feishu/operations.ts';
import { field, intField, queryParam, serialId } from '../form.ts';
import { sendPage } from '../render.ts';
import { SandboxPage, type SandboxData } from '../views/sandbox.tsx';

/** What each control's redirect says on the page it lands on. */
const DONE: Record<string, string> = {
  fault: 'Fault armed.',
  cleared: 'Fault cleared.',
  clock: 'Server clock changed.',
};
const OPERATIONS = ['*', ...new Set([...Object.values(DINGTALK_OPERATIONS), ...Object.values(FEISHU_OPERATIONS)])];
/** Largest clock shift accepted either way: ten years. */
const MAX_OFFSET_MS = 10 * 366 * 86_400_000;

type Extra = Pick<SandboxData, 'error' | 'info' | 'minted' | 'directorySummary' | 'directoryText'>;

async function renderSandbox(reply: FastifyReply, deps: AppDeps, extra: Extra, status = 200): Promise<FastifyReply> {
  const db = deps.store.db;
  const [apps, faults] = await Promise.all([listApps(db, 500), listArmedFaults(db)]);
  return sendPage(reply, SandboxPage, {
    apps, faults, operations: OPERATIONS, errorCodes: ERROR_CODES, now: deps.clock.now(), offsetMs: deps.sandbox.clock.offset, ...extra,
  }, status);
}

/** The app select's `platform:clientId`. @throws KalendsError INVALID_PARAMETER. */
function appOf(body: unknown): { platform: Platform; clientId: string } {
  const value = field(body, 'app');
  const at = value.indexOf(':');
  const platform = value.slice(0, at);
  if (at < 0 || (platform !== 'dingtalk' && platform !== 'feishu')) fail('INVALID_PARAMETER', 'choose an app');
  return { platform, clientId: value.slice(at + 1) };
}

/** The fault form as a `FaultSpec`. @throws KalendsError INVALID_PARAMETER. */
function faultSpecOf(body: unknown): FaultSpec {
  const kind = field(body, 'kind');
  const latencyMs = intField(body, 'latencyMs', { min: 0, max: 60_000, fallback: 0 });
  const spec: FaultSpec = {
    ...appOf(body), operation: field(body, 'operation') || '*', count: intField(body, 'count', { min: 1, max: 10_000 }),
  };
  if (latencyMs > 0) spec.latencyMs = latencyMs;
  if (kind.startsWith('http:')) spec.httpStatus = Number(kind.slice(5));
  else if (kind.startsWith('error:')) {
    const code = kind.slice(6);
    if (!(ERROR_CODES as readonly string[]).includes(code)) fail('INVALID_PARAMETER', `unknown error code ${code}`);
    spec.error = code as ErrorCode;
  } else if (kind !== 'latency') fail('INVALID_PARAMETER', 'choose a fault');
  return spec;
}

/** The clock form's new offset, ms. @throws KalendsError INVALID_PARAMETER. */
function offsetOf(body: unknown, current: number): number {
  const mode = field(body, 'mode');
  const big = { min: -MAX_OFFSET_MS / 60_000, max: MAX_OFFSET_MS / 60_000, fallback: 0 };
  let offset: number;
  if (mode === 'reset') offset = 0;
  else if (mode === 'advance') offset = current + intField(body, 'minutes', big) * 60_000;
  else if (mode === 'set') offset = (intField(body, 'hours', { ...big, min: big.min / 60, max: big.max / 60 }) * 60 + intField(body, 'minutes', big)) * 60_000;
  else fail('INVALID_PARAMETER', 'unknown clock action');
  if (Math.abs(offset) > MAX_OFFSET_MS) fail('INVALID_PARAMETER', 'the clock may move at most ten years either way');
  return offset;
}

/** Runs a control; a core error (a refused value) comes back as the page with its message, 400. */
async function control(reply: FastifyReply, deps: AppDeps, run: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof KalendsError) return renderSandbox(reply, deps, { error: error.message }, 400);
    throw error;
  }
}

/** The sandbox page and its controls: faults, user tokens, the clock, the directory. */
export function sandboxRoutes(app: HttpApp, deps: AppDeps): void {
  const db = deps.store.db;

  app.get('/sandbox', async (request, reply) => renderSandbox(reply, deps, { info: DONE[queryParam(request.query, 'done')] }));

  app.post('/sandbox/faults', async (request, reply) => control(reply, deps, async () => {
    const spec = faultSpecOf(request.body);
    await deps.store.transaction((tx) => injectFault(tx, spec, deps.clock.now()));
    await deps.sandbox.faults.refresh(db);
    return reply.redirect('/console/sandbox?done=fault#armed', 303);
  }));

  app.post<{ Params: { id: string } }>('/sandbox/faults/:id/clear', async (request, reply) => control(reply, deps, async () => {
    const id = serialId(request.params.id);
    if (id === null || !(await deps.store.transaction((tx) => clearFault(tx, id)))) fail('INVALID_PARAMETER', 'no such fault');
    await deps.sandbox.faults.refresh(db);
    return reply.redirect('/console/sandbox?done=cleared#armed', 303);
  }));

  app.post('/sandbox/mint', async (request, reply) => control(reply, deps, async () => {
    const target = appOf(request.body);
    const user = field(request.body, 'user');
    if (user === '') fail('INVALID_PARAMETER', 'give a unionId, openId or userId');
    const now = deps.clock.now();
    const issued = await mintTokenFor(deps.store, { ...target, user }, now);
    // Shown in this reply only (never in an address or a redirect); the page is not cached.
    const minted = { token: issued.token, expiresAt: now + issued.expiresIn * 1000, userName: issued.user.name, app: `${target.platform} · ${target.clientId}` };
    return renderSandbox(reply, deps, { minted });
  }));

  app.post('/sandbox/clock', async (request, reply) => control(reply, deps, async () => {
    const offset = offsetOf(request.body, deps.sandbox.clock.offset);
    await deps.store.transaction((tx) => deps.sandbox.clock.shift(tx, offset));
    return reply.redirect('/console/sandbox?done=clock#clock', 303);
  }));

  app.post('/sandbox/directory', async (request, reply) => {
    const text = field(request.body, 'directory');
    try {
      const summary = await loadDirectory(deps.store, parseDirectory(JSON.parse(text)), deps.clock.now());
      return await renderSandbox(reply, deps, { directorySummary: summary, info: 'Directory loaded.' });
    } catch (error) {
      return renderSandbox(reply, deps, { error: directoryError(error), directoryText: text }, 400);
    }
  });
}

/** Why a directory was refused, in words (never a stack). */
function directoryError(error: unknown): string {
  if (error instanceof SyntaxError) return `Not valid JSON: ${error.message}`;
  if (error instanceof DirectoryFormatError) return error.message;
  if (error instanceof Error) return `The directory was not loaded: ${error.message}`;
  return 'The directory was not loaded.';
}
