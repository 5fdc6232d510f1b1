// The screen renderer with branding: what it shows, the built-in look when branding cannot be read; readable colours.
import { expect } from 'chai';
import type { Context } from 'koa';
import { contrast, colorVariables } from '../../src/branding/colors.ts';
import type { ResolvedBranding } from '../../src/branding/service.ts';
import { createScreens } from '../../src/views.ts';

const ctx = () => ({ state: {}, status: 200, get: () => 'en', set: () => undefined }) as unknown as Context & { body: string };

const acme: ResolvedBranding = { name: 'Acme', primaryColor: '#0a7d5a', supportContact: 'help@acme.example', logo: null, favicon: null, stylesheet: '/branding/global/style-0123456789abcdef.css', appName: null, globalName: 'Acme' };

describe('branded screens', () => {
  it('show the branding given for the screen, its stylesheet after the built-in one, and its support contact', async () => {
    const screens = createScreens({ env: 'test', defaultLocale: 'en', supportContact: 'fallback@example.test' }, { branding: async () => acme });
    const c = ctx();
    await screens.render(c, 'reset-done', { signIn: '/' });
    expect(c.body).to.contain('<span class="brand-name">Acme</span>').and.contain('<link rel="stylesheet" href="/branding/global/style-0123456789abcdef.css">');
    expect(c.body).to.contain('help@acme.example').and.not.contain('fallback@example.test');
    expect(c.body).not.to.match(/style="/);
  });

  it('keep the built-in look when branding cannot be read', async () => {
    const screens = createScreens({ env: 'test', defaultLocale: 'en', supportContact: '' }, { branding: () => Promise.reject(new Error('database away')) });
    const c = ctx();
    await screens.renderError(c, 'temporarily_unavailable', undefined, 503);
    expect(c.body).to.contain('<span class="brand-name">Codeword</span>');
  });

  it('pick text colours that stay readable on the primary colour and on white', () => {
    for (const color of ['#0a7d5a', '#b91c1c', '#ffd700', '#e0f2fe', '#111111', '#9f66ae', '#777777']) {
      const v = colorVariables(color);
      expect(contrast(color, v['--brand-on-primary']!), color).to.be.at.least(4.5);
      expect(contrast(v['--brand-text']!, '#ffffff'), color).to.be.at.least(4.5);
    }
    expect(colorVariables('#ffd700')['--brand-on-primary']).to.equal('#000000');
    expect(colorVariables('#b91c1c')['--brand-on-primary']).to.equal('#ffffff');
  });
});
