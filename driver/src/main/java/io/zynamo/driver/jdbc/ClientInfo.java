package io.zynamo.driver.jdbc;

import io.zynamo.driver.error.ZynamoSqlState;
import java.sql.ClientInfoStatus;
import java.sql.SQLClientInfoException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The rules for a connection's client info: any name may be stored; a null value removes it; a
 * closed connection refuses with {@code SQLClientInfoException} ({@code 08003}) naming every
 * property it was given, as {@code Connection.setClientInfo} specifies.
 */
final class ClientInfo {

  /** pgjdbc's one client info property; taken from the URL when given there. */
  static final String APPLICATION_NAME = "ApplicationName";

  private ClientInfo() {}

  static void set(Properties info, boolean closed, String name, @Nullable String value)
      throws SQLClientInfoException {
    if (closed) {
      throw closed(Map.of(name, ClientInfoStatus.REASON_UNKNOWN));
    }
    if (value == null) {
      info.remove(name);
    } else {
      info.setProperty(name, value);
    }
  }

  static void replace(Properties info, boolean closed, @Nullable Properties properties)
      throws SQLClientInfoException {
    if (closed) {
      Map<String, ClientInfoStatus> failed = new HashMap<>();
      if (properties != null) {
        properties
            .stringPropertyNames()
            .forEach(n -> failed.put(n, ClientInfoStatus.REASON_UNKNOWN));
      }
      throw closed(failed);
    }
    info.clear();
    if (properties != null) {
      properties.stringPropertyNames().forEach(n -> info.setProperty(n, properties.getProperty(n)));
    }
  }

  private static SQLClientInfoException closed(Map<String, ClientInfoStatus> failed) {
    return new SQLClientInfoException(
        "This connection has been closed.",
        ZynamoSqlState.CONNECTION_DOES_NOT_EXIST.code(),
        failed);
  }
}
