/*
 * The twelve real compose files of docker/awesome-compose: each imports, keeps what the file says (checked against
 * the parsed source, the same way for every file), reports every key it does not carry over, and renders to
 * schema-valid Kubernetes objects and to a compose file docker-compose accepts.
 */
import { parse } from 'yaml';
import { toComposeYaml } from '../../lib/compose';
import { ComposeImport, importCompose } from '../../lib/compose-import';
import { parseDuration } from '../../lib/compose-import/values';
import { DependencyCondition, EnvSource, ResolvedApplication, ResolvedService, RestartPolicy } from '../../lib/model';
import { DOCKER_COMPOSE, dockerComposeConfig, itWithCompose } from '../compose/helpers';
import { all, synth } from '../k8s/helpers';
import { CORPUS, corpusName, corpusText, diagnosticsOf, tempProject } from './helpers';

/** Keys whose carrying over the assertions below check one by one; every other key must be reported. */
const CHECKED_KEYS = [
  'image',
  'build',
  'ports',
  'expose',
  'environment',
  'volumes',
  'depends_on',
  'healthcheck',
  'restart',
  'command',
  'secrets',
  'labels',
  'user',
  'stop_signal',
  'stop_grace_period',
];
/** Variable names that hold credentials in these files. */
const CREDENTIAL = /PASSWORD$|PASSWD$|SECRET|TOKEN|_KEY$/;

type Source = { services: Record<string, any> };

/** `[name, value]` of a list-or-map key. */
function entries(value: unknown): Array<[string, string | undefined]> {
  if (Array.isArray(value)) return value.map((e) => String(e).split(/=(.*)/s).slice(0, 2) as [string, string | undefined]);
  return Object.entries((value ?? {}) as Record<string, unknown>).map(([k, v]) => [k, v === null ? undefined : String(v)]);
}

/** Container port, protocol and host port of a short-syntax `ports`/`expose` entry. */
function portOf(entry: unknown): { port: number; protocol: string; publish?: number } {
  const [spec, protocol = 'tcp'] = String(entry).split('/');
  const parts = spec.split(':');
  return {
    port: Number(parts[parts.length - 1]),
    protocol: protocol.toUpperCase(),
    publish: parts.length > 1 ? Number(parts[parts.length - 2]) : undefined,
  };
}

