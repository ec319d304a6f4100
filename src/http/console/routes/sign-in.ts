import { signInByLink, signInPage } from '../../../core/events/sign-in.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { field } from '../form.ts';
import { notFound } from '../not-found.ts';
import { sendPage } from '../render.ts';
import { SignInView } from '../views/sign-in.tsx';

/**
 * The pages DingTalk's getSignInLink / getSignOutLink hand out: `GET /console/sign-in/:token`
 * lists the event's participants; `POST` (form field `user`, an internal user id) signs that
 * participant in (or out) at the sandbox clock's time, then shows the page again. The token is
 * the capability, so these pages need no console sign-in (guard.ts).
 */
export function signInRoutes(app: HttpApp, deps: AppDeps): void {
  app.get<{ Params: { token: string } }>('/sign-in/:token', async (request, reply) => {
    const page = await signInPage(deps.store.db, request.params.token);
    if (!page) return notFound(reply, 'No such sign-in page.');
    return sendPage(reply, SignInView, { page, token: request.params.token });
  });

  app.post<{ Params: { token: string } }>('/sign-in/:token', async (request, reply) => {
    const token = request.params.token;
    await deps.store.transaction((tx) => signInByLink(tx, token, field(request.body, 'user'), deps.clock.now()));
    const page = await signInPage(deps.store.db, token);
    if (!page) return notFound(reply, 'No such sign-in page.');
    const who = page.entries.find((e) => e.user.id === field(request.body, 'user'))?.user.name ?? '';
    return sendPage(reply, SignInView, { page, token, done: `${who} ${page.kind === 'in' ? 'signed in' : 'signed out'}.` });
  });
}
