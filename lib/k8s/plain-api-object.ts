import { ApiObject, ApiObjectProps, App, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';

/** The resolvers every cdk8s App has (Lazy, implicit token, number/string union): none changes plain JSON. */
const BUILT_IN_RESOLVERS = 3;

/**
 * An ApiObject whose props are plain JSON (strings, numbers, booleans, arrays and plain objects: no Lazy values,
 * tokens or cdk8s-plus types), as the objects this backend writes itself are. cdk8s renders an object by resolving
 * every value (an `App.of` walk and a key path per value) and then copying it with sorted keys; for plain JSON the
 * resolve pass changes nothing, so this renders with the sorted copy alone: the same JSON, a fraction of the work
 * and garbage on charts with thousands of policies. Metadata changes, JSON patches and an app's own resolvers
 * still apply: with a patch or a custom resolver it renders exactly as any ApiObject.
 */
export class PlainApiObject extends ApiObject {
  private readonly body: Record<string, unknown>;
  private patched = false;

  constructor(scope: Construct, id: string, props: ApiObjectProps) {
    super(scope, id, props);
    const { apiVersion: _apiVersion, kind: _kind, metadata: _metadata, ...body } = props;
    this.body = body;
  }

  public addJsonPatch(...ops: JsonPatch[]): void {
    this.patched = true;
    super.addJsonPatch(...ops);
  }

  public toJson(): any {
    if (this.patched || App.of(this).resolvers.length !== BUILT_IN_RESOLVERS) return super.toJson();
    // As ApiObject.toJson orders it: apiVersion, kind and metadata, then the other keys sorted.
    const json: Record<string, unknown> = { apiVersion: this.apiVersion, kind: this.kind, metadata: this.metadata.toJson() };
    for (const key of Object.keys(this.body).sort()) {
      const value = sortedCopy(this.body[key]);
      if (value !== undefined) json[key] = value;
    }
    return json;
  }
}

/** `value` as cdk8s's sanitize step writes it: keys sorted at every level, null and undefined entries dropped. */
function sortedCopy(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedCopy);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = sortedCopy((value as Record<string, unknown>)[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
