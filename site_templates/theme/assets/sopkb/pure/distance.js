/* Edit distance for search's typo correction. Pure: Node imports it as it is. */

/** Damerau–Levenshtein (adjacent transpositions) between `a` and `b`, giving up once past
    `limit`: anything further than `limit` is reported as `limit + 1`. */
export function distance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) { return limit + 1; }
  const rows = [];
  for (let i = 0; i <= a.length; i++) { rows.push([i]); }
  for (let j = 1; j <= b.length; j++) { rows[0][j] = j; }
  for (let i = 1; i <= a.length; i++) {
    let best = limit + 1;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2) && a.charAt(i - 2) === b.charAt(j - 1)) {
        d = Math.min(d, rows[i - 2][j - 2] + 1);
      }
      rows[i][j] = d;
      if (d < best) { best = d; }
    }
    if (best > limit) { return limit + 1; }
  }
  const d = rows[a.length][b.length];
  return d <= limit ? d : limit + 1;  /* the last row may hold a smaller value than its last cell */
}
