/*
 * Issue 12 on the real engine (compose, the Docker plan both Docker targets share): a service without external
 * egress sits only on internal networks and cannot reach a container outside its networks (Docker 20.10 still
 * gives containers on an internal network a default route; the engine's iptables rules drop what leaves it); a
 * service with egress joins the edge network and reaches a stand-in for "outside" there; published ports listen
 * on 127.0.0.1 only; containers run the engine's default seccomp profile.
 */
import { Application, Egress, Image, Microservice } from '../../lib/model';
import { Deployment, deploy, thenIdle, WEB_PORT, webServer } from './apps';
import {
  BUSYBOX_IMAGE,
  describeWithDocker,
  docker,
  E2E_TIMEOUT,
  ensureImages,
  execIn,
  freePort,
  httpGet,
  IMAGE_OVERRIDES,
  SETUP_TIMEOUT,
  uniqueProjectName,
} from './engine';

const BUSYBOX = () => Image.fromRegistry('busybox:1.36.1');

describeWithDocker('least privilege on the real engine: egress, publish address, seccomp', () => {
  let d: Deployment | undefined;
  let outside: string | undefined;
  let outsideIp = '';
  let port = 0;
  const appName = uniqueProjectName('mce2e-lp-');

  beforeAll(async () => {
    await ensureImages();
    port = await freePort();
    const app = new Application(appName, { imageOverrides: IMAGE_OVERRIDES });
    new Microservice(app, 'sealed', { image: BUSYBOX(), command: thenIdle('true') });
    new Microservice(app, 'open', { image: BUSYBOX(), command: thenIdle('true'), egress: [Egress.cidr('0.0.0.0/0')] });
    new Microservice(app, 'web', { image: BUSYBOX(), command: webServer('hello', WEB_PORT), ports: [{ port: WEB_PORT, publish: port }] });
    d = await deploy(app, 'mce2elp');
    await d.project.start(300_000);
    // The stand-in for "outside": a web server on the application's edge network only.
    outside = `${appName}-outside`;
    await docker([
      'run',
      '-d',
      '--name',
      outside,
      '--network',
      `${appName}--edge`,
      '--user',
      '10001:10001',
      BUSYBOX_IMAGE,
      ...webServer('outside', WEB_PORT),
    ]);
    outsideIp = (await docker(['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', outside])).stdout.trim();
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    if (outside) await docker(['rm', '-f', outside], { allowFailure: true });
    await d?.destroy();
  }, E2E_TIMEOUT);

  const get = (url: string) => `timeout 5 wget -q -O - ${url}`;

  test(
    'a service without egress is only on internal networks and cannot reach a container outside them',
    async () => {
      const sealed = await d!.project.container('sealed');
      const r = await execIn(sealed.name, get(`http://${outsideIp}:${WEB_PORT}/`));
      expect(r.code).not.toBe(0);
      const nets = (await docker(['inspect', '-f', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}', sealed.name])).stdout
        .trim()
        .split(' ');
      for (const n of nets)
        expect([n, (await docker(['network', 'inspect', '-f', '{{.Internal}}', n])).stdout.trim()]).toEqual([n, 'true']);
    },
    E2E_TIMEOUT,
  );

  test(
    'a service with declared egress reaches the outside stand-in on the edge network',
    async () => {
      const open = await d!.project.container('open');
      const r = await execIn(open.name, get(`http://${outsideIp}:${WEB_PORT}/`));
      expect([r.code, r.stdout.trim().split(' ')[0]]).toEqual([0, 'outside']);
    },
    E2E_TIMEOUT,
  );

  test(
    'a published port listens on 127.0.0.1 only, and answers there',
    async () => {
      const web = await d!.project.container('web');
      const bindings = (await docker(['port', web.name, `${WEB_PORT}/tcp`])).stdout.trim().split('\n');
      expect(bindings).toEqual([`127.0.0.1:${port}`]);
      const r = await httpGet(port, '/');
      expect([r.status, r.body.split(' ')[0]]).toEqual([200, 'hello']);
    },
    E2E_TIMEOUT,
  );

  test(
    "containers run the engine's default seccomp profile (filter mode 2), as their label says",
    async () => {
      for (const service of ['sealed', 'open', 'web']) {
        const c = await d!.project.container(service);
        expect([service, (await execIn(c.name, "grep '^Seccomp:' /proc/self/status")).stdout.replace(/\s+/g, ' ').trim()]).toEqual([
          service,
          'Seccomp: 2',
        ]);
        expect((await docker(['inspect', '-f', '{{index .Config.Labels "microservice-constructs.seccomp"}}', c.name])).stdout.trim()).toBe(
          'engine-default',
        );
      }
    },
    E2E_TIMEOUT,
  );
});
