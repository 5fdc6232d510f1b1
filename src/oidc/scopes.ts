// Scopes the provider knows: the OpenID ones every client may ask for, and the admin API's, granted only explicitly.
export const OIDC_SCOPES = ['openid', 'offline_access', 'profile', 'email', 'phone'] as const;
export const ADMIN_SCOPES = ['admin', 'admin:read'] as const;
