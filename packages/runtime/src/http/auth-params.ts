/**
 * HTTP authentication parameters (RFC 9110 §11): the one parser for `WWW-Authenticate`
 * challenges (outbound digest reads the upstream's) and `Authorization` credentials (inbound
 * digest reads the caller's: the first entry). Each challenge is a scheme and its `name=value` or
 * `name="quoted \"value\""` parameters, names lower-cased. Hand-written: the packages that parse
 * these headers read one challenge per string, and a `WWW-Authenticate` value may carry several.
 */

/** One challenge or credentials: the auth scheme as sent, and its parameters by lower-cased name. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/** Every challenge of one or more header values, in order. Text that is neither a token nor a parameter is skipped. */
export function parseAuthHeader(header: string | readonly string[] | undefined): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  for (const text of typeof header === 'string' ? [header] : (header ?? [])) {
    let i = 0;
    let current: AuthChallenge | undefined;
    while (i < text.length) {
      while (i < text.length && /[\s,]/.test(text[i]!)) i++;
      const token = TOKEN.exec(text.slice(i))?.[0];
      if (!token) {
        i++;
        continue;
      }
      i += token.length;
      let j = i;
      while (j < text.length && text[j] === ' ') j++;
      if (text[j] === '=' && current) {
        i = j + 1;
        while (i < text.length && text[i] === ' ') i++;
        let value = '';
        if (text[i] === '"') {
          i++;
          while (i < text.length && text[i] !== '"') {
            if (text[i] === '\\' && i + 1 < text.length) i++;
            value += text[i];
            i++;
          }
          i++;
        } else {
          const v = TOKEN.exec(text.slice(i))?.[0] ?? '';
          value = v;
          i += v.length;
        }
        current.params[token.toLowerCase()] = value;
      } else {
        current = { scheme: token, params: {} };
        out.push(current);
      }
    }
  }
  return out;
}
