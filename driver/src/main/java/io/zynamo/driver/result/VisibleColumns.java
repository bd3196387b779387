package io.zynamo.driver.result;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which columns of a node's result the user sees: all but Zynamo's internal ones, whose names start
 * with {@value #INTERNAL_PREFIX}. Maps the user's 1-based column indexes to the node's and back.
 */
final class VisibleColumns {

  /** Prefix of every internal column Zynamo adds to a user table (see ADR 0001). */
  static final String INTERNAL_PREFIX = "zynamo_";

  private final int[] nodeIndexes;
  private final int nodeCount;

  private VisibleColumns(int[] nodeIndexes, int nodeCount) {
    this.nodeIndexes = nodeIndexes;
    this.nodeCount = nodeCount;
  }

  static VisibleColumns of(ResultSetMetaData metaData) throws SQLException {
    int count = metaData.getColumnCount();
    int[] visible = new int[count];
    int n = 0;
    for (int i = 1; i <= count; i++) {
      if (!isInternal(metaData.getColumnLabel(i))) {
        visible[n++] = i;
      }
    }
    return new VisibleColumns(Arrays.copyOf(visible, n), count);
  }

  static boolean isInternal(String label) {
    return label.toLowerCase(Locale.ROOT).startsWith(INTERNAL_PREFIX);
  }

  int count() {
    return nodeIndexes.length;
  }

  int nodeIndex(int userIndex) throws SQLException {
    if (userIndex < 1 || userIndex > nodeIndexes.length) {
      throw new SQLException(
          "column index: " + userIndex + " (expected: 1.." + nodeIndexes.length + ")", "22023");
    }
    return nodeIndexes[userIndex - 1];
  }

  int userIndex(int nodeIndex) throws SQLException {
    int found = Arrays.binarySearch(nodeIndexes, nodeIndex);
    if (found < 0 || nodeIndex > nodeCount) {
      throw new SQLException("column " + nodeIndex + " is internal", "42703");
    }
    return found + 1;
  }

  String checkLabel(String label) throws SQLException {
    if (isInternal(label)) {
      throw new SQLException("column \"" + label + "\" does not exist", "42703");
    }
    return label;
  }
}
