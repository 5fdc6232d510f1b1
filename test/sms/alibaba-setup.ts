// Sets up an Alibaba Cloud account on the fake: credentials, domestic and international signatures and login templates.
import type { Sms } from '../../src/sms/index.ts';
import type { FakeAlibaba } from '../fakes/fake-alibaba.ts';

/** A valid mainland mobile number (China Mobile 138). */
export const CN_MOBILE = '+8613800138000';

export const DOMESTIC_LOGIN = 'SMS_100000001';
export const INTERNATIONAL_LOGIN = 'SMS_200000001';

export function alibabaSettings(fake: FakeAlibaba, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { accessKeyId: fake.accessKeyId, accessKeySecret: fake.accessKeySecret, endpoint: fake.url, ...extra };
}

/** Alibaba's TemplateType of international (and Hong Kong, Macao, Taiwan) templates; mainland ones are 0 to 2. */
export const INTERNATIONAL_TYPE = 3;

/** An approved template at the fake: its text and, for an international one, its type. */
export function approve(fake: FakeAlibaba, code: string, text: string, region: 'domestic' | 'international' = 'domestic'): void {
  fake.templates.set(code, text);
  if (region === 'international') fake.templateTypes.set(code, INTERNATIONAL_TYPE);
}

/** Approved texts as Alibaba stores them: `${name}` parameters; the domestic one gets 【SignName】 from the carrier. */
export function approveTemplates(fake: FakeAlibaba): void {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
  fake.templates.set(DOMESTIC_LOGIN, '您的验证码为：${code}，该验证码5分钟内有效，请勿泄漏于他人！');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's own parameter syntax
  fake.templates.set(INTERNATIONAL_LOGIN, 'Your ${product} verification code is ${code}. It expires in ${minutes} minutes.');
  fake.templateTypes.set(INTERNATIONAL_LOGIN, INTERNATIONAL_TYPE);
}

/** A verified general Alibaba account with general signatures and login templates for both regions. */
export async function alibabaAccount(sms: Sms, fake: FakeAlibaba, opts: { name?: string; isDefault?: boolean; general?: boolean; settings?: Record<string, unknown> } = {}) {
  approveTemplates(fake);
  const account = await sms.accounts.create({ name: opts.name ?? 'Alibaba', provider: 'alibaba', isDefault: opts.isDefault ?? true, settings: alibabaSettings(fake, opts.settings) });
  const verified = await sms.accounts.verify(account.id);
  if (verified.verification.status !== 'valid') throw new Error(`fake Alibaba account not verified: ${verified.verification.reason}`);
  const general = opts.general ?? true;
  const domesticSign = await sms.resources.signatures.create({ accountId: account.id, signName: '码字科技', region: 'domestic', general });
  const internationalSign = await sms.resources.signatures.create({ accountId: account.id, signName: 'Codeword', region: 'international', general });
  const domestic = await sms.resources.templates.create({ accountId: account.id, code: DOMESTIC_LOGIN, purpose: 'login', region: 'domestic', params: { code: 'code' }, general });
  const international = await sms.resources.templates.create({
    accountId: account.id,
    code: INTERNATIONAL_LOGIN,
    purpose: 'login',
    region: 'international',
    params: { code: 'code', product: 'application_name', minutes: 'expires_in_minutes' },
    general,
  });
  return { account, domesticSign, internationalSign, domestic, international };
}
