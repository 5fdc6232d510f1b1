// Names the admin layer shares with start-up seeding: the admin role, the admin API's scopes, the console's own client.
export { ADMIN_SCOPES } from '../oidc/scopes.ts';

export const ADMIN_ROLE = 'admin';
export const CONSOLE_CLIENT_ID = 'codeword-admin-console';
