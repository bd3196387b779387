package io.zynamo.driver;

import io.zynamo.driver.execution.StatementExecutor;
import java.sql.SQLException;

/**
 * Opens the engine for one connection: the seam between the public entry points ({@link
 * ZynamoDriver}, {@link ZynamoDataSource}) and routing/execution, which tests fake.
 */
@FunctionalInterface
public interface ConnectionFactory {

  /**
   * Connects to the cluster {@code url} names.
   *
   * <p>The factory applies the timeouts: {@code url.loginTimeout()}, or when absent {@code
   * DriverManager.getLoginTimeout()}, as pgjdbc does.
   *
   * @throws SQLException {@code 08001} when no seed answers, or another SQLState saying why
   */
  StatementExecutor open(ZynamoUrl url) throws SQLException;
}
