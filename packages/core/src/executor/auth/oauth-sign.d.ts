/** Types for the parts of `oauth-sign` (CommonJS, no published types) that Capstan uses. */
declare module 'oauth-sign' {
  /** Query/body/oauth parameters: repeated names as arrays. */
  type Params = Record<string, string | string[]>;
  /** The RFC 5849 §3.4.1 signature base string. */
  export function generateBase(httpMethod: string, baseUri: string, params: Params): string;
  /** OAuth 1.0a signature by method name (HMAC-SHA1, HMAC-SHA256, RSA-SHA1, PLAINTEXT); base64. */
  export function sign(method: string, httpMethod: string, baseUri: string, params: Params, consumerSecretOrKey: string, tokenSecret?: string): string;
  /** RFC 3986 percent-encoding. */
  export function rfc3986(text: string): string;
}
