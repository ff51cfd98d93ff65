/** Stable error codes for everything a platform send can do wrong. */
export const ErrorCode = {
  Transport: 'ERR_TRANSPORT',
  Platform: 'ERR_PLATFORM',
  RateLimited: 'ERR_RATE_LIMITED',
  Unreachable: 'ERR_RECIPIENT_UNREACHABLE',
  OutsideWindow: 'ERR_OUTSIDE_WINDOW',
  TokenInvalid: 'ERR_TOKEN_INVALID',
  PageRestricted: 'ERR_PAGE_RESTRICTED',
  InvalidInput: 'ERR_INVALID_INPUT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base of every typed error a channel client throws. */
export class ChannelError extends Error {
  /** A permanent error is never retried (the recipient blocked the bot, the window closed...). */
  readonly permanent: boolean;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { permanent?: boolean; platformCode?: string | number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChannelError';
    this.permanent = options.permanent ?? false;
    this.platformCode = options.platformCode;
  }
  readonly platformCode: string | number | undefined;
}

/** The network failed or the platform answered 5xx: worth retrying. */
export class TransportError extends ChannelError {
  constructor(message: string, cause?: unknown) {
    super(ErrorCode.Transport, message, { cause });
    this.name = 'TransportError';
  }
}

/** The platform asked us to slow down. */
export class RateLimitedError extends ChannelError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
    platformCode?: string | number,
  ) {
    super(ErrorCode.RateLimited, message, { platformCode });
    this.name = 'RateLimitedError';
  }
}

/** The recipient blocked the bot, unsubscribed or unfollowed: never retried, the contact is marked. */
export class RecipientUnreachableError extends ChannelError {
  constructor(message: string, platformCode?: string | number) {
    super(ErrorCode.Unreachable, message, { permanent: true, platformCode });
    this.name = 'RecipientUnreachableError';
  }
}

/** The platform's messaging window for this user is closed: not retried. */
export class OutsideWindowError extends ChannelError {
  constructor(message: string, platformCode?: string | number) {
    super(ErrorCode.OutsideWindow, message, { permanent: true, platformCode });
    this.name = 'OutsideWindowError';
  }
}

/** The access token is invalid or expired. */
export class TokenInvalidError extends ChannelError {
  constructor(message: string, platformCode?: string | number) {
    super(ErrorCode.TokenInvalid, message, { permanent: true, platformCode });
    this.name = 'TokenInvalidError';
  }
}

/** Any other platform refusal (bad parameter, restricted page...). */
export class PlatformError extends ChannelError {
  constructor(
    message: string,
    options: { permanent?: boolean; platformCode?: string | number; code?: ErrorCode } = {},
  ) {
    super(options.code ?? ErrorCode.Platform, message, options);
    this.name = 'PlatformError';
  }
}

/** A client-side input problem (HTTP 4xx with a message to the caller). */
export class InvalidInputError extends Error {
  readonly statusCode = 400;
  readonly code = ErrorCode.InvalidInput;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/** Storage or coordination did not answer in time: the caller should retry (HTTP 503). */
export class ServiceUnavailableError extends Error {
  readonly statusCode = 503;
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
  ) {
    super(message);
    this.name = 'ServiceUnavailableError';
  }
}
