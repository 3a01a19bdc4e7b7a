import { isMap, isPair, isScalar, type Document, type Node } from 'yaml';

/** A path into a parsed config or profile: keys and list indexes, from the document root. */
export type SpecPath = ReadonlyArray<string | number>;

/**
 * The node at `path`, or its nearest ancestor that exists; with `pointAtKey`, the key
 * itself (an unknown or misspelled field is reported where its name is written).
 * Config files and profiles both report problems with the line this points at.
 */
export function locateYamlNode(doc: Document, path: SpecPath, pointAtKey: boolean): Node | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const here = path.slice(0, depth);
    if (pointAtKey && depth === path.length && depth > 0) {
      const parent = doc.getIn(here.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(here.at(-1)));
        if (pair && isScalar(pair.key)) return pair.key;
      }
      continue;
    }
    const node = here.length === 0 ? doc.contents : doc.getIn(here, true);
    if (node && typeof node === 'object' && 'range' in node) return node as Node;
  }
  return undefined;
}
