import type { FlowcardStore } from '../flowcard-store';
import { describeAuditContract } from './audit-contract';
import { describeConfigurationContract } from './configuration-contract';
import { describeConnectorRegistryContract } from './connector-registry-contract';
import { describeFlowContract } from './flow-contract';
import { describeInviteContract } from './invite-contract';
import { describeNotificationContract } from './notification-contract';
import { describeOAuthStateContract } from './oauth-state-contract';
import { describeRunContract } from './run-contract';
import { describeSessionContract } from './session-contract';
import { describeTriggerStateContract } from './trigger-state-contract';
import { describeUserContract } from './user-contract';
import { describeWorkspaceContract } from './workspace-contract';

/** What a store implementation hands the suite: a ready store (indexes ensured) and its teardown. */
export interface ConformanceSubject {
  readonly store: FlowcardStore;
  cleanup(): Promise<void>;
}

/**
 * The contract every FlowcardStore must keep (docs/conventions.md #9). Call it from a jest test file of the
 * implementation; `factory` runs once before the suite (each test isolates itself with fresh
 * workspace/user ids), `cleanup` once after. Errors are checked by `code`, never by class.
 */
export function describeStoreConformance(name: string, factory: () => Promise<ConformanceSubject>): void {
  describe(`${name} conforms to the FlowcardStore contract`, () => {
    let subject: ConformanceSubject | undefined;
    beforeAll(async () => {
      subject = await factory();
    });
    afterAll(async () => {
      await subject?.cleanup();
    });
    const store = (): FlowcardStore => {
      if (!subject) throw new Error('the store under test is created in beforeAll');
      return subject.store;
    };
    describeWorkspaceContract(store);
    describeUserContract(store);
    describeConfigurationContract(store);
    describeOAuthStateContract(store);
    describeNotificationContract(store);
    describeAuditContract(store);
    describeConnectorRegistryContract(store);
    describeFlowContract(store);
    describeRunContract(store);
    describeTriggerStateContract(store);
    describeSessionContract(store);
    describeInviteContract(store);
  });
}
