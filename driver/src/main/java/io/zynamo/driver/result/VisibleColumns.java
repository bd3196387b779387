package io.zynamo.driver.result;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Which columns of a node's result the user sees, in which order: all but Zynamo's internal ones,
 * whose names start with {@value #INTERNAL_PREFIX}, or a selection of those (the generated keys a
 * statement named). Maps the user's 1-based column indexes to the node's and back.
 */
final class VisibleColumns {

  /** Prefix of every internal column Zynamo adds to a user table (see ADR 0001). */
  static final String INTERNAL_PREFIX = "zynamo_";

  /** The node's index of each user column, in user order. */
  private final int[] nodeIndexes;

  /** The user's index of each node column (index 0 unused), 0 when hidden. */
  private final int[] userIndexes;

  private VisibleColumns(int[] nodeIndexes, int nodeCount) {
    this.nodeIndexes = nodeIndexes;
    this.userIndexes = new int[nodeCount + 1];
    for (int user = nodeIndexes.length; user >= 1; user--) {
      // Backwards, so that a node column selected twice maps back to its first position.
      userIndexes[nodeIndexes[user - 1]] = user;
    }
  }

  /** Every column shown, for the narrow results most queries give; shared (immutable). */
  private static final VisibleColumns[] ALL_SHOWN = new VisibleColumns[33];

  static {
    for (int count = 0; count < ALL_SHOWN.length; count++) {
      ALL_SHOWN[count] = new VisibleColumns(allColumns(count), count);
    }
  }

  static VisibleColumns of(ResultSetMetaData metaData) throws SQLException {
    int count = metaData.getColumnCount();
    int[] visible = null;
    int n = 0;
    for (int i = 1; i <= count; i++) {
      boolean internal = isInternal(metaData.getColumnLabel(i));
      if (internal && visible == null) {
        visible = new int[count];
        for (int shown = 1; shown < i; shown++) {
          visible[n++] = shown;
        }
      } else if (!internal && visible != null) {
        visible[n++] = i;
      }
    }
    if (visible == null) {
      return count < ALL_SHOWN.length
          ? ALL_SHOWN[count]
          : new VisibleColumns(allColumns(count), count);
    }
    return new VisibleColumns(Arrays.copyOf(visible, n), count);
  }

  private static int[] allColumns(int count) {
    int[] all = new int[count];
    Arrays.setAll(all, i -> i + 1);
    return all;
  }

  static boolean isInternal(String label) {
    return label.regionMatches(true, 0, INTERNAL_PREFIX, 0, INTERNAL_PREFIX.length());
  }

  /** These columns narrowed to the given user indexes, in the given order. */
  VisibleColumns select(int[] selectedUserIndexes) throws SQLException {
    int[] selected = new int[selectedUserIndexes.length];
    for (int i = 0; i < selected.length; i++) {
      selected[i] = nodeIndex(selectedUserIndexes[i]);
    }
    return new VisibleColumns(selected, userIndexes.length - 1);
  }

  int count() {
    return nodeIndexes.length;
  }

  int nodeIndex(int userIndex) throws SQLException {
    if (userIndex < 1 || userIndex > nodeIndexes.length) {
      throw ZynamoErrors.invalidValue(
          "column index", Integer.toString(userIndex), "1.." + nodeIndexes.length);
    }
    return nodeIndexes[userIndex - 1];
  }

  int userIndex(int nodeIndex) throws SQLException {
    if (nodeIndex < 1 || nodeIndex >= userIndexes.length || userIndexes[nodeIndex] == 0) {
      throw ZynamoErrors.create(
          ZynamoSqlState.UNDEFINED_COLUMN, "column " + nodeIndex + " is not shown");
    }
    return userIndexes[nodeIndex];
  }

  /**
   * The node's index of the column labelled {@code label}, found as the node finds it; an internal
   * or unselected column does not exist.
   */
  int nodeIndex(String label, ResultSet node) throws SQLException {
    SQLException notFound =
        ZynamoErrors.create(
            ZynamoSqlState.UNDEFINED_COLUMN, "column \"" + label + "\" does not exist");
    if (isInternal(label)) {
      throw notFound;
    }
    int nodeIndex = node.findColumn(label);
    if (nodeIndex < 1 || nodeIndex >= userIndexes.length || userIndexes[nodeIndex] == 0) {
      throw notFound;
    }
    return nodeIndex;
  }
}
