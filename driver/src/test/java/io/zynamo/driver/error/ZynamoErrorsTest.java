package io.zynamo.driver.error;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import java.io.IOException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ZynamoErrorsTest {

  private static final NodeId N1 = new NodeId("127.0.0.1:5433/app");
  private static final NodeId N2 = new NodeId("127.0.0.1:5434/app");
  private static final NodeId N3 = new NodeId("127.0.0.1:5435/app");

  /** The expected subclass of every code Zynamo raises: the mapping, written out once more. */
  static Class<? extends SQLException> expectedType(ZynamoSqlState state) {
    return switch (state) {
      case SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION -> SQLTransientConnectionException.class;
      case CONNECTION_DOES_NOT_EXIST,
          CONNECTION_FAILURE,
          TRANSACTION_RESOLUTION_UNKNOWN,
          PROTOCOL_VIOLATION,
          RING_UNAVAILABLE ->
          SQLNonTransientConnectionException.class;
      case FEATURE_NOT_SUPPORTED, SHARD_KEY_UPDATE, UNIQUE_WITHOUT_SHARD_KEY ->
          SQLFeatureNotSupportedException.class;
      case INVALID_PARAMETER_VALUE,
          SEQUENCE_GENERATOR_LIMIT_EXCEEDED,
          CHARACTER_NOT_IN_REPERTOIRE,
          INVALID_TEXT_REPRESENTATION,
          INVALID_BINARY_REPRESENTATION,
          BAD_COPY_FILE_FORMAT ->
          SQLDataException.class;
      case UNIQUE_VIOLATION -> SQLIntegrityConstraintViolationException.class;
      case INVALID_AUTHORIZATION_SPECIFICATION, INVALID_PASSWORD ->
          SQLInvalidAuthorizationSpecException.class;
      case SERIALIZATION_FAILURE -> SQLTransactionRollbackException.class;
      case SYNTAX_ERROR,
          UNDEFINED_COLUMN,
          DUPLICATE_COLUMN,
          INVALID_COLUMN_REFERENCE,
          UNDEFINED_TABLE,
          UNDEFINED_PARAMETER,
          DUPLICATE_CURSOR,
          DUPLICATE_PREPARED_STATEMENT,
          UNDEFINED_OBJECT,
          WRONG_OBJECT_TYPE ->
          SQLSyntaxErrorException.class;
      case QUERY_CANCELED -> SQLTimeoutException.class;
      case QUORUM_NOT_MET -> SQLTransientException.class;
      case ROUTE_UNKNOWN, UNROUTED_WRITE -> SQLNonTransientException.class;
      case TOO_MANY_RESULTS,
          CARDINALITY_VIOLATION,
          NO_DATA,
          INVALID_CURSOR_STATE,
          ACTIVE_SQL_TRANSACTION,
          READ_ONLY_SQL_TRANSACTION,
          NO_ACTIVE_SQL_TRANSACTION,
          IN_FAILED_SQL_TRANSACTION,
          IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
          IDLE_SESSION_TIMEOUT,
          INVALID_SAVEPOINT_SPECIFICATION,
          INVALID_SQL_STATEMENT_NAME,
          INVALID_CURSOR_NAME,
          TOO_MANY_CONNECTIONS,
          PROGRAM_LIMIT_EXCEEDED,
          OBJECT_NOT_IN_PREREQUISITE_STATE,
          IO_ERROR,
          INTERNAL_ERROR ->
          SQLException.class;
    };
  }

  @ParameterizedTest
  @EnumSource(ZynamoSqlState.class)
  void createPicksTheSubclassAndKeepsStateMessageAndCause(ZynamoSqlState state) {
    IOException cause = new IOException("socket closed");

    SQLException e = ZynamoErrors.create(state, "where: what (expected: this)", cause);

    assertSame(expectedType(state), e.getClass());
    assertEquals(state.code(), e.getSQLState());
    assertEquals("where: what (expected: this)", e.getMessage());
    assertSame(cause, e.getCause());
  }

  @ParameterizedTest
  @CsvSource({
    "08001, java.sql.SQLTransientConnectionException",
    "08004, java.sql.SQLTransientConnectionException",
    "08006, java.sql.SQLNonTransientConnectionException",
    "0A000, java.sql.SQLFeatureNotSupportedException",
    "22P02, java.sql.SQLDataException",
    "23503, java.sql.SQLIntegrityConstraintViolationException",
    "28P01, java.sql.SQLInvalidAuthorizationSpecException",
    "40P01, java.sql.SQLTransactionRollbackException",
    "42P01, java.sql.SQLSyntaxErrorException",
    "57014, java.sql.SQLTimeoutException",
    "57P01, java.sql.SQLException",
    "3D000, java.sql.SQLException",
    "ZY001, java.sql.SQLTransientException",
    "ZY999, java.sql.SQLException",
  })
  void fromNodeKeepsTheNodesStateAndPrefixesTheNode(String code, String type) {
    SQLException nodeError = new SQLException("ERROR: deadlock detected", code, 7);

    SQLException e = ZynamoErrors.fromNode(N1, nodeError);

    assertEquals(type, e.getClass().getName());
    assertEquals(code, e.getSQLState());
    assertEquals(7, e.getErrorCode());
    assertEquals("node 127.0.0.1:5433/app: ERROR: deadlock detected", e.getMessage());
    assertSame(nodeError, e.getCause());
  }

  @Test
  void fromNodeWithoutAStateIsAnInternalError() {
    SQLException e = ZynamoErrors.fromNode(N2, new SQLException((String) null));

    assertEquals("XX000", e.getSQLState());
    assertEquals("node 127.0.0.1:5434/app: java.sql.SQLException", e.getMessage());
  }

  @Test
  void quorumMessagesNameTheBucketTheCountsAndTheReplicas() {
    SQLException read =
        ZynamoErrors.readQuorumNotMet(new BucketId(17), List.of(N1, N2, N3), Set.of(N2), 2);
    SQLException write =
        ZynamoErrors.writeQuorumNotMet(new BucketId(3), List.of(N1, N2, N3), List.of(), 3);

    assertEquals("ZY001", read.getSQLState());
    assertSame(SQLTransientException.class, read.getClass());
    assertEquals(
        "bucket 17: read answered by 1 of 3 replicas (expected: >= 2 of 127.0.0.1:5433/app,"
            + " 127.0.0.1:5434/app, 127.0.0.1:5435/app; answered: 127.0.0.1:5434/app)",
        read.getMessage());
    assertEquals(
        "bucket 3: write acknowledged by 0 of 3 replicas (expected: >= 3 of 127.0.0.1:5433/app,"
            + " 127.0.0.1:5434/app, 127.0.0.1:5435/app; acknowledged: none)",
        write.getMessage());
  }

  @Test
  void noSeedReachableIsAConnectionFailureCarryingEveryAttempt() {
    SQLException first = new SQLException("refused", "08001");
    SQLException second = new SQLException("timed out", "08001");

    SQLException e =
        ZynamoErrors.noSeedReachable(List.of("h1:5432", "h2:5432"), List.of(first, second));

    assertSame(SQLTransientConnectionException.class, e.getClass());
    assertEquals("08001", e.getSQLState());
    assertEquals(
        "seeds h1:5432, h2:5432: none reachable (expected: at least one seed that answers)",
        e.getMessage());
    assertSame(first, e.getCause());
    assertArrayEquals(new Throwable[] {second}, e.getSuppressed());
  }

  @Test
  void invalidValueFollowsTheHouseFormat() {
    SQLException e = ZynamoErrors.invalidValue("zynamo.read_quorum", "5", "1..3");

    assertEquals("22023", e.getSQLState());
    assertEquals("zynamo.read_quorum: 5 (expected: 1..3)", e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void aFailingRowShowsOnlyTheUsersValues() {
    String clock = "{\"127.0.0.1:35217/postgres\": 1, \"127.0.0.1:35218/postgres\": 2}";
    String internal = "118, e69856e1-2f7e-4c1a-9d3b-0a1b2c3d4e5f, 117666634350133248, " + clock;
    assertEquals(
        "ERROR: null value\n  Detail: Failing row contains (5000, null, a, b).",
        ZynamoErrors.withoutInternalValues(
            "ERROR: null value\n  Detail: Failing row contains (5000, null, "
                + internal
                + ", a, b)."));
    assertEquals(
        "Failing row contains (5000, null).",
        ZynamoErrors.withoutInternalValues("Failing row contains (5000, null, " + internal + ")."));
    assertEquals("no row here", ZynamoErrors.withoutInternalValues("no row here"));
  }
}
