// Awaits a promise that must reject with an AppError, and returns that error for further checks.
import { expect } from 'chai';
import { AppError } from '../../src/errors.ts';

export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    return err as AppError;
  }
  return expect.fail('expected an AppError');
}
