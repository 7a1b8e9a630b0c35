import * as fc from 'fast-check';
import { isSecretName, toDnsLabel, wellKnownPort } from '../../lib/compose-import/rules';
import {
  credentialsIn,
  hasUrlPassword,
  InterpolationProblem,
  interpolate,
  parseBoolean,
  parseCpuMillis,
  parseDotenv,
  parseDuration,
  parseExposeEntry,
  parseMemoryMiB,
  parsePortEntry,
  parseReplicas,
  parseSignal,
  parseVolumeEntry,
  redact,
  show,
  splitShellWords,
  ValueError,
} from '../../lib/compose-import/values';

describe('durations', () => {
  it.each([
    ['10s', 10],
    ['1m30s', 90],
    ['1h', 3600],
    ['500ms', 0.5],
    ['1m0s', 60],
    [15, 15],
    ['2h1m1s', 7261],
  ])('reads %p as %p seconds', (text, seconds) => {
    expect(parseDuration(text)).toBeCloseTo(seconds);
  });

  it.each(['', '10', '10 s', 'soon', '1x', '-1s'])('fails on %p', (text) => {
    expect(() => parseDuration(text)).toThrow(ValueError);
  });
});

describe('signals', () => {
  it.each([
    ['SIGINT', 'SIGINT'],
    ['int', 'SIGINT'],
    ['SigTerm', 'SIGTERM'],
    ['USR2', 'SIGUSR2'],
  ])('reads %p as %p', (text, name) => {
    expect(parseSignal(text)).toBe(name);
  });

  it.each([2, '2', '', 'SIG', 'SIGRTMIN+3', 'SIG INT'])('fails on %p', (text) => {
    expect(() => parseSignal(text)).toThrow(ValueError);
  });
});

describe('sizes and cpus', () => {
  it.each([
    ['512m', 512],
    ['512M', 512],
    ['1g', 1024],
    ['1gb', 1024],
    ['2048k', 2],
    [1048576, 1],
    ['1.5g', 1536],
    ['100k', 1],
  ])('reads memory %p as %p MiB', (text, mib) => {
    expect(parseMemoryMiB(text)).toBe(mib);
  });

  it.each(['lots', '0', '-1m', '1t'])('fails on memory %p', (text) => {
    expect(() => parseMemoryMiB(text)).toThrow(ValueError);
  });

  it.each([
    ['0.5', 500],
    [2, 2000],
    ['0.25', 250],
    ['0.0001', 1],
  ])('reads cpus %p as %p millicores', (text, millis) => {
    expect(parseCpuMillis(text)).toBe(millis);
  });

  it.each(['0', 'half', '-1'])('fails on cpus %p', (text) => {
    expect(() => parseCpuMillis(text)).toThrow(ValueError);
  });
});

