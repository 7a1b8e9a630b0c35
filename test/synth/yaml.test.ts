/*
 * fastYaml must write exactly what `yaml` writes with cdk8s's settings (Kubernetes manifests) and the compose
 * backend's (no aliases), so adopting it changes no byte of any output.
 */
import { App } from 'cdk8s';
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { toCompose } from '../../lib/compose';
import { ApplicationChart } from '../../lib/k8s';
import { fastYaml, fastYamlDocuments } from '../../lib/yaml';
import { STACKS } from '../../stacks';
import { oursApplication } from '../../bench/ours';
import { benchSpecs } from '../../bench/spec';

const APPLICATIONS = { ...STACKS, bench: () => oursApplication(benchSpecs(40)) };

describe.each(Object.entries(APPLICATIONS))('%s', (_name, build) => {
  test('Kubernetes documents: byte-identical to cdk8s', () => {
    const app = new App();
    const chart = new ApplicationChart(app, 'stack', { application: build() });
    expect(fastYamlDocuments(chart.toJson())).toBe(app.synthYaml());
  });

  test('compose file: byte-identical to yaml without aliases', () => {
    const file = toCompose(build()).file;
    expect(fastYaml(file, { aliasDuplicateObjects: false })).toBe(
      stringify(file, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false }),
    );
  });
});

// Strings that YAML gives a meaning: indicators, 1.1 booleans, numbers, timestamps, octals, multi-line text.
const trickyString = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    'yes',
    'No',
    'ON',
    'off',
    'y',
    'null',
    '~',
    'true',
    '0755',
    '0x1F',
    '1e3',
    '1_000',
    '12:30',
    '2024-01-01',
    '.inf',
    '-.NaN',
    '- a',
    '? a',
    ': a',
    'a: b',
    'a #b',
    '#a',
    '&a',
    '*a',
    '!a',
    '|',
    '>',
    '%a',
    '@a',
    '`a',
    '"a"',
    "'a'",
    'a\nb',
    'a\n',
    ' a',
    'a ',
    '<<',
    '---',
    '...',
    '[a]',
    '{a}',
    'a,b',
    'é',
    'a\tb',
    '\u0085',
    'x'.repeat(200),
  ),
  fc.stringMatching(/^[a-z0-9:./@-]{1,12}$/),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_./+-]{0,8}$/),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    trickyString,
    fc.integer(),
    fc.double({ noNaN: false }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(trickyString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

test('any JSON value: byte-identical to yaml, with and without aliases', () => {
  fc.assert(
    fc.property(fc.dictionary(trickyString, jsonValue, { maxKeys: 6 }), fc.boolean(), (doc, aliasDuplicateObjects) => {
      expect(fastYaml(doc, { aliasDuplicateObjects })).toBe(stringify(doc, { version: '1.1', lineWidth: 0, aliasDuplicateObjects }));
    }),
    { numRuns: 3000 },
  );
});

test('a shared object becomes an alias, as in yaml', () => {
  const shared = { a: 1 };
  const doc = { first: shared, second: shared };
  expect(fastYaml(doc)).toBe(stringify(doc, { version: '1.1', lineWidth: 0 }));
  expect(fastYaml(doc, { aliasDuplicateObjects: false })).toBe('first:\n  a: 1\nsecond:\n  a: 1\n');
});

test('every short string of name and indicator characters, as key and as value', () => {
  const words = (alphabet: string, length: number): string[] =>
    length === 0 ? [''] : words(alphabet, length - 1).flatMap((w) => [...alphabet].map((c) => w + c));
  const strings = [
    ...[1, 2, 3].flatMap((n) => words('abeyonEYNO019_./-+: ', n)),
    ...[1, 2].flatMap((n) => words('a0 :#,[]{}&*!|>\'"%@`?-<~=.+eE\t', n)),
  ];
  for (const s of strings) {
    const doc = { [s]: s, list: [s], nested: { [s]: [s, { [s]: s }] } };
    expect(fastYaml(doc)).toBe(stringify(doc, { version: '1.1', lineWidth: 0 }));
  }
});

test('strings of digits (ports and counts as strings), any length, leading zeros too', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{1,40}$/), (digits) => {
      const doc = { value: digits, list: [digits] };
      expect(fastYaml(doc)).toBe(stringify(doc, { version: '1.1', lineWidth: 0 }));
    }),
    { numRuns: 500 },
  );
});
