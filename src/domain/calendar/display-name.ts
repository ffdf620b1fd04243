import type { StoreReader } from '../../store/store.js';
import type { Resource } from '../../store/types.js';
import { textOf } from '../../xml/element.js';
import { parseXml } from '../../xml/parse.js';

/** A collection's DAV:displayname (a dead property, RFC 4918 §15.2), if it has one. */
export async function displayNameOf(store: StoreReader, collection: Resource): Promise<string | undefined> {
  const prop = (await store.getProperties(collection.id)).find((p) => p.name === '{DAV:}displayname');
  if (!prop) return undefined;
  try {
    return textOf(parseXml(prop.xml)).trim() || undefined;
  } catch {
    return undefined;
  }
}
