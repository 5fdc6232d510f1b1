// Signatures and approved provider templates of an SMS account, and the apps granted them (Quectel's model).
import type { Purpose, Region } from '../purposes.ts';

export type GrantKind = 'account' | 'signature' | 'template';

export interface Signature {
  id: string;
  accountId: string;
  signName: string;
  region: Region;
  note: string | null;
  /** Any app may use it; otherwise only the apps in clientIds. */
  general: boolean;
  clientIds: string[];
  createdAt: number;
  updatedAt: number;
}

/** approved: the provider's approved text is known; pending: in review or rejected; unavailable: it could not be fetched. */
export type TextStatus = 'approved' | 'pending' | 'unavailable';

export interface ProviderTemplate {
  id: string;
  accountId: string;
  /** The provider's template code, e.g. SMS_154950909. */
  code: string;
  purpose: Purpose;
  region: Region;
  /** The language of the approved text (BCP 47); null: used for any language. */
  language: string | null;
  /** Provider template parameter → our variable (`code`, `application_name`, …). */
  params: Record<string, string>;
  /** The approved text fetched from the provider, with `${param}` placeholders. */
  text: string | null;
  textStatus: TextStatus;
  general: boolean;
  clientIds: string[];
  createdAt: number;
  updatedAt: number;
}

/** The variables a provider template parameter may take (SendRequest values, flattened like OutgoingSms.variables). */
export const TEMPLATE_VARIABLES = ['code', 'application_name', 'expires_in_minutes', 'user_name', 'user_login', 'phone_number', 'support_contact', 'request_language'] as const;
