package io.zynamo.driver.error;

import static java.util.Objects.requireNonNull;

import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Creates every SQLException Zynamo throws, choosing the JDBC 4 subclass from the SQLState so that
 * callers can react by type (retry a transient failure, evict a broken connection).
 *
 * <p>The subclass follows the class of the code (JDBC 4.3 specification, chapter 8):
 *
 * <pre>
 *   08      connection      SQLTransientConnectionException for 08001 and 08004 (a new attempt may
 *                           succeed), SQLNonTransientConnectionException for the rest (this
 *                           connection is gone)
 *   0A      feature         SQLFeatureNotSupportedException
 *   22      data            SQLDataException
 *   23      integrity       SQLIntegrityConstraintViolationException
 *   28      authorization   SQLInvalidAuthorizationSpecException
 *   40      rollback        SQLTransactionRollbackException
 *   42      syntax/access   SQLSyntaxErrorException
 *   57014   query_canceled  SQLTimeoutException
 *   ZY      Zynamo's own    ZY001 SQLTransientException, ZY002 SQLNonTransientException,
 *                           ZY003 SQLNonTransientConnectionException,
 *                           ZY004 and ZY005 SQLFeatureNotSupportedException
 *   other                   SQLException
 * </pre>
 *
 * <p>Messages follow "where: what (expected: ...)" and never carry passwords or row data.
 */
public final class ZynamoErrors {

  /** 08 codes after which a new attempt may succeed without any change by the application. */
  private static final Set<String> TRANSIENT_CONNECTION_CODES = Set.of("08001", "08004");

  private ZynamoErrors() {}

  /**
   * {@code 0A000} "not supported yet: {@code construct}": what Zynamo cannot run exactly yet, named
   * so the user knows what to change; never answered approximately.
   */
  public static SQLException notSupportedYet(String construct) {
    return create(ZynamoSqlState.FEATURE_NOT_SUPPORTED, "not supported yet: " + construct);
  }

  /** An exception with this SQLState and message. */
  public static SQLException create(ZynamoSqlState state, String message) {
    return create(state, message, null);
  }

  /** An exception with this SQLState, message and cause. */
  public static SQLException create(
      ZynamoSqlState state, String message, @Nullable Throwable cause) {
    requireNonNull(state, "state");
    requireNonNull(message, "message");
    return build(state.code(), message, 0, cause);
  }

  /**
   * A node's error as Zynamo reports it: the node's SQLState, vendor code and JDBC subclass kept,
   * the message prefixed with the node ({@code "node 127.0.0.1:5433/app: ..."}), the node's
   * exception chained as the cause. A node error without a SQLState becomes {@code XX000}.
   *
   * <p>The node's message is used as is: PostgreSQL never echoes a password in an error.
   */
  public static SQLException fromNode(NodeId node, SQLException cause) {
    requireNonNull(node, "node");
    requireNonNull(cause, "cause");
    String code = cause.getSQLState();
    if (code == null || code.length() != 5) {
      code = ZynamoSqlState.INTERNAL_ERROR.code();
    }
    String detail =
        cause.getMessage() == null
            ? cause.getClass().getName()
            : withoutInternalValues(cause.getMessage());
    return build(code, "node " + node + ": " + detail, cause.getErrorCode(), cause);
  }

  /**
   * The values of a row's internal columns (zynamo_bucket, zynamo_rowid, zynamo_version,
   * zynamo_clock, stamped together by the node's trigger) as a node's "Failing row contains (...)"
   * detail lists them after the user's columns.
   */
  private static final java.util.regex.Pattern INTERNAL_VALUES =
      java.util.regex.Pattern.compile(
          ", -?\\d+, [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}, -?\\d+,"
              + " \\{[^{}]*\\}(?=[,)])");

  /**
   * A node's error text with the values of Zynamo's internal columns left out of its "Failing row
   * contains (...)" detail (NOT NULL and CHECK violations), so that it reads as PostgreSQL's own:
   * {@code (5000, null)}, not {@code (5000, null, 118, 5c1e..., 1176..., {"n1": 1})}.
   */
  public static String withoutInternalValues(String text) {
    int row = text.indexOf("Failing row contains (");
    if (row < 0) {
      return text;
    }
    return text.substring(0, row) + INTERNAL_VALUES.matcher(text.substring(row)).replaceFirst("");
  }

  /**
   * {@code 22023} for a bad value: {@code "readQuorum: 5 (expected: 1..3, at most replicas)"}.
   *
   * @param where the property, setting or argument, e.g. {@code readQuorum}
   * @param shownValue the bad value as it may be shown; never pass a secret
   * @param expected what would have been accepted
   */
  public static SQLException invalidValue(String where, String shownValue, String expected) {
    return create(
        ZynamoSqlState.INVALID_PARAMETER_VALUE,
        where + ": " + shownValue + " (expected: " + expected + ")");
  }

