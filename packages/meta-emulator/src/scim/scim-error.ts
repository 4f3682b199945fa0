/** RFC 7644 §3.12 error: thrown by SCIM handlers, rendered as an `application/scim+json` body. */
export class ScimError extends Error {
  override readonly name = 'ScimError';

  constructor(
    readonly status: number,
    detail: string,
    readonly scimType?:
      | 'invalidFilter'
      | 'tooMany'
      | 'uniqueness'
      | 'mutability'
      | 'invalidSyntax'
      | 'invalidPath'
      | 'noTarget'
      | 'invalidValue'
      | 'invalidVers'
      | 'sensitive',
  ) {
    super(detail);
  }

  toBody(): Record<string, unknown> {
    return {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.message,
    };
  }
}
