import { dashboardConfigMapProblems, dashboardProblems, provisionedUids } from './dashboards';
import type { K8sObject } from './k8s';

const provisioning = {
  file: 'datasources/p.yaml',
  text: 'apiVersion: 1\ndatasources:\n  - name: Prometheus\n    uid: prometheus\n    type: prometheus\n',
};

function dashboard(body: unknown) {
  return { file: 'd.json', text: JSON.stringify(body) };
}

const variable = (value: string) => ({
  templating: { list: [{ name: 'datasource', type: 'datasource', current: { value } }] },
});
const panel = (title: string, expr: string, uid = '${datasource}') => ({
  id: 1,
  type: 'timeseries',
  title,
  datasource: { type: 'prometheus', uid },
  targets: [{ refId: 'A', expr }],
});

describe('validate-deploy > dashboards', () => {
  it('reads the provisioned data sources', () => {
    expect([...provisionedUids([provisioning]).uids]).toEqual(['prometheus']);
    const noUid = { file: 'x.yaml', text: 'datasources:\n  - name: A\n' };
    expect(provisionedUids([noUid]).problems.map((p) => p.message)).toEqual(['data source A has no uid']);
  });

  it('passes panels that query through a datasource variable defaulting to a provisioned uid', () => {
    const d = dashboard({
      ...variable('prometheus'),
      panels: [
        { id: 9, type: 'row', title: 'R', panels: [panel('nested', 'up')] },
        panel('a', 'up', 'prometheus'),
      ],
    });
    expect(dashboardProblems(d, new Set(['prometheus']))).toEqual({ problems: [], panels: 2 });
  });

  it('names a panel without a query, an unprovisioned uid, and a variable that is not a data source', () => {
    const d = dashboard({
      ...variable('elsewhere'),
      panels: [panel('empty', ' '), panel('direct', 'up', 'other'), panel('var', 'up', '$nope')],
    });
    expect(
      dashboardProblems(d, new Set(['prometheus'])).problems.map((p) => `${p.resource}: ${p.message}`),
    ).toEqual([
      'panel "empty": has no query',
      'panel "empty": variable datasource defaults to data source "elsewhere", which no provisioning file declares',
      'panel "direct": names data source uid "other", which no provisioning file declares',
      'panel "var": names data source $nope, which is not a datasource variable of the dashboard',
    ]);
  });

  it('reports a file that is not JSON', () => {
    const { problems } = dashboardProblems({ file: 'd.json', text: '{' }, new Set());
    expect(problems[0]?.message).toMatch(/^is not JSON/);
  });

  it('wants each overlay to ship the dashboard unchanged in a ConfigMap', () => {
    const d = { file: 'deploy/grafana/dashboards/d.json', text: '{"a":1}\n' };
    const cm = (data: Record<string, string>): K8sObject => ({
      source: 'o',
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'dash',
      namespace: 'n',
      raw: { data },
    });
    expect(dashboardConfigMapProblems([d], [{ dir: 'o', objects: [cm({ 'd.json': d.text })] }])).toEqual([]);
    expect(
      dashboardConfigMapProblems(
        [d],
        [
          { dir: 'old', objects: [cm({ 'd.json': '{}' })] },
          { dir: 'none', objects: [] },
        ],
      ).map((p) => `${p.file}: ${p.message}`),
    ).toEqual([
      'old: ships a ConfigMap d.json that differs from deploy/grafana/dashboards/d.json',
      'none: has no ConfigMap holding deploy/grafana/dashboards/d.json',
    ]);
  });
});
