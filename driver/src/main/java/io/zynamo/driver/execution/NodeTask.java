package io.zynamo.driver.execution;

import io.zynamo.ring.NodeId;
import java.sql.SQLException;

/** Work to run against one node (the seam that unit tests fake); returns a non-null result. */
@FunctionalInterface
public interface NodeTask<T> {
  T run(NodeId node) throws SQLException;
}