describe.each(CORPUS)('%s', (file) => {
  const text = corpusText(file);
  const source = parse(text) as Source;
  let result: ComposeImport;
  let resolved: ResolvedApplication;
  const service = (name: string): ResolvedService => {
    const s = resolved.services.find((x) => x.name === name);
    if (!s) throw new Error(`service '${name}' of ${file} was not imported`);
    return s;
  };
  /** Whether a diagnostic of `svc` about `field` mentions `what`. */
  const reported = (svc: string, field: string, what: string) => diagnosticsOf(result, svc, field).some((d) => d.message.includes(what));
  const eachService = (fn: (name: string, def: any, s: ResolvedService) => void) =>
    Object.entries(source.services).forEach(([name, def]) => fn(name, def ?? {}, service(name)));

  beforeAll(() => {
    result = importCompose(text, { name: corpusName(file) });
    resolved = result.application.resolve();
  });

  it('imports every service under its own name', () => {
    expect(resolved.services.map((s) => s.name).sort()).toEqual(Object.keys(source.services).sort());
  });

  it('keeps images: registry images as written, builds as builds or reported', () => {
    eachService((name, def, s) => {
      if (!def.build) expect(s.image.reference).toBe(def.image);
      else expect(s.image.build !== undefined || reported(name, 'build', 'prebuilt image')).toBe(true);
    });
  });

  it('keeps ports: container ports, and host ports unless reported', () => {
    eachService((name, def, s) => {
      for (const [field, list] of [
        ['ports', def.ports],
        ['expose', def.expose],
      ] as const) {
        for (const entry of list ?? []) {
          const p = portOf(entry);
          const port = s.ports.find((x) => x.port === p.port && x.protocol === p.protocol);
          expect(port).toBeDefined();
          if (p.publish !== undefined && port!.publish !== p.publish) expect(reported(name, field, `${p.publish}`)).toBe(true);
        }
      }
    });
  });

  it('keeps every environment key: values, credentials as secret references, or reported', () => {
    eachService((name, def, s) => {
      for (const [key, value] of entries(def.environment)) {
        const v = s.env.find((x) => x.name === key);
        if (!v || (v.source === EnvSource.VALUE && v.value !== value)) {
          expect(reported(name, 'environment', key)).toBe(true);
        } else if (CREDENTIAL.test(key)) {
          expect(v.source).toBe(EnvSource.SECRET);
          expect(v.value).toBeUndefined();
        }
      }
    });
  });

  it('keeps volumes: named as persistent, anonymous as scratch, host binds as files or reported', () => {
    eachService((name, def, s) => {
      for (const entry of def.volumes ?? []) {
        const [src, target] =
          typeof entry === 'string' ? (entry.includes(':') ? entry.split(':') : [undefined, entry]) : [entry.source, entry.target];
        if (src === undefined) {
          expect(s.volumes).toContainEqual(expect.objectContaining({ mountPath: target, scratch: true }));
        } else if (/^[./~]/.test(src)) {
          const mounted = [...s.configFiles, ...s.secretFiles].some((f) => f.mountPath === target || f.mountPath.startsWith(`${target}/`));
          expect(mounted || reported(name, 'volumes', src)).toBe(true);
        } else {
          expect(s.volumes).toContainEqual(expect.objectContaining({ name: src.replace(/_/g, '-'), mountPath: target, scratch: false }));
        }
      }
    });
  });

  it('keeps dependencies (with conditions) or reports why not', () => {
    eachService((name, def, s) => {
      const deps = Array.isArray(def.depends_on)
        ? def.depends_on.map((d: string) => [d, 'service_started'])
        : Object.entries(def.depends_on ?? {}).map(([d, o]: [string, any]) => [d, o?.condition]);
      for (const [dep, condition] of deps) {
        const edge = s.dependencies.find((d) => d.service === dep);
        if (!edge) {
          expect(reported(name, 'depends_on', `'${dep}'`)).toBe(true);
          continue;
        }
        const healthy = condition === 'service_healthy' && source.services[dep].healthcheck !== undefined;
        expect(edge.condition).toBe(healthy ? DependencyCondition.HEALTHY : DependencyCondition.STARTED);
      }
    });
  });

  it('keeps commands, health checks, restart policies, stop signals, secrets, labels and numeric users', () => {
    eachService((name, def, s) => {
      const words = typeof def.command === 'string' ? def.command.trim().split(/\s+/) : def.command;
      // Quoted words are checked by the shell-word tests; here the unquoted ones must come through as written.
      if (words && !/["']/.test(def.command)) expect(s.args).toEqual(words);
      else if (words) expect(s.args![0]).toBe(words[0]);
      if (def.healthcheck) {
        const [kind, ...rest] = def.healthcheck.test;
        expect(s.healthcheck!.command).toEqual(kind === 'CMD' ? rest : ['/bin/sh', '-c', rest.join(' ')]);
      }
      if (def.restart) expect(s.restartPolicy).toBe(def.restart === 'no' ? RestartPolicy.NEVER : RestartPolicy.ALWAYS);
      for (const secret of def.secrets ?? [])
        expect(s.secretFiles).toContainEqual(expect.objectContaining({ mountPath: `/run/secrets/${secret}` }));
      for (const [key, value] of entries(def.labels)) expect(s.labels[key] === value || reported(name, 'labels', key)).toBe(true);
      if (def.user !== undefined)
        expect(s.security.user === Number(String(def.user).split(':')[0]) || reported(name, 'user', String(def.user))).toBe(true);
      expect(s.stopSignal).toBe(def.stop_signal);
      expect(s.stopGracePeriodSeconds).toBe(
        def.stop_grace_period === undefined ? undefined : Math.ceil(parseDuration(def.stop_grace_period)),
      );
    });
  });

  it('reports every other key, naming the service and the key', () => {
    eachService((name, def) => {
      for (const key of Object.keys(def).filter((k) => !CHECKED_KEYS.includes(k))) {
        expect(diagnosticsOf(result, name, key).map((d) => `${name}.${d.field}`)).toContain(`${name}.${key}`);
      }
    });
    const services = new Set([...Object.keys(source.services), '(top-level)']);
    for (const d of result.diagnostics) {
      expect(services.has(d.service)).toBe(true);
      expect(d.field).not.toBe('');
      expect(d.target).toBe('compose-import');
    }
  });

  /** Credentials written once in the file: no output may contain them. */
  const plaintextCredentials = () =>
    Object.values(source.services)
      .flatMap((def: any) => entries(def.environment))
      .filter(([key, value]) => CREDENTIAL.test(key) && value && text.split(value).length === 2)
      .map(([, value]) => value!);

  it('renders schema-valid Kubernetes objects, credentials as secretKeyRefs only', () => {
    const { objects } = synth(result.application);
    const workloads = [...all(objects, 'Deployment'), ...all(objects, 'StatefulSet'), ...all(objects, 'Job')];
    expect(workloads.map((w) => w.metadata.name).sort()).toEqual(Object.keys(source.services).sort());
    for (const w of workloads) {
      for (const v of w.spec.template.spec.containers.flatMap((c: any) => c.env ?? [])) {
        if (CREDENTIAL.test(v.name)) expect(v).toEqual({ name: v.name, valueFrom: { secretKeyRef: expect.any(Object) } });
      }
    }
    const yaml = JSON.stringify(objects);
    for (const value of plaintextCredentials()) expect(yaml).not.toContain(value);
  });

  it('renders a compose file without plaintext credentials', () => {
    const yaml = toComposeYaml(result.application);
    expect(Object.keys((parse(yaml) as Source).services).sort()).toEqual(expect.arrayContaining(Object.keys(source.services).sort()));
    for (const value of plaintextCredentials()) expect(yaml).not.toContain(value);
  });

  itWithCompose(
    'renders a compose file that passes docker-compose config -q',
    async () => {
      const { stderr } = await dockerComposeConfig(result.application);
      expect(stderr).toBe('');
    },
    60000,
  );
});

/**
 * A project directory holding what `file` refers to: a Dockerfile in every build context, a small file or directory
 * at every relative bind-mount source, and the secret files (with a value no output may contain).
 */
function projectFor(source: Source): string {
  const files: Record<string, string> = {};
  for (const def of Object.values(source.services) as any[]) {
    const build = typeof def.build === 'string' ? { context: def.build } : def.build;
    if (build) files[`${build.context}/${build.dockerfile ?? 'Dockerfile'}`] = 'FROM scratch\n';
    for (const v of def.volumes ?? []) {
      const src: string | undefined = typeof v === 'string' ? (v.includes(':') ? v.split(':')[0] : undefined) : v.source;
      if (!src?.startsWith('./') || src === '.') continue;
      files[/\.[a-z]+$/.test(src) ? src : `${src}/settings.yml`] = `# ${src}\n`;
    }
  }
  for (const secret of Object.values((source as any).secrets ?? {}) as any[]) files[secret.file] = 'SECRET-FILE-xyzzy\n';
  return tempProject(files);
}

describe.each(CORPUS)('%s with the files it refers to', (file) => {
  const text = corpusText(file);
  const source = parse(text) as Source;
  let result: ComposeImport;

  beforeAll(() => {
    result = importCompose(text, { name: corpusName(file), baseDir: projectFor(source) });
  });

  it('builds from the contexts and mounts every relative host path as files', () => {
    const resolved = result.application.resolve();
    for (const [name, def] of Object.entries(source.services) as Array<[string, any]>) {
      const s = resolved.services.find((x) => x.name === name)!;
      if (def.build) expect(s.image.build).toBeDefined();
      for (const v of def.volumes ?? []) {
        const [src, target] = typeof v === 'string' ? v.split(':') : [v.source, v.target];
        if (!src?.startsWith('.')) continue;
        expect([...s.configFiles, ...s.secretFiles].some((f) => f.mountPath === target || f.mountPath.startsWith(`${target}/`))).toBe(true);
      }
    }
  });

  it('renders schema-valid Kubernetes objects and a compose file docker-compose accepts, without secret file contents', async () => {
    const { objects } = synth(result.application);
    expect(JSON.stringify(objects)).not.toContain('xyzzy');
    expect(toComposeYaml(result.application)).not.toContain('xyzzy');
    if (DOCKER_COMPOSE) expect((await dockerComposeConfig(result.application)).stderr).toBe('');
  }, 60000);
});

it('covers all twelve files of the corpus', () => {
  expect(CORPUS).toHaveLength(12);
});

it('keeps the dotted variables of the Elastic stack, which Elasticsearch needs to start as one node', () => {
  const result = importCompose(corpusText('elasticsearch-logstash-kibana.compose.yaml'), { name: 'elk' });
  const env = (name: string) => result.application.resolve().services.find((s) => s.name === name)!.env;
  expect(env('elasticsearch')).toContainEqual(expect.objectContaining({ name: 'discovery.type', value: 'single-node' }));
  expect(env('logstash')).toContainEqual(expect.objectContaining({ name: 'discovery.seed_hosts', value: 'logstash' }));
  expect(diagnosticsOf(result, 'elasticsearch', 'environment')).toEqual([]);
});
