export * from './change-report';
export * from './output-files';
export * from './renderers';
export * from './synth';
