/*
 * The Pulumi program (Pulumi.yaml `main`): config `microservice-constructs:stack` picks the application,
 * optional `imageOverrides` reaches its factory, and mistakes end with a clear message.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { deploy } from '../../pulumi/program';
import { STACKS } from '../../stacks';
import { installMocks, mockImageRef, PROJECT, recorded, render, resetRecords, setConfig, setSecrets, T } from './harness';

beforeAll(async () => {
  await installMocks();
  jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
});
beforeEach(() => pulumi.runtime.setAllConfig({}));

test('Pulumi.yaml names the project, the nodejs runtime with TypeScript and the program', () => {
  const text = fs.readFileSync(path.join(__dirname, '..', '..', 'Pulumi.yaml'), 'utf8');
  expect(text).toMatch(/^name: microservice-constructs$/m);
  expect(text).toMatch(/^runtime:\n {2}name: nodejs\n {2}options:\n {4}typescript: true$/m);
  const main = /^main: (.+)$/m.exec(text)![1];
  expect(fs.existsSync(path.join(__dirname, '..', '..', main))).toBe(true);
});

test('fails for an unknown stack, listing the valid names', () => {
  setConfig('stack', 'nope');
  expect(() => deploy()).toThrow(pulumi.RunError);
  expect(() => deploy()).toThrow(`config '${PROJECT}:stack' must be one of ${Object.keys(STACKS).join(', ')}, got 'nope'`);
});

test('fails for a stack name that is only an object property', () => {
  setConfig('stack', 'constructor');
  expect(() => deploy()).toThrow(/must be one of/);
});

test('fails without the stack config, naming the key', () => {
  expect(() => deploy()).toThrow(/Missing required configuration variable 'microservice-constructs:stack'/);
});

test('fails for imageOverrides that are not a JSON object of strings', () => {
  setConfig('stack', 'web-mongo');
  for (const bad of ['["mongo"]', '{"mongo:7.0.14":7}', '"mongo"']) {
    setConfig('imageOverrides', bad);
    expect(() => deploy()).toThrow(`config '${PROJECT}:imageOverrides' must be a JSON object of image references, got ${bad}`);
  }
});

test('imageOverrides reach the stack: the overridden image is pulled and run', async () => {
  setConfig('stack', 'web-mongo');
  setConfig('imageOverrides', JSON.stringify({ 'mongo:7.0.14': 'registry.local/mongo:7.0.14' }));
  const r = await render((opts) => deploy(opts));
  expect(r.ofType(T.remoteImage).map((i) => i.inputs.name)).toEqual(['registry.local/mongo:7.0.14']);
  expect(r.containers.get('web-mongo-db-1')!.inputs.image).toBe(mockImageRef('registry.local/mongo:7.0.14'));
});

test('fails for a missing secret with the command to set it, before registering anything', () => {
  setConfig('stack', 'shop');
  const registered: string[] = [];
  const opts = { transformations: [(a: pulumi.ResourceTransformationArgs) => void registered.push(a.name)] };
  expect(() => deploy(opts)).toThrow(
    'please set a value using the command `pulumi config set --secret microservice-constructs:users-db.password <value>`',
  );
  expect(registered).toEqual([]);
});

test('the entry point deploys the configured stack and exports its services and diagnostics', async () => {
  setConfig('stack', 'flask-redis');
  setSecrets(STACKS['flask-redis']().resolve());
  resetRecords();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require('../../pulumi/index');
  // Wait until the mocks stop seeing new resources.
  for (let seen = -1; seen !== recorded().length;) {
    seen = recorded().length;
    await new Promise((r) => setTimeout(r, 100));
  }
  const containers = recorded()
    .filter((x) => x.type === T.container && x.inputs.start !== false)
    .map((x) => x.inputs.name);
  expect(containers.sort()).toEqual(['flask-redis-gateway', 'flask-redis-redis-1', 'flask-redis-web-1']);
  expect(program.services.web).toEqual({
    containers: ['flask-redis-web-1'],
    urls: ['http://127.0.0.1:5000'],
    networks: ['flask-redis-web', 'flask-redis-redis', 'flask-redis--edge'],
  });
  expect(program.services.gateway.urls).toEqual(['http://127.0.0.1:8080']);
  expect(program.diagnostics).toEqual([]);
});
