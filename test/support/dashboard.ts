/**
 * Reads the PromQL of a Grafana dashboard as Prometheus must run it: every panel's targets (rows' nested
 * panels included), with the dashboard's template variables and Grafana's own interval variables
 * replaced by values. Pure, so that the e2e test of the dashboard and its unit test share it.
 */

/** One target of one panel, its expression ready for Prometheus's /api/v1/query. */
export interface PanelQuery {
  panel: string;
  refId: string;
  expr: string;
}

/** Values for Grafana's built-in variables, which only a running Grafana would know. */
export interface BuiltIns {
  /** `$__rate_interval`, `$__interval`: the range of rate()/increase() windows, e.g. `1m`. */
  interval: string;
  /** `$__range`: the dashboard's time range, e.g. `15m`. */
  range: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A template variable's current value: `current.value`, else its first option's value. */
function variableValue(variable: Json): string | undefined {
  const current = variable.current;
  if (isObject(current) && typeof current.value === 'string') return current.value;
  const first = arrayOf(variable.options)[0];
  return isObject(first) && typeof first.value === 'string' ? first.value : undefined;
}

/** name → value of the dashboard's template variables and the built-ins. */
export function dashboardVariables(dashboard: unknown, builtIns: BuiltIns): Map<string, string> {
  const values = new Map<string, string>([
    ['__rate_interval', builtIns.interval],
    ['__interval', builtIns.interval],
    ['__range', builtIns.range],
  ]);
  const templating = isObject(dashboard) ? dashboard.templating : undefined;
  for (const variable of arrayOf(isObject(templating) ? templating.list : undefined)) {
    if (!isObject(variable) || typeof variable.name !== 'string') continue;
    const value = variableValue(variable);
    if (value !== undefined) values.set(variable.name, value);
  }
  return values;
}

/**
 * Replaces `$name`, `${name}` and `[[name]]` by the variable's value. A variable with no value throws:
 * a query sent with a literal `$name` would be a PromQL syntax error, or worse, a different query.
 */
export function substitute(expr: string, variables: ReadonlyMap<string, string>): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (whole, braced, bare, bracketed) => {
    const name = String(braced ?? bare ?? bracketed);
    const value = variables.get(name);
    if (value === undefined) throw new Error(`no value for the dashboard variable ${whole} in: ${expr}`);
    return value;
  });
}

/** Every panel of the dashboard, rows' nested panels after their row. */
function panelsOf(dashboard: unknown): Json[] {
  const top = arrayOf(isObject(dashboard) ? dashboard.panels : undefined).filter(isObject);
  return top.flatMap((panel) => [panel, ...arrayOf(panel.panels).filter(isObject)]);
}

/** Every target expression of every panel, variables substituted. Rows (no targets) yield nothing. */
export function dashboardQueries(dashboard: unknown, builtIns: BuiltIns): PanelQuery[] {
  const variables = dashboardVariables(dashboard, builtIns);
  return panelsOf(dashboard).flatMap((panel) =>
    arrayOf(panel.targets)
      .filter(isObject)
      .filter((target) => typeof target.expr === 'string' && target.hide !== true)
      .map((target) => ({
        panel: typeof panel.title === 'string' ? panel.title : `panel ${String(panel.id)}`,
        refId: typeof target.refId === 'string' ? target.refId : '?',
        expr: substitute(String(target.expr), variables),
      })),
  );
}
