// The package's public API. Importing it loads @pulumi/pulumi (slow): `npm run synth` imports the backends directly.
export * from './model';
export * from './k8s';
export * from './compose';
export * from './compose-import';
export * from './docker';
export * from './diagram';
export * from './synth';
