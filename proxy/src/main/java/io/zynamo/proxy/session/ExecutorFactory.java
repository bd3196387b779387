package io.zynamo.proxy.session;

import io.zynamo.driver.execution.StatementExecutor;
import java.sql.SQLException;

/** Opens the engine of one client session: the seam between the proxy's sessions and the core. */
@FunctionalInterface
public interface ExecutorFactory {

  /**
   * The engine for a client that logged in as {@code user} to {@code database}.
   *
   * @throws SQLException with the SQLState the client should see (e.g. 3D000, 28000, 08001)
   */
  StatementExecutor open(String user, String database) throws SQLException;
}
