// 草案版本 of a record (an entity whose declaration has `versions`: GET/POST {path}/{id}/versions,
// GET {path}/{id}/versions/{n}, GET {path}/{id}/versions/diff?a=&b=) — the calls in one place, and
// what the side-by-side view does with a changed line: the characters that differ, marked.
import { resource } from '@/api/resource'

/** The version calls of the records at the declaration's path. */
export function versionsApi(decl) {
  const r = resource(decl.path)
  return {
    list: (id, opts) => r.read(id, 'versions', undefined, opts),
    get: (id, n, opts) => r.read(id, `versions/${n}`, undefined, opts),
    // body: {title?, body, note?, version} — version is the record's as read (a new draft bumps it)
    add: (id, body, opts) => r.post(id, 'versions', body, opts),
    diff: (id, a, b, opts) => r.read(id, 'versions/diff', { a, b }, opts),
  }
}

/**
 * The two sides of a changed line as pieces [{text, mark}]: the common start and end unmarked,
 * what lies between marked (by characters, not UTF-16 units, so a Chinese character or an emoji
 * is never cut). Linear in the line's length: a long line costs no more than reading it.
 */
export function changedPieces(left, right) {
  const a = Array.from(left || '')
  const b = Array.from(right || '')
  let pre = 0
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++
  let suf = 0
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++
  const side = (s) => [
    { text: s.slice(0, pre).join(''), mark: false },
    { text: s.slice(pre, s.length - suf).join(''), mark: true },
    { text: s.slice(s.length - suf).join(''), mark: false },
  ].filter((p) => p.text)
  return { left: side(a), right: side(b) }
}
