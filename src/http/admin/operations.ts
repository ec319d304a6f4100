/**
 * The admin API's operation names (OpenAPI operationIds), by `METHOD /admin/v1/path`, like the
 * dialects' tables of SDK method names.
 */
const A = '/admin/v1';
export const ADMIN_OPERATIONS: Readonly<Record<string, string>> = {
  [`PUT ${A}/directory`]: 'loadDirectory',
  [`PUT ${A}/tenants/:tenantId/users/:unionId`]: 'putUser',
  [`POST ${A}/tokens`]: 'mintToken',
  [`GET ${A}/faults`]: 'listFaults',
  [`POST ${A}/faults`]: 'injectFault',
  [`DELETE ${A}/faults/:id`]: 'clearFault',
  [`GET ${A}/clock`]: 'getClock',
  [`PUT ${A}/clock`]: 'setClock',
  [`GET ${A}/inbox`]: 'listInbox',
  [`GET ${A}/deliveries`]: 'listDeliveries',
  [`GET ${A}/api-calls`]: 'listApiCalls',
  [`GET ${A}/connections`]: 'listConnections',
  [`DELETE ${A}/connections/:id`]: 'closeConnection',
  [`GET ${A}/caldav-accounts`]: 'listCaldavAccounts',
  [`DELETE ${A}/caldav-accounts/:id`]: 'revokeCaldavAccount',
};
