export * from './container-args';
export * from './container-files';
export * from './docker-application';
export * from './file-placement';
export * from './images';
export * from './names';
export * from './secrets';
export * from './service-outputs';
