package io.zynamo.ring;

import java.util.Arrays;

/**
 * One bucket's replica matching between hosts and columns: column c may take host h while {@code
 * quota[h][c] > 0}, each host at most once.
 *
 * <p>Required hosts (those that must hold every remaining bucket) are covered first by alternating
 * paths that end at a free column or evict a host that is not required; columns are then covered by
 * augmenting paths, which never unmatch a vertex. If some matching covers all columns and all
 * required hosts, both steps succeed from any starting matching (symmetric-difference argument),
 * which is why the caller may seed the matching with its preferences.
 */
final class Matching {

  private final int[][] quota;
  private final int[][] slack;
  private final int columns;
  private final int[] hostOfColumn;
  private final int[] columnOfHost;
  private final boolean[] required;

  /**
   * @param slack quota not spoken for by later buckets; hosts with slack are tried first, so later
   *     buckets keep their holders
   */
  Matching(int[][] quota, int[][] slack, int columns, boolean[] required) {
    this.quota = quota;
    this.slack = slack;
    this.columns = columns;
    this.required = required.clone();
    this.hostOfColumn = new int[columns];
    this.columnOfHost = new int[quota.length];
    Arrays.fill(hostOfColumn, -1);
    Arrays.fill(columnOfHost, -1);
  }

  /** Matches h to c if both are free and allowed. */
  void tryDirect(int h, int c) {
    if (hostOfColumn[c] < 0 && columnOfHost[h] < 0 && quota[h][c] > 0) {
      link(h, c);
    }
  }

  /** Ensures host h is matched, by an augmenting path ending at a free column. */
  void coverHost(int h) {
    if (columnOfHost[h] < 0 && !augmentFromHost(h, new boolean[quota.length])) {
      throw new IllegalStateException("host " + h + " must hold the bucket but no column is free");
    }
  }

  /** Ensures column c is matched, by an augmenting path ending at a free host. */
  void coverColumn(int c) {
    if (hostOfColumn[c] < 0 && !augmentFromColumn(c, new boolean[columns])) {
      throw new IllegalStateException("column " + c + ": no host may hold the bucket");
    }
  }

  int[] hostOfColumn() {
    return hostOfColumn.clone();
  }

  private boolean augmentFromHost(int h, boolean[] visitedHosts) {
    visitedHosts[h] = true;
    for (int c = 0; c < columns; c++) {
      if (quota[h][c] <= 0) {
        continue;
      }
      int other = hostOfColumn[c];
      if (other < 0 || (!visitedHosts[other] && rehome(other, c, visitedHosts))) {
        link(h, c);
        return true;
      }
    }
    return false;
  }

  /** Moves host {@code h} off column {@code taken} to another column, recursively. */
  private boolean rehome(int h, int taken, boolean[] visitedHosts) {
    visitedHosts[h] = true;
    for (int c = 0; c < columns; c++) {
      if (c == taken || quota[h][c] <= 0) {
        continue;
      }
      int other = hostOfColumn[c];
      if (other < 0 || (!visitedHosts[other] && rehome(other, c, visitedHosts))) {
        link(h, c);
        return true;
      }
    }
    if (!required[h]) {
      columnOfHost[h] = -1; // evicted; the column is taken over by the caller's host
      return true;
    }
    return false;
  }

  private boolean augmentFromColumn(int c, boolean[] visitedColumns) {
    visitedColumns[c] = true;
    for (int i = 0; i < 2 * quota.length; i++) {
      // First pass: hosts with slack in c; second pass: any host with quota in c.
      int h = i % quota.length;
      if (quota[h][c] <= 0 || (i < quota.length) != (slack[h][c] > 0)) {
        continue;
      }
      int other = columnOfHost[h];
      if (other < 0 || (!visitedColumns[other] && augmentFromColumn(other, visitedColumns))) {
        link(h, c);
        return true;
      }
    }
    return false;
  }

  private void link(int h, int c) {
    int old = columnOfHost[h];
    if (old >= 0 && old != c && hostOfColumn[old] == h) {
      hostOfColumn[old] = -1;
    }
    hostOfColumn[c] = h;
    columnOfHost[h] = c;
  }
}
