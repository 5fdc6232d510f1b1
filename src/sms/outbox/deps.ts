// What the outbox worker and its delivery-status poller are built from.
import type { Logger } from '../../logger.ts';
import type { SecretBox } from '../../security/secrets.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { SmsAccount } from '../accounts/types.ts';
import type { ProviderFactory } from '../providers/index.ts';
import type { WorkerOptions } from '../types.ts';
import type { ResourcesService } from '../resources/service.ts';
import type { Failover } from '../routing/failover.ts';
import type { MessagesRepo } from './repo.ts';

export interface WorkerDeps {
  repo: MessagesRepo;
  accounts: Pick<AccountsService, 'load' | 'markInvalid'>;
  providers: ProviderFactory;
  box: SecretBox;
  logger: Logger;
  now: () => number;
  options: WorkerOptions;
  /** The StatusCallback URL for a message, when its account asks for delivery reports. */
  statusCallbackUrl(account: SmsAccount, messageId: string): string | undefined;
  /** The signature and provider template a template-code message named. */
  resources: Pick<ResourcesService, 'forMessage' | 'fillParams'>;
  /** Sends a failed message again through its rule's fallback account. */
  failover?: Failover;
  /** Support follow-ups of unused codes (run every few seconds by the loop). */
  followups?: { run(limit: number): Promise<number> };
}
