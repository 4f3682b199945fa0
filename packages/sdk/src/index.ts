export * from './signals';
export * from './card-error';
export * from './handler';
export * from './duration';
