import * as fc from 'fast-check';
import { parse } from 'yaml';
import { composeYaml, toCompose } from '../../lib/compose';
import { appSpec, buildApp } from './arbitraries';
import { dockerComposeConfig, itWithCompose, networksOf } from './helpers';

describe('random valid applications', () => {
  test("render to the dependency graph: own network + dependencies' networks, depends_on on every instance", () => {
    fc.assert(
      fc.property(appSpec, (spec) => {
        const app = buildApp(spec);
        const resolved = app.resolve();
        const r = toCompose(app);
        const keysOf = (name: string) => Object.keys(r.file.services).filter((k) => k === name || new RegExp(`^${name}-\\d+$`).test(k));
        for (const s of resolved.services) {
          expect(keysOf(s.name)).toHaveLength(s.replicas);
          for (const key of keysOf(s.name)) {
            const c = r.file.services[key];
            const edge =
              s.egress.length > 0 || [...s.ports, ...s.sidecars.flatMap((sc) => sc.ports)].some((p) => p.publish !== undefined)
                ? ['_edge']
                : [];
            expect(networksOf(c)).toEqual([s.name, ...s.dependencies.map((d) => d.service), ...edge]);
            expect(Object.keys(c.depends_on ?? {})).toEqual(s.dependencies.flatMap((d) => keysOf(d.service)));
            for (const v of s.env.filter((e) => e.secret)) expect(c.environment![v.name]).toBe(`\${${v.secret!.variable}}`);
            expect(c.stop_signal).toBe(s.stopSignal);
            const grace = s.stopGracePeriodSeconds === undefined ? undefined : `${s.stopGracePeriodSeconds}s`;
            expect(c.stop_grace_period).toBe(grace);
            for (const sc of s.sidecars) expect(r.file.services[`${key}-${sc.name}`].stop_grace_period).toBe(grace);
          }
        }
        // docker-compose reads YAML 1.1: the text must mean exactly the object.
        expect(parse(composeYaml(r), { version: '1.1' })).toEqual(r.file);
      }),
      { numRuns: 150 },
    );
  });

  // Each run spawns docker-compose (about a second), so the runs are few.
  itWithCompose(
    'always pass docker-compose config -q without warnings',
    async () => {
      await fc.assert(
        fc.asyncProperty(appSpec, async (spec) => {
          const { stderr } = await dockerComposeConfig(buildApp(spec));
          expect(stderr).toBe('');
        }),
        { numRuns: 25 },
      );
    },
    300000,
  );
});
