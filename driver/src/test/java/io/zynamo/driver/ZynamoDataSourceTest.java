package io.zynamo.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class ZynamoDataSourceTest {

  private final RecordingFactory factory = new RecordingFactory();
  private final ZynamoDataSource dataSource = new ZynamoDataSource(factory);

  @Test
  void connectsWithTheConfiguredUserPasswordAndLoginTimeout() throws SQLException {
    dataSource.setUrl("jdbc:zynamo://h1:5432,h2:5432/app");
    dataSource.setUser("alice");
    dataSource.setPassword("s3cret");
    dataSource.setLoginTimeout(7);

    try (Connection connection = dataSource.getConnection()) {
      assertFalse(connection.isClosed());
    }

    ZynamoUrl opened = factory.opened.get(0);
    assertEquals("alice", opened.user().orElseThrow());
    assertEquals("s3cret", opened.password().orElseThrow());
    assertEquals(Duration.ofSeconds(7), opened.loginTimeout().orElseThrow());
    assertEquals(7, dataSource.getLoginTimeout());
  }

  @Test
  void explicitCredentialsReplaceTheConfiguredOnesButNotTheUrls() throws SQLException {
    dataSource.setUrl("jdbc:zynamo://h1/app");
    dataSource.setUser("alice");
    dataSource.getConnection("bob", "pw").close();
    dataSource.setUrl("jdbc:zynamo://h1/app?user=carol");
    dataSource.getConnection("bob", "pw").close();

    assertEquals("bob", factory.opened.get(0).user().orElseThrow());
    assertEquals("carol", factory.opened.get(1).user().orElseThrow());
    assertTrue(factory.opened.get(0).loginTimeout().isEmpty());
  }

  @Test
  void aMissingOrForeignUrlFailsWith22023() {
    SQLException missing = assertThrows(SQLException.class, dataSource::getConnection);
    dataSource.setUrl("jdbc:postgresql://h1/app?password=s3cret");
    SQLException foreign = assertThrows(SQLException.class, dataSource::getConnection);

    assertEquals("22023", missing.getSQLState());
    assertEquals(
        "url: not set (expected: jdbc:zynamo://host:port,.../database)", missing.getMessage());
    assertEquals("22023", foreign.getSQLState());
    assertFalse(foreign.getMessage().contains("s3cret"));
  }

  @Test
  void wrapperLogWriterAndLimits() throws SQLException {
    PrintWriter writer = new PrintWriter(new StringWriter());
    dataSource.setLogWriter(writer);

    assertSame(writer, dataSource.getLogWriter());
    assertSame(dataSource, dataSource.unwrap(DataSource.class));
    assertTrue(dataSource.isWrapperFor(ZynamoDataSource.class));
    assertEquals(
        "0A000",
        assertThrows(SQLException.class, () -> dataSource.unwrap(String.class)).getSQLState());
    assertEquals(
        "22023",
        assertThrows(SQLException.class, () -> dataSource.setLoginTimeout(-1)).getSQLState());
    assertThrows(SQLException.class, dataSource::getParentLogger);
    assertNull(dataSource.getUser());
  }
}
