import { openMongoStore } from '@flowcard/store';
import { loadConfig } from '../config/load-config';
import { createAdmin, type CreateAdminRequest, type CreatedAdmin } from './create-admin';

/**
 * `flowcard admin create` without --api: writes straight to the MongoDB named by MONGODB_URI (the
 * same database a running runtime uses), then disconnects.
 */
export async function createAdminInDatabase(
  request: CreateAdminRequest,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<CreatedAdmin> {
  const config = loadConfig(env);
  if (!config.mongodbUri)
    throw new Error('MONGODB_URI is not set: pass --api <url> of a running Flowcard instead');
  const opened = await openMongoStore({ uri: config.mongodbUri, dbName: config.mongodbDatabase });
  try {
    return await createAdmin({ users: opened.store.users, workspaces: opened.store.workspaces }, request);
  } finally {
    await opened.close();
  }
}
