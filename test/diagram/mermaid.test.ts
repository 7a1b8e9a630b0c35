import { toMermaid } from '../../lib/diagram';
import { STACKS } from '../../stacks';

describe('toMermaid', () => {
  const shop = toMermaid(STACKS.shop());

  test('draws every service with image, replicas and ports', () => {
    expect(shop.startsWith('flowchart LR\n')).toBe(true);
    expect(shop).toContain('svc_users["<b>users</b><br/>ghcr.io/acme-shop/users:1.4.2<br/>2 replicas<br/>ports 8080, 9090"]');
    expect(shop).toContain('2..6 replicas (cpu 70%)');
    expect(shop).toContain('<br/>+ proxy');
  });

  test('draws dependencies with their condition, gateway routes and volumes', () => {
    expect(shop).toContain('svc_orders -->|healthy| svc_payments');
    expect(shop).toContain('gw_gateway -->|"/api/catalog"| svc_catalog');
    expect(shop).toContain('vol_catalog_data[("catalog-data 10Gi")]');
    expect(shop).toContain('svc_catalog_db -.-|"/data/db"| vol_catalog_data');
    expect(shop.match(/-->\|healthy\|/g)).toHaveLength(11);
  });

  test('draws published host ports', () => {
    const flask = toMermaid(STACKS['flask-redis']());
    expect(flask).toContain('host_5000(("host :5000"))');
    expect(flask).toContain('host_5000 --> svc_web');
    expect(flask).toContain('{{"<b>gateway</b><br/>any host :8080"}}');
  });

  test('is deterministic', () => {
    expect(toMermaid(STACKS.shop())).toBe(shop);
  });
});

test('the README embeds the current diagram of the shop', () => {
  const readme = require('fs').readFileSync(require('path').join(__dirname, '..', '..', 'README.md'), 'utf8') as string;
  const embedded = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(embedded).toBe(toMermaid(STACKS.shop()));
});
