// Typed application errors: the closed list of codes, the error class, and the one parse helper.
export { AppError, type AppErrorOptions, isAppError } from './errors/app-error.ts';
export { type ErrorCode, errorCodes, errorKey, isErrorCode } from './errors/codes.ts';
export { type Issue, issuesOf, parseWith, validationError } from './errors/issues.ts';
