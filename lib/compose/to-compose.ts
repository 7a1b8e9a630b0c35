import * as path from 'path';
import { Application, Diagnostic, ResolvedSecretRef } from '../model';
import { DockerContainerPlan, DockerPlan, planDocker } from '../docker-plan';
import { AssetLayout, composePath, CONFIG_FILE_MODE, secretKey } from './assets';
import { ComposeAsset, ComposeFile, ComposeSecret } from './compose-file';
import { literalDeep } from './interpolation';
import { compact, nonEmptyRecord } from './objects';
import { composeService } from './service';

/** The target name compose diagnostics carry. */
export const COMPOSE_TARGET = 'compose';

/** Options of {@link toCompose}. */
export interface ComposeOptions {
  /**
   * Directory of the files the compose file mounts, relative to the compose file's directory.
   * @default - the application name
   */
  readonly assetDir?: string;
  /**
   * Directory the compose file will be written to; build contexts are written relative to it.
   * @default process.cwd()
   */
  readonly projectDir?: string;
}

/** A secret value compose interpolates into the environment (`${name}`), from the shell or `.env`. */
export interface ComposeSecretVariable {
  /** Variable name, e.g. `USERS_DB_PASSWORD`. */
  readonly name: string;
  readonly secret: string;
  readonly key: string;
}

/** A secret file the user provides; docker-compose mounts it with its host owner and mode. */
export interface ComposeSecretFile {
  /** Path relative to the compose file's directory. */
  readonly path: string;
  readonly secret: string;
  readonly key: string;
  /** `uid:gid` of every container that reads it: the file must be readable by them. */
  readonly users: string[];
}

/** The compose rendering of an application. */
export interface ComposeRendering {
  readonly file: ComposeFile;
  /** Config files the compose file bind-mounts, to be written next to it. */
  readonly files: ComposeAsset[];
  /** What the plan could not express exactly (e.g. autoscaling runs fixed replicas). */
  readonly diagnostics: Diagnostic[];
  /** Variables to set before `docker-compose up`. */
  readonly secretVariables: ComposeSecretVariable[];
  /** Secret files to provide before `docker-compose up`. */
  readonly secretFiles: ComposeSecretFile[];
}

/**
 * Renders `application` as a compose file object: a translation of the Docker plan the Pulumi backend follows
 * too. Throws `ValidationError` for an invalid definition and `UnsupportedError` for what Docker cannot express.
 */
export function toCompose(application: Application, options: ComposeOptions = {}): ComposeRendering {
  const resolved = application.resolve();
  const plan = planDocker(resolved, COMPOSE_TARGET);
  const layout = new AssetLayout(options.assetDir ?? resolved.name);
  const ctx = { layout, projectDir: path.resolve(options.projectDir ?? process.cwd()) };
  const secretFiles = secretFilesOf(plan.containers, layout);

  const file: ComposeFile = compact({
    services: Object.fromEntries(plan.containers.map((c) => [c.key, composeService(c, ctx)])),
    ...literalDeep({
      networks: byKey(plan.networks.map((n) => [n.key, n.internal ? { name: n.name, internal: true } : { name: n.name }])),
      volumes: byKey(plan.volumes.map((v) => [v.key, { name: v.name }])),
      secrets: byKey(secretFiles.map((f): [string, ComposeSecret] => [f.composeKey, { file: composePath(f.path) }])),
    }),
  });
  return {
    file,
    files: configAssets(plan, layout),
    diagnostics: plan.diagnostics,
    secretVariables: secretVariablesOf(plan.containers),
    secretFiles: secretFiles.map(({ composeKey: _key, ...f }) => f),
  };
}

/** Config files of every container; replicas of a service share theirs. */
function configAssets(plan: DockerPlan, layout: AssetLayout): ComposeAsset[] {
  const assets = new Map<string, ComposeAsset>();
  for (const c of plan.containers) {
    const paths = layout.configFiles(
      c.service,
      c.configMounts.map((m) => m.file),
    );
    for (const { file } of c.configMounts) {
      const p = paths.get(file.id)!;
      assets.set(p, { path: p, content: file.content, mode: CONFIG_FILE_MODE });
    }
  }
  return [...assets.values()];
}

function secretFilesOf(containers: DockerContainerPlan[], layout: AssetLayout): Array<ComposeSecretFile & { composeKey: string }> {
  const files = new Map<string, { ref: ResolvedSecretRef; users: Set<string> }>();
  for (const c of containers) {
    for (const { secret } of c.secretMounts) {
      const entry = files.get(secretKey(secret)) ?? { ref: secret, users: new Set<string>() };
      entry.users.add(c.user);
      files.set(secretKey(secret), entry);
    }
  }
  return [...files.entries()].map(([composeKey, { ref, users }]) => ({
    composeKey,
    path: layout.secretFile(ref),
    secret: ref.name,
    key: ref.key,
    users: [...users],
  }));
}

function secretVariablesOf(containers: DockerContainerPlan[]): ComposeSecretVariable[] {
  const vars = new Map<string, ComposeSecretVariable>();
  for (const v of containers.flatMap((c) => c.env)) {
    if (v.secret) vars.set(v.secret.variable, { name: v.secret.variable, secret: v.secret.name, key: v.secret.key });
  }
  return [...vars.values()];
}

function byKey<T>(entries: Array<[string, T]>): Record<string, T> | undefined {
  return nonEmptyRecord(Object.fromEntries(entries));
}
