export * from './fast-yaml';
