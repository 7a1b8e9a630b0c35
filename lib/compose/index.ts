export * from './compose-file';
export * from './to-compose';
export * from './write';
export * from './yaml';
