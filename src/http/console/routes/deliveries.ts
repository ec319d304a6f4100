import type { AppDeps, HttpApp } from '../../deps.ts';
import * as repo from '../../../store/repositories/console.ts';
import { listDeliveries } from '../../../store/repositories/deliveries.ts';
import { queryParam, serialId } from '../form.ts';
import { prettyJson, redact } from '../format.ts';
import { notFound } from '../not-found.ts';
import { sendPage } from '../render.ts';
import { DELIVERY_STATUSES, DeliveriesPage, DeliveryPage } from '../views/deliveries.tsx';

const SHOWN = 200;

/** `GET /console/deliveries?app=&status=` and `GET /console/deliveries/:id`. */
export function deliveryRoutes(app: HttpApp, deps: AppDeps): void {
  app.get('/deliveries', async (request, reply) => {
    const db = deps.store.db;
    const apps = await repo.listApps(db, 500);
    const appId = queryParam(request.query, 'app');
    const status = queryParam(request.query, 'status');
    const filter = {
      app: apps.some((a) => a.id === appId) ? appId : '',
      status: (DELIVERY_STATUSES as readonly string[]).includes(status) ? status : '',
    };
    const deliveries = await listDeliveries(db, { appId: filter.app || undefined, status: filter.status || undefined, limit: SHOWN });
    return sendPage(reply, DeliveriesPage, { deliveries, apps, filter, limit: SHOWN });
  });

  app.get<{ Params: { id: string } }>('/deliveries/:id', async (request, reply) => {
    const db = deps.store.db;
    const id = serialId(request.params.id);
    const delivery = id === null ? undefined : await repo.findDelivery(db, id);
    if (!delivery) return notFound(reply, 'No such delivery.');
    const [apps, secrets] = await Promise.all([repo.listApps(db, 500), repo.appSecretValues(db, [delivery.app_id])]);
    const app = apps.find((a) => a.id === delivery.app_id);
    // Blank the secrets before and after pretty-printing: JSON escapes may differ between the two.
    const show = (text: string | null) => redact(prettyJson(redact(text, secrets)), secrets);
    return sendPage(reply, DeliveryPage, {
      delivery, appClientId: app ? `${app.client_id} (${app.platform})` : delivery.app_id,
      sentBody: show(delivery.sent_body), sentHeaders: show(delivery.sent_headers), reply: show(delivery.last_reply), payload: show(delivery.payload),
    });
  });
}
