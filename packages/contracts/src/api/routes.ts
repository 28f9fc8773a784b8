import { z } from 'zod';
import {
  ZAccount, ZApiKey, ZAuditEvent, ZChangePasswordRequest, ZTotpBeginResponse, ZTotpCodeRequest, ZTotpConfirmResponse, ZCreateApiKeyRequest, ZCreateApiKeyResponse, ZCreateSshKeyRequest, ZCreateTenantRequest, ZCreateUserRequest,
  ZListAuditEventsQuery, ZListTenantsQuery, ZListUsersQuery, ZSshKey, ZTenant, ZUpdateTenantByIdRequest, ZUser,
} from '../account.ts';
import { ZAddHostRequest, ZHostInstall, ZHostInstallResponse, ZInstallHostRequest, ZAddIpPoolHostRequest, ZCreateIpPoolRequest, ZEvacuateHostResponse, ZHost, ZIpPool, ZListIpPoolsQuery, ZMigrateServerRequest, ZUpdateHostRequest } from '../hosts.ts';
import { ZListQuarantinedQuery, ZQuarantinedContainer } from '../hosts.ts';
import { ZUserPermissions } from '../permissions.ts';
import { ZCreateWebhookRequest, ZCreateWebhookResponse, ZListDeliveriesQuery, ZWebhook, ZWebhookDelivery } from '../webhooks.ts';
import {
  ZServerQuote, ZResellerPrice, ZListResellerPricesQuery, ZSetResellerPriceRequest, ZBillingSummary, ZBillingSummaryQuery, ZCreateLedgerEntryRequest, ZInvoice, ZLedgerEntry, ZListInvoicesQuery, ZListLedgerQuery, ZRecordPaymentRequest,
} from '../billing.ts';
import { ZId } from '../ids.ts';
import { ZGetOperationQuery, ZListOperationsQuery, ZOperation } from '../operations.ts';
import { ZListQuery, ZPage } from '../pagination.ts';
import { ZCreatePlanRequest, ZCreateTemplateRequest, ZPlan, ZTemplate, ZUpdatePlanRequest, ZUpdateTemplateRequest } from '../plans.ts';
import {
  ZCreateServerRequest, ZCreateServerResponse, ZListServersQuery, ZOperationResponse, ZReinstallServerRequest,
  ZConsoleTicket, ZMetricsQuery, ZResizeServerRequest, ZServer, ZServerAction, ZServerMetrics, ZUpdateServerRequest, ZUpdateTenantRequest,
} from '../servers.ts';
import { BACKUP_ROUTES } from './backup-routes.ts';
import { serverParams, ZCatalogPage, type TRouteDef } from './route-def.ts';

export type { THttpMethod, TRouteDef } from './route-def.ts';

const ZCatalogQuery = z.object({ includeRetired: z.stringbool().optional() });
const ZTenantNetworkResponse = z.object({
  tenant: z.object({ id: ZId('tenant'), privateNetwork: z.boolean() }),
  operations: z.array(ZOperation),
});

