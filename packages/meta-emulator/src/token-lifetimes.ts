/** Token and code lifetimes, in one place because Meta documents them only approximately. */
export const tokenLifetimes = {
  /** Short-lived user token from the code exchange: "about an hour or two"; we use one hour. */
  shortLivedMs: 60 * 60 * 1000,
  /** Long-lived user token from fb_exchange_token: about 60 days. */
  longLivedMs: 60 * 24 * 60 * 60 * 1000,
  /** Data access expires 90 days after the user last consented, independently of the token. */
  dataAccessMs: 90 * 24 * 60 * 60 * 1000,
  /** An authorization code is valid for ten minutes and once. */
  codeMs: 10 * 60 * 1000,
} as const;
