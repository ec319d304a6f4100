import formbody from '@fastify/formbody';
import { KalendsError } from '../../core/errors.ts';
import type { AppDeps, HttpApp } from '../deps.ts';
import { guardConsole } from './guard.ts';
import { notFound } from './not-found.ts';
import { sendPage } from './render.ts';
import { apiCallRoutes } from './routes/api-calls.ts';
import { calendarRoutes } from './routes/calendars.ts';
import { connectionRoutes } from './routes/connections.ts';
import { deliveryRoutes } from './routes/deliveries.ts';
import { eventRoutes, meetingRoutes, roomAnswerRoutes } from './routes/events.ts';
import { loginRoutes } from './routes/login.ts';
import { overviewRoutes } from './routes/overview.ts';
import { roomRoutes } from './routes/rooms.ts';
import { sandboxRoutes } from './routes/sandbox.ts';
import { scheduleRoutes } from './routes/schedule.ts';
import { searchRoutes } from './routes/search.ts';
import { signInRoutes } from './routes/sign-in.ts';
import { userRoutes } from './routes/users.ts';
import { MessagePage } from './views/message.tsx';

/**
 * The console under `/console`: server-rendered pages over the store (src/store/repositories/
 * console.ts), the API log and the sandbox controls. Plain HTML forms, no scripts. Needs
 * @fastify/cookie registered by the caller (the admin cookie).
 */
export async function consoleUi(app: HttpApp, deps: AppDeps): Promise<void> {
  await app.register(formbody);
  guardConsole(app, deps.sandbox);
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof KalendsError) return sendPage(reply, MessagePage, { title: 'Refused', message: error.message }, 400);
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return sendPage(reply, MessagePage, { title: 'Bad request', message: (error as Error).message }, status);
    }
    request.log.error({ err: error }, 'console page failed');
    return sendPage(reply, MessagePage, { title: 'Something went wrong', message: `The page failed; the server log has the details (request ${request.id}).` }, 500);
  });
  app.setNotFoundHandler((_request, reply) => notFound(reply, 'No such console page.'));
  loginRoutes(app, deps);
  overviewRoutes(app, deps);
  searchRoutes(app, deps);
  userRoutes(app, deps);
  calendarRoutes(app, deps);
  roomRoutes(app, deps);
  scheduleRoutes(app, deps);
  eventRoutes(app, deps);
  roomAnswerRoutes(app, deps);
  meetingRoutes(app, deps);
  deliveryRoutes(app, deps);
  connectionRoutes(app, deps);
  apiCallRoutes(app, deps);
  sandboxRoutes(app, deps);
  signInRoutes(app, deps);
}