describe('shell words', () => {
  it('splits like docker-compose (POSIX quoting, no expansion)', () => {
    expect(splitShellWords(`/bin/bash -c "envsubst < /tmp/nginx.conf > /etc/x && nginx -g 'daemon off;'"`)).toEqual([
      '/bin/bash',
      '-c',
      "envsubst < /tmp/nginx.conf > /etc/x && nginx -g 'daemon off;'",
    ]);
    expect(splitShellWords(`a\\ b 'c d' "e \\"f\\"" '' $HOME`)).toEqual(['a b', 'c d', 'e "f"', '', '$HOME']);
    expect(splitShellWords('  --transaction-isolation=READ-COMMITTED   --binlog-format=ROW ')).toEqual([
      '--transaction-isolation=READ-COMMITTED',
      '--binlog-format=ROW',
    ]);
  });

  it('fails on an unclosed quote', () => {
    expect(() => splitShellWords('echo "hi')).toThrow(/unclosed " quote/);
  });

  it('splits back any list of words quoted for a POSIX shell', () => {
    const quoteWord = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
    fc.assert(
      fc.property(fc.array(fc.string()), (words) => {
        expect(splitShellWords(words.map(quoteWord).join(' '))).toEqual(words);
      }),
    );
  });
});

describe('interpolation', () => {
  const env = { NAME: 'web', EMPTY: '', PORT: '8080' };
  const run = (text: string) => {
    const problems: InterpolationProblem[] = [];
    return { value: interpolate(text, env, problems), problems };
  };

  it.each([
    ['$NAME-${PORT}', 'web-8080'],
    ['$$NAME costs $$5', '$NAME costs $5'],
    ['${EMPTY:-fallback} ${EMPTY-kept}', 'fallback '],
    ['${MISSING:-${NAME}}', 'web'],
    ['${NAME:+set} ${MISSING+set}', 'set '],
    ['no variables: $ and $1', 'no variables: $ and $1'],
  ])('turns %p into %p', (text, expected) => {
    expect(run(text)).toEqual({ value: expected, problems: [] });
  });

  it('reports unset and required variables', () => {
    expect(run('${MISSING}').problems).toEqual([{ variable: 'MISSING', message: 'is not set: substituted an empty string' }]);
    expect(run('${EMPTY:?give it a value}').problems).toEqual([{ variable: 'EMPTY', message: 'is required: give it a value' }]);
  });

  it('fails on an unclosed or invalid substitution', () => {
    expect(() => run('${NAME')).toThrow(ValueError);
    expect(() => run('${1abc}')).toThrow(ValueError);
  });
});

describe('dotenv', () => {
  it('reads assignments, export, quotes and comments', () => {
    expect(parseDotenv('# comment\nA=1\nexport B = two\nC="x \\"y\\"\\nz"\nD=\'$raw\'\nE=value # note\n\nnot a line\nF=')).toEqual({
      A: '1',
      B: 'two',
      C: 'x "y"\nz',
      D: '$raw',
      E: 'value',
      F: '',
    });
  });
});

describe('port entries', () => {
  it.each([
    ['8080:80', { port: 80, protocol: 'tcp', publish: 8080, randomHost: false, hostIp: undefined }],
    ['127.0.0.1:8000:80/udp', { port: 80, protocol: 'udp', publish: 8000, randomHost: false, hostIp: '127.0.0.1' }],
    ['[::1]:53:53/udp', { port: 53, protocol: 'udp', publish: 53, randomHost: false, hostIp: '::1' }],
    ['127.0.0.1::80', { port: 80, protocol: 'tcp', publish: undefined, randomHost: true, hostIp: '127.0.0.1' }],
    ['80', { port: 80, protocol: 'tcp', publish: undefined, randomHost: true, hostIp: undefined }],
    [3000, { port: 3000, protocol: 'tcp', publish: undefined, randomHost: true, hostIp: undefined }],
  ])('reads %p', (entry, spec) => {
    expect(parsePortEntry(entry)).toEqual(spec);
  });

  it('reads the long syntax', () => {
    expect(
      parsePortEntry({
        target: 80,
        published: '8080',
        protocol: 'UDP',
        host_ip: '0.0.0.0',
        name: 'web',
        app_protocol: 'http',
        mode: 'host',
      }),
    ).toEqual({
      port: 80,
      protocol: 'udp',
      publish: 8080,
      randomHost: false,
      hostIp: '0.0.0.0',
      name: 'web',
      mode: 'host',
      appProtocol: 'http',
    });
  });

  it.each(['9000-9001:9000-9001', '0:80', '80:70000', 'a:b', '1:2:3:4', ''])('fails on %p', (entry) => {
    expect(() => parsePortEntry(entry)).toThrow(ValueError);
  });

  it('fails on long-syntax keys it does not know', () => {
    expect(() => parsePortEntry({ target: 80, bogus: 1 })).toThrow(/bogus/);
  });

  it('reads expose entries', () => {
    expect(parseExposeEntry('3000/udp')).toEqual({ port: 3000, protocol: 'udp' });
    expect(parseExposeEntry(5432)).toEqual({ port: 5432, protocol: 'tcp' });
    expect(() => parseExposeEntry('3000-3005')).toThrow(/range/);
  });
});

describe('volume entries', () => {
  it.each([
    ['db_data:/var/lib/mysql', { type: 'volume', source: 'db_data', target: '/var/lib/mysql', readOnly: false, ignoredOptions: [] }],
    ['./conf:/etc/conf:ro', { type: 'bind', source: './conf', target: '/etc/conf', readOnly: true, ignoredOptions: [] }],
    [
      '/var/run/docker.sock:/var/run/docker.sock',
      { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false, ignoredOptions: [] },
    ],
    ['~/x:/y:ro,z', { type: 'bind', source: '~/x', target: '/y', readOnly: true, ignoredOptions: ['z'] }],
    ['/usr/src/app/node_modules', { type: 'volume', target: '/usr/src/app/node_modules', readOnly: false, ignoredOptions: [] }],
  ])('reads %p', (entry, spec) => {
    expect(parseVolumeEntry(entry)).toEqual(spec);
  });

  it('reads the long syntax', () => {
    expect(parseVolumeEntry({ type: 'bind', source: './x', target: '/x', read_only: true, bind: { propagation: 'shared' } })).toEqual({
      type: 'bind',
      source: './x',
      target: '/x',
      readOnly: true,
      ignoredOptions: ['bind'],
    });
  });

  it.each([':/x', 'a:', 'a:b:c:d', { source: 'x' }])('fails on %p', (entry) => {
    expect(() => parseVolumeEntry(entry)).toThrow(ValueError);
  });
});

describe('naming rules', () => {
  it.each([
    ['db_data', 'db-data'],
    ['My_Service', 'my-service'],
    ['1st', 'x-1st'],
    ['__', 'x'],
    ['a'.repeat(70), 'a'.repeat(63)],
  ])('makes %p the DNS label %p', (name, label) => {
    expect(toDnsLabel(name, 'x')).toBe(label);
  });

  it.each(['POSTGRES_PASSWORD', 'DB_PASSWD', 'API_KEY', 'GITHUB_TOKEN', 'JWT_SECRET', 'aws_secret_access_key'])(
    'treats %p as a credential',
    (name) => {
      expect(isSecretName(name)).toBe(true);
    },
  );

  it.each(['POSTGRES_PASSWORD_FILE', 'POSTGRES_USER', 'DB_HOST', 'SECRET_PATH', 'MYSQL_DATABASE'])(
    'does not treat %p as a credential',
    (name) => {
      expect(isSecretName(name)).toBe(false);
    },
  );

  it.each([
    ['mongo', 27017],
    ['mongo:4.2.0', 27017],
    ['docker.io/library/postgres:16', 5432],
    ['prom/prometheus', 9090],
    ['registry.local:5000/redis:7@sha256:abc', 6379],
    ['myorg/app:1', undefined],
    [undefined, undefined],
  ])('knows the port of %p: %p', (image, port) => {
    expect(wellKnownPort(image)).toBe(port);
  });
});

describe('credentials in interpolation', () => {
  const env = { DB_PASSWORD: 'pw-value-1', HOST: 'db', URL: 'postgres://u:url-pw@db/app' };
  const isCredential = (name: string) => name === 'DB_PASSWORD' || name === 'URL';
  const run = (text: string) => interpolate(text, env, [], isCredential);

  it.each([
    ['postgres://app:${DB_PASSWORD}@$HOST/app', 'postgres://app:${DB_PASSWORD}@db/app'],
    ['$DB_PASSWORD', '${DB_PASSWORD}'],
    ['${DB_PASSWORD:-default}', '${DB_PASSWORD}'],
    ['${MISSING:-${URL}}', '${URL}'],
    ['${DB_PASSWORD:+--password-given}', '--password-given'],
  ])('marks the credential in %p, never substituting its value', (text, shown) => {
    const out = run(text);
    expect(out).not.toContain('pw-value-1');
    expect(out).not.toContain('url-pw');
    expect(redact(out)).toBe(shown);
    expect(credentialsIn(out).length).toBe(shown.includes('${') ? 1 : 0);
  });

  it('finds marks deep in lists and maps, keys included', () => {
    expect(credentialsIn({ a: [run('x$DB_PASSWORD')], [run('$URL')]: 1 }).sort()).toEqual(['DB_PASSWORD', 'URL']);
  });

  it('shows marks as ${NAME} in messages', () => {
    expect(show({ v: run('a$DB_PASSWORD') })).toBe('{"v":"a${DB_PASSWORD}"}');
  });
});

describe('hasUrlPassword', () => {
  it.each([
    ['postgres://user:pw@db/app', true],
    ['redis://:pw@cache:6379', true],
    ['http://user@host', false],
    ['http://host:8080/x', false],
    ['a:b@c', false],
  ])('%p -> %p', (text, expected) => {
    expect(hasUrlPassword(text)).toBe(expected);
  });
});

describe('show', () => {
  it.each([
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [[1, NaN], '[1,NaN]'],
    [{ a: Infinity }, '{"a":Infinity}'],
    [undefined, 'undefined'],
    ['x', '"x"'],
  ])('shows %p as %p', (value, shown) => {
    expect(show(value)).toBe(shown);
  });
});

describe('parseBoolean', () => {
  it.each([true, 'true', 'True', 'yes', 'YES', 'on', 'y', 1, '1'])('reads %p as true, as docker-compose does', (v) =>
    expect(parseBoolean(v)).toBe(true),
  );
  it.each([false, 'false', 'no', 'off', 'n', 0, '0'])('reads %p as false', (v) => expect(parseBoolean(v)).toBe(false));
  it.each(['maybe', '', null, 2, {}, []])('fails %p', (v) => expect(() => parseBoolean(v)).toThrow(/must be a boolean/));
});

describe('parseReplicas', () => {
  it.each([
    [0, 0],
    [3, 3],
    ['7', 7],
    [' 1000 ', 1000],
  ])('reads %p as %p', (v, n) => expect(parseReplicas(v)).toBe(n));
  it.each([1001, 1e9, '1e9', '1000000000', '99999999999999999999', Infinity, NaN])('fails %p above the bound or not an integer', (v) => {
    expect(() => parseReplicas(v)).toThrow(/must be (at most 1000|an integer >= 0)/);
  });
  it.each([-1, 1.5, '1.5', 'three', null, true])('fails %p', (v) => expect(() => parseReplicas(v)).toThrow(/must be an integer >= 0/));
});
