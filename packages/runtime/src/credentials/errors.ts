/** Why no upstream credential could be chosen for a caller. */
import { CatalogError, type ErrorCode } from '../errors/catalog.js';

/**
 * 401: the request carried no (usable) identity; 403: the caller is known but has no credential
 * for this upstream. Messages name what is missing, never a secret value.
 */
export class CredentialError extends CatalogError {
  override readonly name = 'CredentialError';
  constructor(
    readonly status: 401 | 403,
    /** The consumed namespace the credential was for. */
    readonly namespace: string,
    message: string,
  ) {
    super(message);
  }

  get code(): ErrorCode {
    return this.status === 401 ? 'unauthorized' : 'no-credential';
  }
}
