import { ApiObject, App, Chart, IResolver, JsonPatch, ResolutionContext } from 'cdk8s';
import * as fc from 'fast-check';
import { PlainApiObject } from '../../lib/k8s/plain-api-object';

/** Plain JSON values with keys in any order, nulls and undefined entries (what sanitize drops). */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.stringMatching(/^[a-zA-Z]{1,6}$/), tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

const props = fc.record({
  spec: fc.dictionary(fc.stringMatching(/^[a-zA-Z]{1,6}$/), json, { maxKeys: 5, noNullPrototype: true }),
  data: fc.dictionary(fc.stringMatching(/^[a-z.]{1,6}$/), fc.string(), { maxKeys: 3, noNullPrototype: true }),
  labels: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z0-9]{0,6}$/), { maxKeys: 3, noNullPrototype: true }),
});

function pair(p: { spec: any; data: any; labels: any }, app = new App()) {
  const chart = new Chart(app, 'c', { namespace: 'ns' });
  const base = { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'x', labels: p.labels }, zeta: p.spec, data: p.data };
  return { plain: new PlainApiObject(chart, 'plain', base), cdk8s: new ApiObject(chart, 'cdk8s', base) };
}

describe('PlainApiObject', () => {
  test('renders any plain JSON exactly as cdk8s renders it (keys sorted, nulls dropped, same key order)', () => {
    fc.assert(
      fc.property(props, (p) => {
        const { plain, cdk8s } = pair(p);
        expect(JSON.stringify(plain.toJson())).toBe(JSON.stringify(cdk8s.toJson()));
      }),
      { numRuns: 300 },
    );
  });

  test('metadata changes made through the ApiObject API show', () => {
    const { plain } = pair({ spec: { b: 1, a: 2 }, data: {}, labels: {} });
    plain.metadata.addLabel('team', 'shop');
    plain.metadata.addAnnotation('note', 'x');
    expect(plain.toJson().metadata).toEqual({ annotations: { note: 'x' }, labels: { team: 'shop' }, name: 'x', namespace: 'ns' });
    expect(Object.keys(plain.toJson().zeta)).toEqual(['a', 'b']);
  });

  test('JSON patches apply, as to any ApiObject', () => {
    const { plain, cdk8s } = pair({ spec: { replicas: 1 }, data: {}, labels: {} });
    for (const o of [plain, cdk8s]) o.addJsonPatch(JsonPatch.replace('/zeta/replicas', 3), JsonPatch.add('/zeta/extra', 'y'));
    expect(plain.toJson().zeta).toEqual({ replicas: 3, extra: 'y' });
    expect(plain.toJson()).toEqual(cdk8s.toJson());
  });

  test("an app's own resolvers see every value, as they do for any ApiObject", () => {
    class Upper implements IResolver {
      public resolve(context: ResolutionContext): void {
        if (typeof context.value === 'string' && context.value.startsWith('up:'))
          context.replaceValue(context.value.slice(3).toUpperCase());
      }
    }
    const { plain } = pair({ spec: { image: 'up:nginx' }, data: {}, labels: {} }, new App({ resolvers: [new Upper()] }));
    expect(plain.toJson().zeta).toEqual({ image: 'NGINX' });
  });

  test('each rendering is a fresh copy: changing one does not change the next', () => {
    const { plain } = pair({ spec: { list: [{ a: 1 }] }, data: {}, labels: {} });
    plain.toJson().zeta.list[0].a = 99;
    expect(plain.toJson().zeta).toEqual({ list: [{ a: 1 }] });
  });
});
