import { ApiObjectMetadata } from 'cdk8s';

/** Metadata of a generated object: its exact name, the resolved labels and the application's namespace. */
export function objectMetadata(name: string, labels: Record<string, string>, namespace: string | undefined): ApiObjectMetadata {
  return { name, namespace, labels: { ...labels } };
}
