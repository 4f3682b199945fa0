import { unique, type StoreGetter } from './conformance-context';

const at = (seconds: number): Date => new Date(Date.UTC(2026, 4, 1) + seconds * 1000);

export function describeTriggerStateContract(store: StoreGetter): void {
  describe('trigger state', () => {
    it('has no state for a flow that was never polled', async () => {
      expect(await store().triggerState.getState(unique('flow'))).toBeNull();
    });

    it('moves the cursor forward only', async () => {
      const flowId = unique('flow');
      await store().triggerState.advanceCursor(flowId, 1_700_000_100, at(1));
      expect(await store().triggerState.getState(flowId)).toEqual({
        flowId,
        cursor: 1_700_000_100,
        updatedAt: at(1),
      });
      await store().triggerState.advanceCursor(flowId, 1_700_000_050, at(2));
      await store().triggerState.advanceCursor(flowId, 1_700_000_100, at(3));
      expect(await store().triggerState.getState(flowId)).toEqual({
        flowId,
        cursor: 1_700_000_100,
        updatedAt: at(1),
      });
      await store().triggerState.advanceCursor(flowId, 1_700_000_200, at(4));
      expect(await store().triggerState.getState(flowId)).toEqual({
        flowId,
        cursor: 1_700_000_200,
        updatedAt: at(4),
      });
    });

    it('ends at the newest cursor when pollers advance it concurrently', async () => {
      const flowId = unique('flow');
      const cursors = [5, 9, 1, 7, 3, 8, 2, 6, 4].map((n) => 1_700_000_000 + n);
      await Promise.all(
        cursors.map((cursor, index) => store().triggerState.advanceCursor(flowId, cursor, at(index))),
      );
      expect((await store().triggerState.getState(flowId))?.cursor).toBe(1_700_000_009);
    });

    it("forgets a deleted flow's cursor, and only that flow's", async () => {
      const flowId = unique('flow');
      const other = unique('flow');
      await store().triggerState.advanceCursor(flowId, 1_700_000_000, at(1));
      await store().triggerState.advanceCursor(other, 1_700_000_000, at(1));
      await store().triggerState.deleteFlow(flowId);
      expect(await store().triggerState.getState(flowId)).toBeNull();
      expect((await store().triggerState.getState(other))?.cursor).toBe(1_700_000_000);
      await expect(store().triggerState.deleteFlow(unique('flow'))).resolves.toBeUndefined();
    });
  });
}
