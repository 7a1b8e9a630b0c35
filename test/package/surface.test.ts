/*
 * The package root's runtime names, listed: the public surface is chosen name by name (lib/index.ts), so adding or
 * dropping one is a deliberate change of this list.
 */
import * as root from '../../lib';

test('the package root exports exactly the public runtime names', () => {
  expect(Object.keys(root).sort()).toEqual(
    [
      'Application',
      'ApplicationChart',
      'ComposeImportError',
      'Cpu',
      'DependencyCondition',
      'DiagnosticLevel',
      'DockerApplication',
      'Egress',
      'EgressKind',
      'EndpointForm',
      'EnvSource',
      'EnvValue',
      'Gateway',
      'HostBindMounts',
      'Image',
      'ImportSecurity',
      'IngressSource',
      'IngressSourceKind',
      'Memory',
      'Microservice',
      'Monitoring',
      'PodSecurityLevel',
      'Probe',
      'ProbeKind',
      'Protocol',
      'RestartPolicy',
      'SeccompProfileType',
      'ServiceType',
      'UnsupportedError',
      'ValidationError',
      'WorkloadKind',
      'applicationToTypeScript',
      'findMicroservices',
      'formatDiagnostic',
      'formatDiagnostics',
      'formatImportDiagnostic',
      'importCompose',
      'synthStacks',
      'toCompose',
      'toComposeYaml',
      'toMermaid',
      'writeCompose',
    ].sort(),
  );
});

test('Monitoring is also reachable from the model subpath, which loads no backend', () => {
  const model = require('../../lib/model');
  expect(model.Monitoring).toBe(root.Monitoring);
});
