/*
 * One host port for TCP and for UDP of one service (as DNS's 53) on a real engine: compose binds both protocols on
 * 127.0.0.1, and a connection and a datagram from the host reach the same container on the same port number.
 */
import * as dgram from 'dgram';
import * as net from 'net';
import { Application, Image, Microservice, Probe, Protocol } from '../../lib/model';
import { deploy, Deployment } from './apps';
import { describeWithDocker, E2E_TIMEOUT, ensureImages, freePort, PYTHON_IMAGE, SETUP_TIMEOUT, uniqueProjectName, waitFor } from './engine';

const PORT = 5353;
/** Answers `tcp <data>` on a connection and `udp <data>` to a datagram, both on PORT. */
const SERVER = [
  'import socket, threading',
  'u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
  `u.bind(("0.0.0.0", ${PORT}))`,
  'def udp():',
  '    while True:',
  '        data, addr = u.recvfrom(512)',
  '        u.sendto(b"udp " + data, addr)',
  'threading.Thread(target=udp, daemon=True).start()',
  't = socket.socket()',
  't.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
  `t.bind(("0.0.0.0", ${PORT}))`,
  't.listen()',
  'while True:',
  '    c, _ = t.accept()',
  '    c.sendall(b"tcp " + c.recv(512))',
  '    c.close()',
].join('\n');

/** The answer to `message` over TCP on 127.0.0.1:`port`, bounded. */
function askTcp(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(message));
    let answer = '';
    socket.setTimeout(3000, () => socket.destroy(new Error('tcp: no answer within 3 s')));
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** The answer to `message` over UDP on 127.0.0.1:`port`, bounded. */
function askUdp(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('udp: no answer within 3 s'));
    }, 3000);
    socket.on('message', (d) => {
      clearTimeout(timer);
      socket.close();
      resolve(d.toString());
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      socket.close();
      reject(e);
    });
    socket.send(message, port, '127.0.0.1');
  });
}

describeWithDocker('one host port for TCP and UDP on a real Docker engine', () => {
  let d: Deployment | undefined;
  let hostPort = 0;

  beforeAll(async () => {
    await ensureImages([PYTHON_IMAGE]);
    hostPort = await freePort();
    const app = new Application(uniqueProjectName('mce2e-ports-'));
    new Microservice(app, 'dns', {
      image: Image.fromRegistry(PYTHON_IMAGE),
      command: ['python3', '-c', SERVER],
      ports: [
        { port: PORT, publish: hostPort },
        { port: PORT, protocol: Protocol.UDP, publish: hostPort },
      ],
      readinessProbe: Probe.command(['python3', '-c', `import socket; socket.create_connection(("127.0.0.1", ${PORT}), 2)`]),
    });
    d = await deploy(app, 'mce2eports');
    await d.project.start(300_000);
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await d?.destroy();
  }, E2E_TIMEOUT);

  test(
    'both protocols are bound on 127.0.0.1 and answer from the one container',
    async () => {
      const dns = await d!.project.container('dns');
      const bindings = dns.raw.NetworkSettings.Ports as Record<string, Array<{ HostIp: string; HostPort: string }>>;
      expect(bindings[`${PORT}/tcp`]).toEqual([{ HostIp: '127.0.0.1', HostPort: String(hostPort) }]);
      expect(bindings[`${PORT}/udp`]).toEqual([{ HostIp: '127.0.0.1', HostPort: String(hostPort) }]);
      expect(await waitFor('the TCP answer', () => askTcp(hostPort, 'ping'), 30_000)).toBe('tcp ping');
      // A datagram can be lost: asked again until one answer comes, within the bound.
      expect(await waitFor('the UDP answer', () => askUdp(hostPort, 'ping'), 30_000)).toBe('udp ping');
    },
    E2E_TIMEOUT,
  );
});
