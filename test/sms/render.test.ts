// The Liquid renderer keeps each template parsed: many messages from one template still carry their own values, and
// a template with an error is refused every time it is used, not only the first.
import { expect } from 'chai';
import { AppError } from '../../src/errors.ts';
import { createRenderer, type TemplateValues } from '../../src/sms/templates/render.ts';

const values = (code: string, app: string): TemplateValues => ({
  code,
  phone_number: '+61491570156',
  application: { name: app },
  request_language: 'en',
  user: { name: '', login: '' },
  expires_in_minutes: 5,
  support_contact: '',
});

describe('SMS template rendering', () => {
  it('renders one template for many messages, each with its own code and app name', () => {
    const renderer = createRenderer();
    const source = '{{ code }} is your {{ application.name }} code, valid {{ expires_in_minutes }} minutes';
    const texts = ['111111', '222222', '333333'].map((code, i) => renderer.render(source, values(code, `App ${i}`)));
    expect(texts).to.deep.equal(['111111 is your App 0 code, valid 5 minutes', '222222 is your App 1 code, valid 5 minutes', '333333 is your App 2 code, valid 5 minutes']);
    expect(renderer.render('Code: @@code@@', values('444444', 'x'))).to.equal('Code: 444444');
  });

  it('refuses a template with bad syntax or an unknown variable each time with a 400', () => {
    const renderer = createRenderer();
    for (const source of ['{{ code ', 'Your code {{ nonsense }}']) {
      for (let i = 0; i < 2; i++) {
        let caught: unknown;
        try {
          renderer.render(source, values('123456', 'App'));
        } catch (err) {
          caught = err;
        }
        expect(caught, `${source} (use ${i + 1})`).to.be.instanceOf(AppError);
        expect((caught as AppError).status).to.equal(400);
      }
    }
  });
});
