export { createMongoStore, type MongoStoreOptions } from './create-mongo-store';
export {
  openMongoStore,
  databaseInUri,
  type OpenMongoStoreOptions,
  type OpenedMongoStore,
} from './open-mongo-store';
export { StoreContainerModule } from './store-container-module';
export { StoreTokens } from './store-tokens';
