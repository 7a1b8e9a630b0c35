export * from './import-compose';
export * from './options';
export * from './typescript-printer';
