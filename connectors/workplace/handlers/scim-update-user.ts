import { defineHandler, invalidInput } from '@flowcard/sdk';

interface ScimUpdateUserInput {
  userId: string;
  userName?: string;
  givenName?: string;
  familyName?: string;
  externalId?: string;
  title?: string;
  department?: string;
  employeeNumber?: string;
}

type ScimUser = Record<string, unknown> & { id: string; userName: string; active: boolean };

interface PatchOperation {
  op: 'replace';
  path: string;
  value: string;
}

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Input field → SCIM attribute path (RFC 7644 §3.5.2; extension attributes are prefixed by their schema URN). */
const PATHS: Readonly<Record<Exclude<keyof ScimUpdateUserInput, 'userId'>, string>> = {
  userName: 'userName',
  givenName: 'name.givenName',
  familyName: 'name.familyName',
  externalId: 'externalId',
  title: 'title',
  department: `${ENTERPRISE}:department`,
  employeeNumber: `${ENTERPRISE}:employeeNumber`,
};

/**
 * One PATCH with a replace operation per attribute given: a request template would send every
 * attribute, and replacing with an empty value would erase what the user left alone.
 */
export default defineHandler<ScimUpdateUserInput, ScimUser>(async (ctx, input) => {
  const operations: PatchOperation[] = [];
  for (const [field, path] of Object.entries(PATHS) as [keyof typeof PATHS, string][]) {
    const value = input[field];
    if (value !== undefined && value !== '') operations.push({ op: 'replace', path, value });
  }
  if (operations.length === 0) throw invalidInput('Give at least one attribute to change besides userId.');
  const res = await ctx.http.request<ScimUser>({
    method: 'PATCH',
    path: `/Users/${encodeURIComponent(input.userId)}`,
    body: { schemas: [PATCH_OP], Operations: operations },
  });
  return res.data;
});