export const ROUTES = {
  listServers: {
    method: 'GET', path: '/servers', tag: 'servers', scope: 'servers:read', summary: 'List servers (newest first, cursor-paginated; filter by status, hostId, tenantId)',
    query: ZListServersQuery, status: 200, response: ZPage(ZServer),
  },
  createServer: {
    method: 'POST', path: '/servers', tag: 'servers', scope: 'servers:write', summary: 'Order a server: placed, addressed and queued for creation',
    body: ZCreateServerRequest, status: 202, response: ZCreateServerResponse,
  },
  quoteServer: {
    method: 'POST', path: '/servers/quote', tag: 'servers', scope: 'servers:write', summary: 'Dry run of ordering: the price, and whether the order would be accepted now (quotas, prepaid funds); writes nothing',
    body: ZCreateServerRequest, status: 200, response: ZServerQuote, readOnly: true,
  },
  getServer: {
    method: 'GET', path: '/servers/{id}', tag: 'servers', scope: 'servers:read', summary: 'One server',
    params: serverParams, status: 200, response: ZServer,
  },
  updateServer: {
    method: 'PATCH', path: '/servers/{id}', tag: 'servers', scope: 'servers:write', summary: 'Rename (the container takes the name at its next start)',
    params: serverParams, body: ZUpdateServerRequest, status: 200, response: ZServer,
  },
  deleteServer: {
    method: 'DELETE', path: '/servers/{id}', tag: 'servers', scope: 'servers:write', summary: 'Destroy a server, its disk and its address',
    params: serverParams, status: 202, response: ZOperationResponse,
  },
  actOnServer: {
    method: 'POST', path: '/servers/{id}/actions', tag: 'servers', scope: 'servers:write', summary: 'Power action: start, stop or restart',
    params: serverParams, body: ZServerAction, status: 202, response: ZOperationResponse,
  },
  resizeServer: {
    method: 'POST', path: '/servers/{id}/resize', tag: 'servers', scope: 'servers:write', summary: 'Move to another plan (live; a smaller disk needs the server stopped)',
    params: serverParams, body: ZResizeServerRequest, status: 202, response: ZOperationResponse,
  },
  reinstallServer: {
    method: 'POST', path: '/servers/{id}/reinstall', tag: 'servers', scope: 'servers:write', summary: 'Rebuild the disk from a template; IP, plan and limits stay',
    params: serverParams, body: ZReinstallServerRequest, status: 202, response: ZOperationResponse,
  },
  migrateServer: {
    method: 'POST', path: '/servers/{id}/migrate', tag: 'servers', scope: 'admin:*', roles: ['admin'], summary: 'Move to another host keeping its IPv4 (running: pre-copied live, seconds of downtime)',
    params: serverParams, body: ZMigrateServerRequest, status: 202, response: ZOperationResponse,
  },
  ...BACKUP_ROUTES,
  openConsole: {
    method: 'POST', path: '/servers/{id}/console', tag: 'servers', scope: 'servers:write', summary: 'A one-minute ticket for the web console websocket on the server\'s host (renew it to stay connected)',
    params: serverParams, status: 201, response: ZConsoleTicket,
  },
  getServerMetrics: {
    method: 'GET', path: '/servers/{id}/metrics', tag: 'servers', scope: 'servers:read', summary: 'Graphs: CPU, memory, disk, IO and network for the last hour, day or month',
    params: serverParams, query: ZMetricsQuery, status: 200, response: ZServerMetrics,
  },
  listOperations: {
    method: 'GET', path: '/operations', tag: 'operations', scope: 'servers:read', summary: 'Operations on your servers, newest first (filter by status, e.g. failed, or serverId)',
    query: ZListOperationsQuery, status: 200, response: ZPage(ZOperation),
  },
  retryOperation: {
    method: 'POST', path: '/operations/{id}/retry', tag: 'operations', scope: 'admin:*', roles: ['admin'], summary: 'Queue a failed operation again (its steps converge)',
    params: z.object({ id: ZId('operation') }), status: 202, response: ZOperationResponse,
  },
  cancelOperation: {
    method: 'POST', path: '/operations/{id}/cancel', tag: 'operations', scope: 'admin:*', roles: ['admin'], summary: 'Take back a queued operation that has not started on its host (it fails as cancelled)',
    params: z.object({ id: ZId('operation') }), status: 200, response: ZOperationResponse,
  },
  getOperation: {
    method: 'GET', path: '/operations/{id}', tag: 'operations', scope: 'servers:read', summary: 'One operation; `wait=N` holds the answer up to N s until it finishes',
    params: z.object({ id: ZId('operation') }), query: ZGetOperationQuery, status: 200, response: ZOperation,
  },
  listPlans: {
    method: 'GET', path: '/plans', tag: 'catalog', scope: 'servers:read', summary: 'Plans you may order (public and your reseller\'s), cheapest first; the whole catalog',
    query: ZCatalogQuery, status: 200, response: ZCatalogPage(ZPlan),
  },
  createPlan: {
    method: 'POST', path: '/plans', tag: 'catalog', scope: 'account:write', roles: ['admin', 'reseller'], summary: 'Put a plan on sale (a reseller\'s is private to it and its customers)',
    body: ZCreatePlanRequest, status: 201, response: ZPlan,
  },
  getPlan: {
    method: 'GET', path: '/plans/{id}', tag: 'catalog', scope: 'servers:read', summary: 'One plan (retired ones too)',
    params: z.object({ id: ZId('plan') }), status: 200, response: ZPlan,
  },
  updatePlan: {
    method: 'PATCH', path: '/plans/{id}', tag: 'catalog', scope: 'account:write', roles: ['admin', 'reseller'], summary: 'Rename, reprice or retire a plan (limits never change)',
    params: z.object({ id: ZId('plan') }), body: ZUpdatePlanRequest, status: 200, response: ZPlan,
  },
  listTemplates: {
    method: 'GET', path: '/templates', tag: 'catalog', scope: 'servers:read', summary: 'OS templates you may install; the whole catalog',
    query: ZCatalogQuery, status: 200, response: ZCatalogPage(ZTemplate),
  },
  createTemplate: {
    method: 'POST', path: '/templates', tag: 'catalog', scope: 'admin:*', roles: ['admin'], summary: 'Register an OS template the agents build',
    body: ZCreateTemplateRequest, status: 201, response: ZTemplate,
  },
  updateTemplate: {
    method: 'PATCH', path: '/templates/{id}', tag: 'catalog', scope: 'admin:*', roles: ['admin'], summary: 'Relabel or retire a template',
    params: z.object({ id: ZId('template') }), body: ZUpdateTemplateRequest, status: 200, response: ZTemplate,
  },
  listHosts: {
    method: 'GET', path: '/hosts', tag: 'hosts', scope: 'admin:*', roles: ['admin'], summary: 'Hosts: capacity, allocations, overcommit ratios, last heartbeat',
    query: ZListQuery, status: 200, response: ZPage(ZHost),
  },
  addHost: {
    method: 'POST', path: '/hosts', tag: 'hosts', scope: 'admin:*', roles: ['admin'], summary: 'Add a machine: the panel installs its agent over SSH (runs in the background; follow the install)',
    body: ZAddHostRequest, status: 202, response: ZHostInstallResponse,
  },
  installHost: {
    method: 'POST', path: '/hosts/{id}/install', tag: 'hosts', scope: 'admin:*', roles: ['admin'], summary: 'Install the current agent on the host again over SSH (upgrade or repair)',
    params: z.object({ id: ZId('host') }), body: ZInstallHostRequest, status: 202, response: ZHostInstallResponse,
  },
  getHostInstall: {
    method: 'GET', path: '/hosts/{id}/installs/{installId}', tag: 'hosts', scope: 'admin:*', roles: ['admin'], summary: 'One agent install run: status, current step, error',
    params: z.object({ id: ZId('host'), installId: ZId('hostInstall') }), status: 200, response: ZHostInstall,
  },
  getHost: {
    method: 'GET', path: '/hosts/{id}', tag: 'hosts', scope: 'admin:*', roles: ['admin'], summary: 'One host',
    params: z.object({ id: ZId('host') }), status: 200, response: ZHost,
  },
  updateHost: {
    method: 'PATCH', path: '/hosts/{id}', tag: 'hosts', scope: 'admin:*', roles: ['admin'], summary: 'Drain a host (maintenance) or change its overcommit ratios',
    params: z.object({ id: ZId('host') }), body: ZUpdateHostRequest, status: 200, response: ZHost,
  },
  evacuateHost: {
    method: 'POST', path: '/hosts/{id}/evacuate', tag: 'hosts', scope: 'admin:*', roles: ['admin'], summary: 'Drain the host and migrate every server on it to other hosts within their capacity',
    params: z.object({ id: ZId('host') }), status: 202, response: ZEvacuateHostResponse,
  },
  listQuarantinedContainers: {
    method: 'GET', path: '/quarantined-containers', tag: 'hosts', scope: 'admin:*', roles: ['admin'], summary: 'Reconciliation: containers and disks no server owns (quarantined, purged after a grace period) and cases for an admin',
    query: ZListQuarantinedQuery, status: 200, response: ZPage(ZQuarantinedContainer),
  },
  listIpPools: {
    method: 'GET', path: '/ip-pools', tag: 'hosts', scope: 'admin:*', roles: ['admin'], summary: 'IPv4 pools with size and use',
    query: ZListIpPoolsQuery, status: 200, response: ZPage(ZIpPool),
  },
  createIpPool: {
    method: 'POST', path: '/ip-pools', tag: 'hosts', scope: 'admin:*', roles: ['admin'], summary: 'Give a host more IPv4 addresses (pools never overlap)',
    body: ZCreateIpPoolRequest, status: 201, response: ZIpPool,
  },
  addIpPoolHost: {
    method: 'POST', path: '/ip-pools/{id}/hosts', tag: 'hosts', scope: 'admin:*', roles: ['admin'], summary: 'Put another host on the pool\'s L2 segment (its VPSes may use and keep these addresses)',
    params: z.object({ id: ZId('ipPool') }), body: ZAddIpPoolHostRequest, status: 200, response: ZIpPool,
  },
  updateTenant: {
    method: 'PATCH', path: '/tenant', tag: 'tenancy', scope: 'servers:write', summary: "The caller's own tenant settings (private networking)",
    body: ZUpdateTenantRequest, status: 202, response: ZTenantNetworkResponse,
  },
  listTenants: {
    method: 'GET', path: '/tenants', tag: 'tenancy', scope: 'account:read', summary: 'Tenants you can see (admins: all; resellers: own and customers)',
    query: ZListTenantsQuery, status: 200, response: ZPage(ZTenant),
  },
  createTenant: {
    method: 'POST', path: '/tenants', tag: 'tenancy', scope: 'account:write', roles: ['admin', 'reseller'], summary: 'Create a customer tenant (a reseller\'s goes under it)',
    body: ZCreateTenantRequest, status: 201, response: ZTenant,
  },
  getTenant: {
    method: 'GET', path: '/tenants/{id}', tag: 'tenancy', scope: 'account:read', summary: 'One tenant, with its quotas',
    params: z.object({ id: ZId('tenant') }), status: 200, response: ZTenant,
  },
  updateTenantById: {
    method: 'PATCH', path: '/tenants/{id}', tag: 'tenancy', scope: 'account:write', roles: ['admin', 'reseller'], summary: 'Rename a tenant or set its quotas',
    params: z.object({ id: ZId('tenant') }), body: ZUpdateTenantByIdRequest, status: 200, response: ZTenant,
  },
  listUsers: {
    method: 'GET', path: '/users', tag: 'users', scope: 'account:read', summary: 'Users of the tenants you can see',
    query: ZListUsersQuery, status: 200, response: ZPage(ZUser),
  },
  createUser: {
    method: 'POST', path: '/users', tag: 'users', scope: 'account:write', summary: 'Add a login to a tenant you manage (account owners: a sub-user)',
    body: ZCreateUserRequest, status: 201, response: ZUser,
  },
  deleteUser: {
    method: 'DELETE', path: '/users/{id}', tag: 'users', scope: 'account:write', summary: 'Remove a login (its keys and sessions stop at once)',
    params: z.object({ id: ZId('user') }), status: 204, response: z.null(),
  },
  getUserPermissions: {
    method: 'GET', path: '/users/{id}/permissions', tag: 'users', scope: 'account:read', summary: "A sub-user's rights: tenant-wide and per server",
    params: z.object({ id: ZId('user') }), status: 200, response: ZUserPermissions,
  },
  setUserPermissions: {
    method: 'PUT', path: '/users/{id}/permissions', tag: 'users', scope: 'account:write', summary: "Replace a sub-user's rights (effective on its next request)",
    params: z.object({ id: ZId('user') }), body: ZUserPermissions, status: 200, response: ZUserPermissions,
  },
  listApiKeys: {
    method: 'GET', path: '/api-keys', tag: 'api-keys', scope: 'account:read', summary: 'Your live API keys (never their secrets)',
    query: ZListQuery, status: 200, response: ZPage(ZApiKey),
  },
  createApiKey: {
    method: 'POST', path: '/api-keys', tag: 'api-keys', scope: 'account:write', summary: 'Issue a key with scopes, optional expiry and IP allowlist; shown once',
    body: ZCreateApiKeyRequest, status: 201, response: ZCreateApiKeyResponse,
  },
  revokeApiKey: {
    method: 'DELETE', path: '/api-keys/{id}', tag: 'api-keys', scope: 'account:write', summary: 'Revoke one of your keys',
    params: z.object({ id: ZId('apiKey') }), status: 204, response: z.null(),
  },
  listSshKeys: {
    method: 'GET', path: '/ssh-keys', tag: 'ssh-keys', scope: 'account:read', summary: 'Your saved SSH public keys',
    query: ZListQuery, status: 200, response: ZPage(ZSshKey),
  },
  createSshKey: {
    method: 'POST', path: '/ssh-keys', tag: 'ssh-keys', scope: 'account:write', summary: 'Save an SSH public key',
    body: ZCreateSshKeyRequest, status: 201, response: ZSshKey,
  },
  deleteSshKey: {
    method: 'DELETE', path: '/ssh-keys/{id}', tag: 'ssh-keys', scope: 'account:write', summary: 'Forget a saved SSH key',
    params: z.object({ id: ZId('sshKey') }), status: 204, response: z.null(),
  },
  listAuditEvents: {
    method: 'GET', path: '/audit-events', tag: 'audit', scope: 'account:read', summary: 'Who did what, from where (newest first)',
    query: ZListAuditEventsQuery, status: 200, response: ZPage(ZAuditEvent),
  },
  getAccount: {
    method: 'GET', path: '/account', tag: 'account', scope: 'account:read', summary: 'Who you are, your scopes, and whether two-factor sign-in is on',
    status: 200, response: ZAccount,
  },
  changePassword: {
    method: 'POST', path: '/account/password', tag: 'account', scope: 'account:write', summary: 'Change your password (needs the current one); your other sessions end',
    body: ZChangePasswordRequest, status: 204, response: z.null(),
  },
  beginTotp: {
    method: 'POST', path: '/account/totp', tag: 'account', scope: 'account:write', summary: 'Start two-factor enrolment: a TOTP secret and otpauth:// URI for the authenticator',
    status: 201, response: ZTotpBeginResponse,
  },
  confirmTotp: {
    method: 'POST', path: '/account/totp/confirm', tag: 'account', scope: 'account:write', summary: 'Turn two-factor sign-in on with a first code; returns 10 recovery codes once',
    body: ZTotpCodeRequest, status: 200, response: ZTotpConfirmResponse,
  },
  disableTotp: {
    method: 'POST', path: '/account/totp/disable', tag: 'account', scope: 'account:write', summary: 'Turn two-factor sign-in off (needs a current or recovery code)',
    body: ZTotpCodeRequest, status: 204, response: z.null(),
  },
  listWebhooks: {
    method: 'GET', path: '/webhooks', tag: 'webhooks', scope: 'account:read', summary: "Your tenant's webhooks",
    query: ZListQuery, status: 200, response: ZPage(ZWebhook),
  },
  createWebhook: {
    method: 'POST', path: '/webhooks', tag: 'webhooks', scope: 'account:write', summary: 'Register a URL for server.*, operation.*, invoice.* events; the signing secret is shown once',
    body: ZCreateWebhookRequest, status: 201, response: ZCreateWebhookResponse,
  },
  deleteWebhook: {
    method: 'DELETE', path: '/webhooks/{id}', tag: 'webhooks', scope: 'account:write', summary: 'Remove a webhook',
    params: z.object({ id: ZId('webhook') }), status: 204, response: z.null(),
  },
  listWebhookDeliveries: {
    method: 'GET', path: '/webhooks/{id}/deliveries', tag: 'webhooks', scope: 'account:read', summary: 'Delivery log: status, attempts, last HTTP status or error, next retry',
    params: z.object({ id: ZId('webhook') }), query: ZListDeliveriesQuery, status: 200, response: ZPage(ZWebhookDelivery),
  },
  testWebhook: {
    method: 'POST', path: '/webhooks/{id}/test', tag: 'webhooks', scope: 'account:write', summary: 'Queue a webhook.test delivery',
    params: z.object({ id: ZId('webhook') }), status: 202, response: ZWebhookDelivery,
  },
  getBillingSummary: {
    method: 'GET', path: '/billing/summary', tag: 'billing', scope: 'billing:read', summary: 'Balance, unbilled usage, what a prepaid account can still spend, what is owed (tenantId: a customer you manage)',
    query: ZBillingSummaryQuery, status: 200, response: ZBillingSummary,
  },
  listLedger: {
    method: 'GET', path: '/billing/ledger', tag: 'billing', scope: 'billing:read', summary: 'The account ledger, newest first: charges, credits, refunds, adjustments, payments',
    query: ZListLedgerQuery, status: 200, response: ZPage(ZLedgerEntry),
  },
  createLedgerEntry: {
    method: 'POST', path: '/billing/ledger', tag: 'billing', scope: 'account:write', roles: ['admin', 'reseller'], summary: 'Credit, refund, charge or adjust a customer\'s balance, with the reason',
    body: ZCreateLedgerEntryRequest, status: 201, response: ZLedgerEntry,
  },
  recordPayment: {
    method: 'POST', path: '/billing/payments', tag: 'billing', scope: 'admin:*', roles: ['admin'], summary: 'Record money received (once per provider reference); settles the oldest open invoices',
    body: ZRecordPaymentRequest, status: 201, response: ZLedgerEntry,
  },
  listInvoices: {
    method: 'GET', path: '/invoices', tag: 'billing', scope: 'billing:read', summary: 'Monthly invoices, newest first',
    query: ZListInvoicesQuery, status: 200, response: ZPage(ZInvoice),
  },
  getInvoice: {
    method: 'GET', path: '/invoices/{id}', tag: 'billing', scope: 'billing:read', summary: 'One invoice with its lines',
    params: z.object({ id: ZId('invoice') }), status: 200, response: ZInvoice,
  },
  getInvoicePdf: {
    method: 'GET', path: '/invoices/{id}/pdf', tag: 'billing', scope: 'billing:read', summary: 'The invoice as a PDF',
    params: z.object({ id: ZId('invoice') }), status: 200, response: z.string(), binary: 'application/pdf',
  },
  listResellerPrices: {
    method: 'GET', path: '/billing/prices', tag: 'billing', scope: 'account:read', roles: ['admin', 'reseller'], summary: 'A reseller\'s wholesale and retail prices per plan (absent: list price)',
    query: ZListResellerPricesQuery, status: 200, response: z.object({ data: z.array(ZResellerPrice), nextCursor: z.null() }),
  },
  setResellerPrice: {
    method: 'PUT', path: '/billing/prices', tag: 'billing', scope: 'account:write', roles: ['admin', 'reseller'], summary: 'Set a wholesale (admins) or retail (the reseller) price of a plan; monthlyCents null removes it',
    body: ZSetResellerPriceRequest, status: 200, response: ZResellerPrice.nullable(),
  },
} as const satisfies Record<string, TRouteDef>;

export type TRouteName = keyof typeof ROUTES;
