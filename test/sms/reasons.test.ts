// Failure reasons: Twilio codes and HTTP statuses map to reasons, and every reason is explained in every screen language.
import { expect } from 'chai';
import { catalog, screenLanguages } from '../../src/i18n/index.ts';
import { httpProvider } from '../../src/sms/providers/http/index.ts';
import { twilioProvider } from '../../src/sms/providers/twilio/index.ts';
import { REASONS } from '../../src/sms/reasons.ts';

const twilioReason = (code: number, status: number) => twilioProvider.mapError(String(code), status);
const httpReason = (status: number) => httpProvider.mapError(undefined, status);

describe('SMS failure reasons', () => {
  it('are in the screens\' string files of every screen language', () => {
    for (const lang of screenLanguages) {
      for (const reason of REASONS) expect(catalog(lang)?.[`sms.reason.${reason}`], `${lang} sms.reason.${reason}`).to.be.a('string');
    }
  });

  it('map Twilio codes and HTTP statuses to reasons and to retry or not', () => {
    expect(twilioReason(21211, 400)).to.deep.equal({ reason: 'invalid_number', kind: 'permanent' });
    expect(twilioReason(21610, 400)).to.deep.equal({ reason: 'opted_out', kind: 'permanent' });
    expect(twilioReason(21408, 400)).to.deep.equal({ reason: 'region_not_enabled', kind: 'permanent' });
    expect(twilioReason(21614, 400)).to.deep.equal({ reason: 'not_mobile', kind: 'permanent' });
    expect(twilioReason(20429, 429)).to.deep.equal({ reason: 'rate_limited', kind: 'retry' });
    // 5xx may have created the message: retry, but check first.
    expect(twilioReason(20500, 500)).to.deep.equal({ reason: 'provider_unavailable', kind: 'in_doubt' });
    expect(twilioReason(99999, 400)).to.deep.equal({ reason: 'unknown', kind: 'permanent' });
    expect(httpReason(502)).to.deep.equal({ reason: 'provider_unavailable', kind: 'in_doubt' });
    expect(httpReason(401)).to.deep.equal({ reason: 'configuration', kind: 'permanent', badCredentials: true });
    // Which errors mean "the credentials are bad" (the account is marked invalid) is the descriptor's call.
    expect(twilioReason(20003, 401)).to.deep.equal({ reason: 'configuration', kind: 'permanent', badCredentials: true });
  });
});
