// The message as the log and status reads show it: masked recipient, status flags and the failure reason, never the text.
import { reasonKey } from '../reasons.ts';
import { FINAL_RANK, rankOf } from '../status.ts';
import type { Purpose } from '../types.ts';
import type { MessageRow } from './repo.ts';

/** A message as it may be shown: masked recipient, never the text. */
export interface MessageView {
  id: string;
  accountId: string;
  provider: string;
  purpose: Purpose;
  to: string;
  language: string;
  encoding: string;
  characters: number;
  segments: number;
  status: string;
  final: boolean;
  delivered: boolean;
  failed: boolean;
  errorCode: string | null;
  reason: string | null;
  /** i18n key explaining a failure (`sms.reason.*`), when there is one. */
  reasonKey: string | null;
  attempts: number;
  providerMessageId: string | null;
  flowId: string | null;
  /** The app it was sent for. */
  clientId: string | null;
  /** The account a failure of this message fails over to (its routing rule's fallback). */
  fallbackAccountId: string | null;
  /** On a fallback message: the message it replaced. */
  failoverOf: string | null;
  /** For providers of approved templates: the signature and provider template it was sent with. */
  signatureId: string | null;
  providerTemplateId: string | null;
  createdAt: number;
  updatedAt: number;
  acceptedAt: number | null;
  completedAt: number | null;
}

export function toView(m: MessageRow): MessageView {
  const rank = rankOf(m.status);
  const failed = ['failed', 'undelivered', 'canceled'].includes(m.status);
  return {
    id: m.id,
    accountId: m.accountId,
    provider: m.provider,
    purpose: m.purpose,
    to: m.toMasked,
    language: m.language,
    encoding: m.encoding,
    characters: m.characters,
    segments: m.segments,
    status: m.status,
    final: rank >= FINAL_RANK,
    delivered: m.status === 'delivered',
    failed,
    errorCode: m.errorCode,
    reason: m.reason,
    reasonKey: failed && m.reason ? reasonKey(m.reason) : null,
    attempts: m.attempts,
    providerMessageId: m.providerMessageId,
    flowId: m.flowId,
    clientId: m.clientId,
    fallbackAccountId: m.fallbackAccountId,
    failoverOf: m.failoverOf,
    signatureId: m.signatureId,
    providerTemplateId: m.providerTemplateId,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    acceptedAt: m.acceptedAt,
    completedAt: m.completedAt,
  };
}
