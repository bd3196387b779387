package io.zynamo.driver.error;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every SQLState Zynamo itself raises: the five-character code and what it means.
 *
 * <p>Standard codes (SQL standard and PostgreSQL's {@code errcodes.txt}) come first, with the
 * constant named as PostgreSQL names the condition, so that tools which already understand
 * PostgreSQL react correctly. Conditions no standard code describes use the class {@code ZY}: the
 * SQL standard (part 2, "SQLSTATE") leaves classes starting with {@code 5}-{@code 9} or {@code
 * I}-{@code Z} to implementations, and PostgreSQL uses none starting with {@code Z}.
 *
 * <p>Errors from a node keep the node's SQLState, which need not be listed here; see {@link
 * ZynamoErrors#fromNode}. Every constant is listed in {@code docs/sqlstates.md}, and a test keeps
 * the two in step.
 */
public enum ZynamoSqlState {
  /**
   * 0100E: {@code executeUpdate} ran a statement that returned rows. The SQL standard's "attempt to
   * return too many result sets", used as pgjdbc uses it (its {@code PSQLState.TOO_MANY_RESULTS}),
   * so that code written against pgjdbc sees the same state; PostgreSQL itself has no such code.
   */
  TOO_MANY_RESULTS("0100E", "a result was returned when none was expected"),

  /** 02000: {@code executeQuery} ran a statement that returned no rows (as pgjdbc). */
  NO_DATA("02000", "no results were returned"),

  /**
   * 08001: no connection could be made: no seed answered while connecting, or a node of the ring
   * cannot be reached when a pool opens its first connection. A standard class 08 code (not one of
   * ours) so that pools and frameworks recognise a connection failure.
   */
  SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION("08001", "could not establish a connection"),

  /** 08003: a closed Connection, Statement or ResultSet was used. */
  CONNECTION_DOES_NOT_EXIST("08003", "the connection is closed"),

  /** 08006: an established connection broke: a node's socket, or the proxy's client. */
  CONNECTION_FAILURE("08006", "an established connection failed"),

  /**
   * 08007: a node connection broke while a transaction committed; whether it committed is decided
   * by two-phase commit recovery.
   */
  TRANSACTION_RESOLUTION_UNKNOWN("08007", "transaction resolution unknown"),

  /** 08P01: the proxy received a malformed or out-of-order wire protocol message. */
  PROTOCOL_VIOLATION("08P01", "the client broke the wire protocol"),

  /** 0A000: a SQL or JDBC feature Zynamo cannot run exactly (never answered approximately). */
  FEATURE_NOT_SUPPORTED("0A000", "feature not supported"),

  /**
   * 21000: a subquery of an UPDATE or DELETE used as a value returned more than one row, as in
   * PostgreSQL.
   */
  CARDINALITY_VIOLATION("21000", "more than one row returned by a subquery used as an expression"),

  /** 2200H: a sequence reached its MAXVALUE (or MINVALUE), as PostgreSQL's nextval reports. */
  SEQUENCE_GENERATOR_LIMIT_EXCEEDED("2200H", "sequence generator limit exceeded"),

  /** 22021: text from a proxy client is not valid UTF-8, the only encoding the proxy speaks. */
  CHARACTER_NOT_IN_REPERTOIRE("22021", "invalid byte sequence for encoding UTF8"),

  /** 22023: a bad connection URL, connection property, session setting or function argument. */
  INVALID_PARAMETER_VALUE("22023", "invalid parameter value"),

  /** 22P02: the proxy cannot read a text-format parameter as the type the client declared. */
  INVALID_TEXT_REPRESENTATION("22P02", "invalid text representation"),

  /** 22P03: a binary-format parameter does not have its type's binary layout (proxy). */
  INVALID_BINARY_REPRESENTATION("22P03", "invalid binary representation"),

  /** 22P04: COPY data the proxy cannot read (a missing or extra column, a bad quote...). */
  BAD_COPY_FILE_FORMAT("22P04", "bad COPY file format"),

  /** 23505: a unique constraint was violated; raised by a node and passed on naming the node. */
  UNIQUE_VIOLATION("23505", "unique constraint violated"),

  /** 24000: a forward-only result set was asked to scroll, or read with no current row. */
  INVALID_CURSOR_STATE("24000", "invalid cursor state"),

  /** 25001: a statement that must run before a transaction's first query ran after it. */
  ACTIVE_SQL_TRANSACTION("25001", "a transaction is in progress"),

  /** 25006: a write in a READ ONLY transaction. */
  READ_ONLY_SQL_TRANSACTION("25006", "the transaction is read-only"),

  /** 25P01: {@code commit()} or {@code rollback()} with no transaction open (autocommit). */
  NO_ACTIVE_SQL_TRANSACTION("25P01", "no transaction is open"),

  /** 25P02: a statement was sent in a transaction that already failed; only ROLLBACK helps. */
  IN_FAILED_SQL_TRANSACTION("25P02", "the transaction failed earlier; roll it back"),

  /** 25P03: the proxy closed a session left idle inside a transaction block too long. */
  IDLE_IN_TRANSACTION_SESSION_TIMEOUT(
      "25P03", "terminating connection due to idle-in-transaction timeout"),

  /** 26000: a Bind or Describe named a prepared statement the proxy session does not have. */
  INVALID_SQL_STATEMENT_NAME("26000", "prepared statement does not exist"),

  /** 28000: the proxy rejected a client: unknown role or authentication method. */
  INVALID_AUTHORIZATION_SPECIFICATION("28000", "authentication rejected"),

  /** 28P01: the proxy rejected a client's password (never the password itself in the message). */
  INVALID_PASSWORD("28P01", "password authentication failed"),

  /** 34000: an Execute, Describe or Close named a portal the proxy session does not have. */
  INVALID_CURSOR_NAME("34000", "portal does not exist"),

  /** 3B001: ROLLBACK TO or RELEASE named a savepoint the transaction does not have. */
  INVALID_SAVEPOINT_SPECIFICATION("3B001", "savepoint does not exist"),

  /** 40001: the ring moved a bucket the open transaction used; retry the transaction. */
  SERIALIZATION_FAILURE("40001", "the transaction must be retried"),

  /** 42601: a statement or an admin function argument does not parse. */
  SYNTAX_ERROR("42601", "syntax error"),

  /** 42701: a column named twice, e.g. in a COPY column list (proxy). */
  DUPLICATE_COLUMN("42701", "duplicate column"),

  /** 42703: a column named to Zynamo (e.g. in {@code zynamo.distribute}) does not exist. */
  UNDEFINED_COLUMN("42703", "column does not exist"),

  /** 42P01: a table named to Zynamo is not known to the ring. */
  UNDEFINED_TABLE("42P01", "table does not exist"),

  /** 42P02: a statement refers to a parameter {@code $n} that is not given. */
  UNDEFINED_PARAMETER("42P02", "parameter does not exist"),

  /** 42P03: a Bind named a portal that already exists in the proxy session. */
  DUPLICATE_CURSOR("42P03", "portal already exists"),

  /** 42P05: a Parse named a prepared statement that already exists in the proxy session. */
  DUPLICATE_PREPARED_STATEMENT("42P05", "prepared statement already exists"),

  /** 42P10: a column that cannot be named there, e.g. a generated column in COPY FROM (proxy). */
  INVALID_COLUMN_REFERENCE("42P10", "invalid column reference"),

  /** 42704: an unknown {@code zynamo.*} setting, or a node not in the ring. */
  UNDEFINED_OBJECT("42704", "object does not exist"),

  /**
   * 42809: a method that takes SQL text was called on a PreparedStatement, which already has its
   * SQL (as pgjdbc).
   */
  WRONG_OBJECT_TYPE("42809", "wrong object type"),

  /** 53300: the proxy serves its configured maximum of client connections already. */
  TOO_MANY_CONNECTIONS("53300", "too many connections"),

  /** 54000: e.g. a COPY row longer than the proxy's largest message. */
  PROGRAM_LIMIT_EXCEEDED("54000", "program limit exceeded"),

  /** 55000: e.g. {@code zynamo.distribute} on a table that already holds rows. */
  OBJECT_NOT_IN_PREREQUISITE_STATE("55000", "object not in the required state"),

  /** 57014: the statement was cancelled, or its query timeout expired. */
  QUERY_CANCELED("57014", "statement cancelled"),

  /** 57P05: the proxy closed a session left idle (outside a transaction) too long. */
  IDLE_SESSION_TIMEOUT("57P05", "terminating connection due to idle-session timeout"),

  /** 58030: reading a stream or reader bound as a parameter failed. */
  IO_ERROR("58030", "I/O error"),

  /** XX000: a Zynamo bug (a broken invariant), or a node error that carried no SQLState. */
  INTERNAL_ERROR("XX000", "internal error"),

  /**
   * ZY001: fewer replicas of a bucket answered than the operation needs: readQuorum for a read,
   * writeQuorum for a write, one for a coverage scan; or fewer than a majority of the nodes for a
   * block of sequence values. A failed write may still be applied on the replicas that acknowledged
   * it (its outcome is unknown, as after a timeout). Transient.
   */
  QUORUM_NOT_MET("ZY001", "not enough replicas of a bucket answered"),

  /**
   * ZY002: Zynamo cannot tell which buckets a statement touches, and running it everywhere would
   * not be exact. Rewrite the statement (e.g. name the shard key).
   */
  ROUTE_UNKNOWN("ZY002", "the statement's route cannot be determined"),

  /**
   * ZY003: seeds answered, but none holds a usable ring: missing on nodes that already hold data,
   * written by a newer Zynamo, or unreadable.
   */
  RING_UNAVAILABLE("ZY003", "no usable ring state"),

  /** ZY004: an UPDATE changes a shard key column, which would move the row to another bucket. */
  SHARD_KEY_UPDATE("ZY004", "shard key columns cannot be updated"),

  /**
   * ZY005: a UNIQUE or PRIMARY KEY constraint on a sharded table leaves out the shard key, so no
   * single node could enforce it.
   */
  UNIQUE_WITHOUT_SHARD_KEY("ZY005", "unique constraints must include the shard key"),

  /**
   * ZY006: a node refused a write that did not come through Zynamo (no routed bucket set), or that
   * touched a row of another bucket than the routed one; raised by the node's triggers.
   */
  UNROUTED_WRITE("ZY006", "writes must go through Zynamo");

  /** The class of Zynamo's own codes. */
  public static final String ZYNAMO_CLASS = "ZY";

  private static final Map<String, ZynamoSqlState> BY_CODE =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(s -> s.code, Function.identity()));

  private final String code;
  private final String meaning;

  ZynamoSqlState(String code, String meaning) {
    if (!code.matches("[0-9A-Z]{5}")) {
      throw new IllegalArgumentException("SQLState: '" + code + "' (expected: 5 of [0-9A-Z])");
    }
    this.code = code;
    this.meaning = meaning;
  }

  /** The five-character SQLState, e.g. {@code 08001}. */
  public String code() {
    return code;
  }

  /** The class: the first two characters of the code. */
  public String sqlClass() {
    return code.substring(0, 2);
  }

  /** The condition name as in PostgreSQL's {@code errcodes.txt}, e.g. {@code quorum_not_met}. */
  public String conditionName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What the condition means, in a few words. */
  public String meaning() {
    return meaning;
  }

  /** Whether this is one of Zynamo's own codes (class {@value #ZYNAMO_CLASS}). */
  public boolean isZynamoSpecific() {
    return sqlClass().equals(ZYNAMO_CLASS);
  }

  /** The constant with this code, if Zynamo raises it. */
  public static Optional<ZynamoSqlState> forCode(String code) {
    return Optional.ofNullable(BY_CODE.get(requireNonNull(code, "code")));
  }
}
