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

    it('returns the keys not claimed before, in input order, each once', async () => {
      const flowId = unique('flow');
      expect(await store().triggerState.claimKeys(flowId, ['lead-2', 'lead-1'], at(1))).toEqual([
        'lead-2',
        'lead-1',
      ]);
      expect(
        await store().triggerState.claimKeys(
          flowId,
          ['lead-3', 'lead-1', 'lead-4', 'lead-3', 'lead-2'],
          at(2),
        ),
      ).toEqual(['lead-3', 'lead-4']);
      expect(await store().triggerState.claimKeys(flowId, ['lead-1', 'lead-4'], at(3))).toEqual([]);
      expect(await store().triggerState.claimKeys(flowId, [], at(4))).toEqual([]);
    });

    it('claims keys per flow: another flow may claim the same item', async () => {
      const [one, two] = [unique('flow'), unique('flow')];
      expect(await store().triggerState.claimKeys(one, ['lead-1'], at(1))).toEqual(['lead-1']);
      expect(await store().triggerState.claimKeys(two, ['lead-1'], at(1))).toEqual(['lead-1']);
    });

    it('gives each key to exactly one of many concurrent claimers', async () => {
      const flowId = unique('flow');
      const keys = Array.from({ length: 20 }, (_, index) => `lead-${index}`);
      const callers = Array.from({ length: 8 }, (_, caller) =>
        [...keys].sort(() => (caller % 2 === 0 ? 1 : -1)),
      );
      const won = await Promise.all(
        callers.map((batch) => store().triggerState.claimKeys(flowId, batch, at(1))),
      );
      expect(won.flat().sort()).toEqual([...keys].sort());
    });

    it('lets released keys be claimed again, and only those', async () => {
      const flowId = unique('flow');
      await store().triggerState.claimKeys(flowId, ['lead-1', 'lead-2'], at(1));
      await store().triggerState.releaseKeys(flowId, ['lead-1']);
      expect(await store().triggerState.claimKeys(flowId, ['lead-1', 'lead-2'], at(2))).toEqual(['lead-1']);
    });

    it("forgets a deleted flow's cursor and claimed keys", async () => {
      const flowId = unique('flow');
      const other = unique('flow');
      await store().triggerState.advanceCursor(flowId, 1_700_000_000, at(1));
      await store().triggerState.claimKeys(flowId, ['lead-1'], at(1));
      await store().triggerState.claimKeys(other, ['lead-1'], at(1));
      await store().triggerState.deleteFlow(flowId);
      expect(await store().triggerState.getState(flowId)).toBeNull();
      expect(await store().triggerState.claimKeys(flowId, ['lead-1'], at(2))).toEqual(['lead-1']);
      expect(await store().triggerState.claimKeys(other, ['lead-1'], at(2))).toEqual([]);
      await expect(store().triggerState.deleteFlow(unique('flow'))).resolves.toBeUndefined();
    });
  });
}
