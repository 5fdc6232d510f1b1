// README's table of Alibaba Cloud error codes says what the code does: each row is checked against the mapping, and every mapped code is in it.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ALIBABA_CODES, alibabaError } from '../../src/sms/providers/alibaba/errors.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The rows of the table that follows the "**Errors**" paragraph of the Alibaba section. */
function errorRows(): { codes: string[]; reason: string; message: string; account: string; cell: string }[] {
  const section = README.slice(README.indexOf('### Alibaba Cloud SMS'));
  const table = section.slice(section.indexOf('**Errors**'));
  const lines = table.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| Code |'));
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [cell, reason, message, account] = line.split('|').slice(1, -1).map((c) => c.trim()) as [string, string, string, string];
    rows.push({ codes: [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!), reason, message, account, cell });
  }
  return rows;
}

describe('Alibaba Cloud error codes in README', () => {
  const rows = errorRows();

  it('has the table', () => {
    expect(rows.length).to.be.greaterThan(5);
  });

  it('says for each send error code the reason, whether it is retried or fails, and whether the account is marked invalid', () => {
    for (const row of rows.filter((r) => !r.cell.startsWith('delivery codes'))) {
      const kind = row.message.startsWith('retried') ? 'retry' : row.message.startsWith('looked up') ? 'in_doubt' : 'permanent';
      for (const code of row.codes) {
        const m = alibabaError(code, 200);
        expect(m, code).to.include({ reason: row.reason.replace(/`/g, ''), kind });
        expect(Boolean(m.badCredentials), `${code} marks the account invalid`).to.equal(row.account.includes('marked invalid'));
      }
    }
  });

  it('gives the reason of each delivery code', () => {
    const row = rows.find((r) => r.cell.startsWith('delivery codes'))!;
    for (const [, codes, reason] of row.cell.matchAll(/((?:`[^`]+`(?:, )?)+) → `(\w+)`/g)) {
      for (const [, code] of codes!.matchAll(/`([^`]+)`/g)) expect(alibabaError(code, 200).reason, code).to.equal(reason);
    }
    expect(alibabaError('MK:0099', 200).reason, 'other MK:*').to.equal('carrier_error');
  });

  it('lists every mapped code', () => {
    const listed = new Set(rows.flatMap((r) => r.codes));
    expect(ALIBABA_CODES.filter((c) => c !== 'MK' && !listed.has(c))).to.deep.equal([]);
  });

  it('maps HTTP statuses without a known code as the table says', () => {
    expect(alibabaError(undefined, 429)).to.include({ reason: 'rate_limited', kind: 'retry' });
    expect(alibabaError(undefined, 503)).to.include({ reason: 'provider_unavailable', kind: 'in_doubt' });
    expect(alibabaError(undefined, 401)).to.include({ reason: 'configuration', badCredentials: true });
    expect(alibabaError(undefined, 403)).to.include({ reason: 'configuration', kind: 'permanent' }).and.not.to.have.property('badCredentials');
    expect(alibabaError('isv.SOMETHING_NEW', 400)).to.include({ reason: 'unknown', kind: 'permanent' });
  });
});
