import type { AppDeps, HttpApp } from '../deps.ts';

/** The console under `/console` (being built). */
export async function consoleUi(app: HttpApp, _deps: AppDeps): Promise<void> {
  app.get('/', async () => 'Kalends console');
}
