/*
 * The package's public API, chosen name by name: what users need to define, render and import applications.
 * Resolvers, planners and backend helpers are internal (reachable inside the package through each module's
 * index). Importing this entry point loads @pulumi/pulumi (slow): the subpaths `microservice-constructs/k8s`,
 * `/compose` and `/compose-import` do not.
 */

// Defining an application
export { Application, Gateway, Microservice, Monitoring, findMicroservices } from './model';
export { Cpu, Egress, EgressKind, EndpointForm, EnvSource, EnvValue, Image, Memory, Probe, ProbeKind } from './model';
export {
  DependencyCondition,
  IngressSource,
  IngressSourceKind,
  PodSecurityLevel,
  Protocol,
  RestartPolicy,
  SeccompProfileType,
  ServiceType,
} from './model';
export { DiagnosticLevel, formatDiagnostic, UnsupportedError, ValidationError } from './model';
export type {
  ApplicationProps,
  AutoscalingProps,
  ConfigFileProps,
  ContainerProps,
  CpuResources,
  DependencyEdge,
  DependencyOptions,
  DependencyProps,
  Diagnostic,
  DockerfileImageOptions,
  EgressOptions,
  EgressProps,
  EndpointOptions,
  ExposureProps,
  FilesProps,
  GatewayProps,
  GatewayRoute,
  GatewayRouteProps,
  HttpProbeOptions,
  ImageBuild,
  LifecycleProps,
  LoggingProps,
  MemoryResources,
  MetricsProps,
  MicroserviceProps,
  MonitoringProps,
  PortProbeOptions,
  PortProps,
  ProbesProps,
  ProbeTiming,
  RegistryImageOptions,
  ResourcesProps,
  ScalingProps,
  SecretFileProps,
  SecretKeyRef,
  SeccompProfileProps,
  SecurityProps,
  ServiceIdentityProps,
  SidecarProps,
  StorageProps,
  ValueOptions,
  VolumeProps,
} from './model';
// The resolved model, for custom backends
export type {
  ResolvedApplication,
  ResolvedConfigFile,
  ResolvedContainer,
  ResolvedDependency,
  ResolvedEgress,
  ResolvedEnvVar,
  ResolvedGateway,
  ResolvedImage,
  ResolvedLogging,
  ResolvedMetrics,
  ResolvedMonitoring,
  ResolvedPort,
  ResolvedProbe,
  ResolvedResources,
  ResolvedRoute,
  ResolvedSecretFile,
  ResolvedSecretRef,
  ResolvedSeccompProfile,
  ResolvedScrapeTarget,
  ResolvedSecurity,
  ResolvedService,
  ResolvedVolume,
} from './model';

// Targets
export { ApplicationChart, WorkloadKind } from './k8s';
export type { ApplicationChartProps } from './k8s';
export { DockerApplication } from './docker';
export type { DockerApplicationProps, ServiceOutputs } from './docker';
export { toCompose, toComposeYaml, writeCompose } from './compose';
export type { ComposeFile, ComposeOptions, ComposeRendering, WrittenCompose } from './compose';
export { toMermaid } from './diagram';
export { formatDiagnostics, synthStacks } from './synth';
export type { SynthOptions, SynthResult } from './synth';

// Migrating from docker-compose
export {
  applicationToTypeScript,
  ComposeImportError,
  formatImportDiagnostic,
  HostBindMounts,
  importCompose,
  ImportSecurity,
} from './compose-import';
export type { ComposeImport, ComposeImportDiagnostic, ComposeImportOptions, TypeScriptOptions } from './compose-import';
