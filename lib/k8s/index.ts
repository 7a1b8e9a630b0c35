export * from './application-chart';
export * from './diagnostics';
export * from './workload';
