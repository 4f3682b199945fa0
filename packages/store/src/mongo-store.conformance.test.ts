import { describeStoreConformance } from '@flowcard/engine/src/ports/conformance';
import { openTestDatabase } from '../../../test/support/mongo';
import { createMongoStore } from './create-mongo-store';

describeStoreConformance('the mongoose store', async () => {
  const database = await openTestDatabase(__filename);
  const store = createMongoStore(database.connection);
  await store.ensureIndexes();
  return { store, cleanup: () => database.close() };
});
