import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { HttpApp } from '../deps.ts';
import { SURFACES, type Surface } from './surfaces.ts';

/** Where the browsable reference (Swagger UI, served from the package: no network) lives. */
export const REFERENCE_PATH = '/reference';

type Schema = Record<string, unknown>;

/**
 * One route as its surface's document shows it: operationId from the surface's table, the tag,
 * the error body as the `default` response (the route's own 400 body when it declares one), and the route's auth (none when `anonymous`, unless
 * the route's schema names its own `security`).
 */
function describe(surface: Surface, route: RouteOptions, url: string): { schema: Schema } {
  const schema = { ...(route.schema as Schema | undefined) };
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const operationId = surface.operations[`${methods[0]} ${url}`];
  if (operationId) {
    schema.operationId = operationId;
    schema.tags = [surface.tagOf(operationId, url)];
  }
  // A route that words its refusals its own way (authen/v2/oauth/token's OAuth 2.0 body) names
  // that body for 400; its other errors take the same body, so it is its default too.
  const response = schema.response as Schema | undefined;
  const ownError = response?.['400'] as Schema | undefined;
  schema.response = { ...response, default: { description: 'Error', ...(ownError ?? surface.errorBody) } };
  const anyScheme = Object.keys(surface.securitySchemes).map((name) => ({ [name]: [] }));
  schema.security ??= route.config?.anonymous ? [] : anyScheme;
  const scopes = route.config?.feishuScopes ?? (route.config?.scope ? [route.config.scope] : undefined);
  if (scopes && !schema.description) schema.description = `Scopes (any one): ${scopes.join(', ')}`;
  return { schema };
}

/**
 * Registers one `@fastify/swagger` collector per surface (each sees every route through its
 * onRoute hook and keeps those under its prefix), serves them as `GET /openapi/<surface>.json`,
 * and the Swagger UI over all three at `/reference`. Must run before any route is registered.
 * Routes outside the three prefixes (console, health, metrics, these) are in no document.
 */
export async function registerOpenApi(app: HttpApp): Promise<void> {
  const documents = new Map<string, () => unknown>();
  for (const surface of SURFACES) {
    const decorator = `openapi_${surface.name}`;
    await app.register(swagger, {
      decorator,
      openapi: {
        openapi: '3.0.3',
        info: { title: surface.title, description: surface.description, version: process.env.npm_package_version ?? '0.1.0' },
        components: { securitySchemes: surface.securitySchemes },
      },
      transform: ({ schema, url, route }) => {
        if (!url.startsWith(surface.prefix)) return { schema: { ...(schema as Schema), hide: true }, url };
        return { ...describe(surface, route as RouteOptions, url), url };
      },
    });
    documents.set(surface.name, () => (app as unknown as Record<string, () => unknown>)[decorator]!());
  }
  for (const [name, document] of documents) app.get(`/openapi/${name}.json`, { schema: { hide: true } }, async () => document());
  // Swagger UI reads `fastify.swagger()` for its own /json: the DingTalk document; its drop-down lists all three.
  (app as unknown as FastifyInstance).decorate('swagger', documents.get('dingtalk') as never);
  await app.register(swaggerUi, {
    routePrefix: REFERENCE_PATH,
    uiConfig: { urls: SURFACES.map((s) => ({ url: `/openapi/${s.name}.json`, name: s.title })), validatorUrl: null },
  });
}
