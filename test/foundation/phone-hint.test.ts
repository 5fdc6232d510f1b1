// Without a default country, the example phone number follows the screen language's region instead of always being a US number.
import { expect } from 'chai';
import { authorizationRequest } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';
import { UserAgent } from '../helpers/user-agent.ts';

describe('example phone number on the SMS sign-in screen', () => {
  let env: SmsTestEnv;
  before(async () => {
    env = await startSmsEnv({ connection: { defaultCountry: null } });
  });
  after(() => env.close());

  const placeholder = async (acceptLanguage: string) => {
    const ua = new UserAgent({ acceptLanguage });
    const login = await ua.follow((await authorizationRequest(env.rp.config)).url.href);
    const uid = login.url.match(/\/interaction\/([^/?]+)/)![1]!;
    const page = await ua.request(`${env.server.url}/interaction/${uid}/sms`);
    return page.html.match(/id="phone"[^>]*placeholder="([^"]*)"/)?.[1];
  };

  for (const [lang, prefix] of [['es', '+34'], ['pt-BR', '+55'], ['de', '+49'], ['fr', '+33'], ['zh-CN', '+86'], ['ja', '+81'], ['en', '+1']] as const) {
    it(`${lang} → ${prefix}`, async () => {
      expect(await placeholder(lang)).to.match(new RegExp(`^\\${prefix} `));
    });
  }

  it('a default country set by the admin wins over the language', async () => {
    await env.server.container.smsConnection.update({ defaultCountry: 'AU' });
    try {
      expect(await placeholder('es')).to.match(/^\+61 /);
    } finally {
      await env.server.container.smsConnection.update({ defaultCountry: null });
    }
  });
});
