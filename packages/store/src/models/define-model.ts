import type { Connection, Model, Schema } from 'mongoose';

/**
 * Registers a model on `connection` (never the global mongoose), reusing it when the same
 * connection already has it, so building two stores on one connection works.
 */
export function defineModel<T>(
  connection: Connection,
  name: string,
  schema: Schema<T>,
  collection: string,
): Model<T> {
  const existing = connection.models[name] as Model<T> | undefined;
  return existing ?? connection.model<T>(name, schema, collection);
}
