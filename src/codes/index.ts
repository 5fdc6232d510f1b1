// Public surface of the one-time-code engine and the SMS send limits, for the composition root and the flows.
export { type CodeEngine, type CodeEngineDeps, createCodeEngine } from './engine.ts';
export { defaultFailureSettings, type FailureSettings } from './failures.ts';
export { ipBucket } from './ip.ts';
export {
  createSendLimits,
  defaultSendLimitSettings,
  type Refusal,
  type SendDecision,
  type SendLimit,
  type SendLimitSettings,
  type SendLimits,
  type SendRequest,
  sendLimitSettingsSchema,
} from './send-limits.ts';
export * from './types.ts';
export { type CodeStats, createCodeStats, utcDay } from './stats.ts';