  /**
   * {@code 08001} when no seed could be reached, every attempt's failure attached: the first as the
   * cause, the others as suppressed exceptions.
   */
  public static SQLException noSeedReachable(
      List<String> seeds, List<? extends Exception> failures) {
    requireNonNull(seeds, "seeds");
    requireNonNull(failures, "failures");
    SQLException e =
        create(
            ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
            "seeds "
                + String.join(", ", seeds)
                + ": none reachable (expected: at least one seed that answers)",
            failures.isEmpty() ? null : failures.get(0));
    failures.stream().skip(1).forEach(e::addSuppressed);
    return e;
  }

  /**
   * {@code ZY001} for a read that fewer than readQuorum replicas answered: {@code "bucket 17: read
   * answered by 1 of 3 replicas (expected: >= 2 of n1, n2, n3; answered: n1)"}.
   */
  public static SQLException readQuorumNotMet(
      BucketId bucket, List<NodeId> replicas, Collection<NodeId> answered, int needed) {
    return quorumNotMet(bucket, "read", replicas, answered, needed, Map.of(), null);
  }

  /** {@code ZY001} for a write that fewer than writeQuorum replicas acknowledged. */
  public static SQLException writeQuorumNotMet(
      BucketId bucket, List<NodeId> replicas, Collection<NodeId> acknowledged, int needed) {
    return quorumNotMet(bucket, "write", replicas, acknowledged, needed, Map.of(), null);
  }

  /**
   * {@code ZY001} with each failed replica's reason appended ({@code "; n2: connection refused"}),
   * the first node error chained as the cause.
   *
   * @param operation {@code "read"} or {@code "write"}
   */
  public static SQLException quorumNotMet(
      BucketId bucket,
      String operation,
      List<NodeId> replicas,
      Collection<NodeId> answered,
      int needed,
      Map<NodeId, String> failures,
      @Nullable Throwable cause) {
    requireNonNull(bucket, "bucket");
    String participle = operation.equals("write") ? "acknowledged" : "answered";
    StringBuilder message =
        new StringBuilder(
            String.format(
                "bucket %s: %s %s by %d of %d replicas (expected: >= %d of %s; %s: %s)",
                bucket,
                operation,
                participle,
                answered.size(),
                replicas.size(),
                needed,
                joined(replicas),
                participle,
                answered.isEmpty() ? "none" : joined(answered)));
    failures.forEach((node, why) -> message.append("; ").append(node).append(": ").append(why));
    return create(ZynamoSqlState.QUORUM_NOT_MET, message.toString(), cause);
  }

  private static String joined(Collection<NodeId> nodes) {
    return nodes.stream().map(NodeId::toString).collect(Collectors.joining(", "));
  }

  private static SQLException build(
      String code, String message, int vendorCode, @Nullable Throwable cause) {
    Optional<ZynamoSqlState> own =
        ZynamoSqlState.forCode(code).filter(ZynamoSqlState::isZynamoSpecific);
    if (own.isPresent()) {
      return ownCode(own.get(), message, vendorCode, cause);
    }
    if (code.equals(ZynamoSqlState.QUERY_CANCELED.code())) {
      return new SQLTimeoutException(message, code, vendorCode, cause);
    }
    return switch (code.substring(0, 2)) {
      case "08" ->
          TRANSIENT_CONNECTION_CODES.contains(code)
              ? new SQLTransientConnectionException(message, code, vendorCode, cause)
              : new SQLNonTransientConnectionException(message, code, vendorCode, cause);
      case "0A" -> new SQLFeatureNotSupportedException(message, code, vendorCode, cause);
      case "22" -> new SQLDataException(message, code, vendorCode, cause);
      case "23" -> new SQLIntegrityConstraintViolationException(message, code, vendorCode, cause);
      case "28" -> new SQLInvalidAuthorizationSpecException(message, code, vendorCode, cause);
      case "40" -> new SQLTransactionRollbackException(message, code, vendorCode, cause);
      case "42" -> new SQLSyntaxErrorException(message, code, vendorCode, cause);
      default -> new SQLException(message, code, vendorCode, cause);
    };
  }

  /**
   * Zynamo's own codes carry no class meaning, so each picks the subclass that tells the caller
   * what to do: retry (transient), reconnect later, or change the statement.
   */
  private static SQLException ownCode(
      ZynamoSqlState state, String message, int vendorCode, @Nullable Throwable cause) {
    String code = state.code();
    return switch (state) {
      case QUORUM_NOT_MET -> new SQLTransientException(message, code, vendorCode, cause);
      case RING_UNAVAILABLE ->
          new SQLNonTransientConnectionException(message, code, vendorCode, cause);
      case SHARD_KEY_UPDATE, UNIQUE_WITHOUT_SHARD_KEY ->
          new SQLFeatureNotSupportedException(message, code, vendorCode, cause);
      case ROUTE_UNKNOWN, UNROUTED_WRITE ->
          new SQLNonTransientException(message, code, vendorCode, cause);
      default -> new SQLException(message, code, vendorCode, cause);
    };
  }
}
