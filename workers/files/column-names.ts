/** `warehouseColumnSchema`'s limit (PostgreSQL's identifier length): names that fit never collide once cut. */
const MAX_NAME_LENGTH = 63;

/**
 * Column names from a header record (or none): trimmed, blanks named `column_N` after their
 * position, and repeats (compared case-insensitively, as a database would fold them) suffixed
 * `_2`, `_3`…
 */
export function columnNames(header: readonly string[] | null, width: number): string[] {
  const taken = new Set<string>();
  const names: string[] = [];
  for (let i = 0; i < width; i++) {
    const given = truncate((header?.[i] ?? '').trim());
    const base = given === '' ? `column_${i + 1}` : given;
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) {
      const suffix = `_${n}`;
      name = `${truncate(base, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
    }
    taken.add(name.toLowerCase());
    names.push(name);
  }
  return names;
}

/** Cut by code points, so a name never ends in half a surrogate pair. */
function truncate(name: string, max = MAX_NAME_LENGTH): string {
  const cut = name.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}
