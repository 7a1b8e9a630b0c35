export * from './keys';
export * from './plan';
