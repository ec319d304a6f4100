import type { AppDeps, HttpApp } from '../../deps.ts';
import { sameToken, setAdminCookie } from '../../admin/admin-auth.ts';
import { field, queryParam } from '../form.ts';
import { sendPage } from '../render.ts';
import { LoginPage } from '../views/login.tsx';

const WRONG = 'Wrong token: that is not this server\'s admin token.';

/** `GET /console/login` (the form) and `POST /console/login` (cookie, then the overview). */
export function loginRoutes(app: HttpApp, deps: AppDeps): void {
  app.get('/login', async (request, reply) => {
    if (deps.sandbox.adminToken === null) return reply.redirect('/console', 302);
    return sendPage(reply, LoginPage, { error: queryParam(request.query, 'failed') ? WRONG : undefined });
  });

  app.post('/login', async (request, reply) => {
    const expected = deps.sandbox.adminToken;
    if (expected === null) return reply.redirect('/console', 303);
    const given = field(request.body, 'token');
    if (given === '' || !sameToken(given, expected)) return sendPage(reply, LoginPage, { error: WRONG }, 401);
    setAdminCookie(reply, expected);
    return reply.redirect('/console', 303);
  });
}
