package io.zynamo.driver.routing;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.sql.ObjectName;
import io.zynamo.driver.sql.Operand;
import io.zynamo.driver.sql.ParsedStatement;
import io.zynamo.driver.sql.Shape;
import io.zynamo.driver.sql.StatementKind;
import io.zynamo.driver.sql.Trait;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.KeyHasher;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns a statement's routing facts into a {@link RoutePlan}. It never guesses: what it cannot
 * route exactly fails with a SQLState that names the construct (ZY002, ZY004, 0A000).
 */
public final class Router {

  private final TableCatalog catalog;
  private final KeyHasher hasher;

  public Router(TableCatalog catalog, KeyHasher hasher) {
    this.catalog = requireNonNull(catalog, "catalog");
    this.hasher = requireNonNull(hasher, "hasher");
  }

  /** Whether this router routes with {@code catalog} into {@code 2^bits} buckets. */
  public boolean routesWith(TableCatalog catalog, int bits) {
    return this.catalog == catalog && hasher.bits() == bits;
  }

  /**
   * Routes one statement.
   *
   * @param parameters bound parameter values, index 0 for {@code $1} / the first {@code ?}
   */
  public RoutePlan route(ParsedStatement statement, List<@Nullable Object> parameters)
      throws SQLException {
    if (statement.isMultiStatement()) {
      throw ZynamoErrors.create(
          ZynamoSqlState.ROUTE_UNKNOWN, "several statements in one string: route each alone");
    }
    return switch (statement.kind()) {
      case CREATE_TABLE, ALTER_TABLE, DROP_TABLE, CREATE_INDEX, DROP_INDEX, TRUNCATE, OTHER_DDL ->
          new RoutePlan.AllNodes(null);
      case INSERT, UPDATE, DELETE -> routeWrite(statement, parameters);
      case SELECT -> routeRead(statement, parameters);
      default -> routeOther(statement);
    };
  }

  private RoutePlan routeOther(ParsedStatement statement) throws SQLException {
    if (statement.shape() == Shape.NO_TABLE) {
      return new RoutePlan.AnyNode();
    }
    throw ZynamoErrors.notSupportedYet(statement.kind() + " statements on tables");
  }

  private RoutePlan routeWrite(ParsedStatement statement, List<@Nullable Object> parameters)
      throws SQLException {
    TableDistribution table = distribution(requireTarget(statement));
    if (table.kind() == TableDistribution.Kind.REFERENCE) {
      if (statement.shape() == Shape.COMPLEX && !allReference(statement)) {
        throw ZynamoErrors.notSupportedYet("writes to a reference table that read sharded tables");
      }
      return new RoutePlan.AllNodes(table);
    }
    String key = requireNonNull(table.shardColumn());
    if (statement.setColumns().contains(key)) {
      throw ZynamoErrors.create(
          ZynamoSqlState.SHARD_KEY_UPDATE,
          "cannot change shard key column \""
              + key
              + "\" of "
              + table.table()
              + " (delete the row and insert it with the new key)");
    }
    Optional<List<Operand>> keys = keyValues(statement, table);
    if (keys.isEmpty()
        && (statement.kind() == StatementKind.UPDATE || statement.kind() == StatementKind.DELETE)
        && statement.shape() == Shape.SINGLE_TABLE
        && statement.scan() != null) {
      return new RoutePlan.AllBuckets(table);
    }
    return byKey(
        statement,
        table,
        keys.isPresent() ? keys.get() : keyOperands(statement, table),
        parameters);
  }

  private RoutePlan routeRead(ParsedStatement statement, List<@Nullable Object> parameters)
      throws SQLException {
    if (statement.shape() == Shape.NO_TABLE) {
      return new RoutePlan.AnyNode();
    }
    if (anyAdmin(statement.tables())) {
      if (!statement.tables().stream().allMatch(t -> isAdmin(t) || isReference(t))) {
        throw ZynamoErrors.notSupportedYet(
            "queries joining Zynamo's admin views with sharded tables");
      }
      return new RoutePlan.Admin();
    }
    if (allReference(statement)) {
      return new RoutePlan.AnyNode();
    }
    if (statement.shape() == Shape.SINGLE_TABLE) {
      TableDistribution table = distribution(statement.tables().get(0));
      Optional<List<Operand>> keys = keyValues(statement, table);
      if (keys.isPresent()) {
        return byKey(statement, table, keys.get(), parameters);
      }
    } else if (statement.shape() != Shape.COMPLEX) {
      throw ZynamoErrors.notSupportedYet("queries the SQL front end cannot follow");
    }
    return coverage(statement);
  }

  /** A query without a usable shard key reads every bucket once; see {@link RoutePlan.Coverage}. */
  private RoutePlan coverage(ParsedStatement statement) throws SQLException {
    if (statement.has(Trait.ROW_LOCKING)) {
      throw ZynamoErrors.notSupportedYet("FOR UPDATE/SHARE without an equality on the shard key");
    }
    if (statement.has(Trait.DATA_MODIFYING_CTE)) {
      throw ZynamoErrors.notSupportedYet("data-modifying WITH queries");
    }
    List<TableDistribution> sharded = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ObjectName name : statement.tables()) {
      if (catalog.find(name).isEmpty() && isSystemCatalog(name)) {
        continue; // the same on every node: read in place
      }
      TableDistribution table = distribution(name);
      if (table.kind() == TableDistribution.Kind.SHARDED && !sharded.contains(table)) {
        if (!names.add(table.table().name())) {
          throw ZynamoErrors.notSupportedYet(
              "cluster-wide queries over two sharded tables named " + table.table().name());
        }
        sharded.add(table);
      }
    }
    return new RoutePlan.Coverage(sharded);
  }

  /**
   * Whether every table the statement reads is complete on every node: reference tables and
   * PostgreSQL's own catalog ({@code pg_catalog}, {@code information_schema}).
   */
  private boolean allReference(ParsedStatement statement) {
    List<ObjectName> tables = statement.tables();
    if (tables.isEmpty()) {
      return false;
    }
    for (ObjectName table : tables) { // a loop: every routed statement asks
      if (!isReference(table)) {
        return false;
      }
    }
    return true;
  }

  private static boolean anyAdmin(List<ObjectName> tables) {
    for (ObjectName table : tables) {
      if (isAdmin(table)) {
        return true;
      }
    }
    return false;
  }

  /** Zynamo's admin views and tables: {@code zynamo.nodes}, {@code zynamo.buckets}, ... */
  static boolean isAdmin(ObjectName table) {
    return "zynamo".equals(table.schema());
  }

  /**
   * A reference table, or, when no Zynamo table has the name, a relation of the system catalog:
   * complete on every node either way.
   */
  private boolean isReference(ObjectName table) {
    return catalog
        .find(table)
        .map(d -> d.kind() == TableDistribution.Kind.REFERENCE)
        .orElseGet(() -> isSystemCatalog(table));
  }

  /**
   * A relation of PostgreSQL's catalog: in {@code pg_catalog} or {@code information_schema}, or
   * unqualified with a {@code pg_} name (which PostgreSQL finds in {@code pg_catalog} first).
   */
  static boolean isSystemCatalog(ObjectName table) {
    String schema = table.schema();
    if (schema == null) {
      return table.name().startsWith("pg_");
    }
    return schema.equals("pg_catalog") || schema.equals("information_schema");
  }

  private List<Operand> keyOperands(ParsedStatement statement, TableDistribution table)
      throws SQLException {
    Optional<List<Operand>> values = keyValues(statement, table);
    if (values.isEmpty()) {
      throw ZynamoErrors.notSupportedYet(
          statement.kind()
              + " on "
              + table.table()
              + " without an equality on its shard key \""
              + table.shardColumn()
              + "\" (cluster-wide statements)");
    }
    return values.get();
  }

  /** The shard key values the statement bounds its rows to, if it does. */
  private static Optional<List<Operand>> keyValues(
      ParsedStatement statement, TableDistribution table) {
    String key = requireNonNull(table.shardColumn());
    Optional<List<Operand>> values = statement.keyValues(key);
    if (values.isEmpty() && statement.insert() != null && statement.insert().columns().isEmpty()) {
      values = positional(statement, table, key);
    }
    return values.filter(v -> !v.isEmpty());
  }

  /** INSERT without a column list: the key is at its position in the table's column order. */
  private static Optional<List<Operand>> positional(
      ParsedStatement statement, TableDistribution table, String key) {
    int position = table.columns().indexOf(key);
    if (position < 0 || statement.insert() == null) {
      return Optional.empty();
    }
    List<List<Operand>> rows = statement.insert().rows();
    if (rows.stream().anyMatch(row -> row.size() <= position)) {
      return Optional.empty();
    }
    return Optional.of(rows.stream().map(row -> row.get(position)).toList());
  }

  private RoutePlan byKey(
      ParsedStatement statement,
      TableDistribution table,
      List<Operand> operands,
      List<@Nullable Object> parameters)
      throws SQLException {
    if (operands.size() == 1) { // the common case, without the grouping below
      Object value = keyValue(table, operands.get(0), parameters);
      return new RoutePlan.SingleBucket(table, hasher.bucketOf(value), List.of(value));
    }
    Map<BucketId, Part> parts = new LinkedHashMap<>();
    for (int i = 0; i < operands.size(); i++) {
      Object value = keyValue(table, operands.get(i), parameters);
      Part part = parts.computeIfAbsent(hasher.bucketOf(value), Part::new);
      part.keys.add(value);
      part.items.add(i);
    }
    if (parts.size() == 1) {
      Part part = parts.values().iterator().next();
      return new RoutePlan.SingleBucket(table, part.bucket, part.keys);
    }
    if (statement.keySpans(requireNonNull(table.shardColumn())).size() != operands.size()) {
      throw ZynamoErrors.notSupportedYet(
          "statements on "
              + table.table()
              + " whose keys fall in several buckets "
              + parts.keySet());
    }
    return new RoutePlan.MultiBucket(
        table,
        parts.values().stream().map(p -> new RoutePlan.Part(p.bucket, p.keys, p.items)).toList());
  }

  /** The value of one shard key operand, coerced to the key's type; never NULL. */
  private static Object keyValue(
      TableDistribution table, Operand operand, List<@Nullable Object> parameters)
      throws SQLException {
    Object value = KeyTypes.coerce(requireNonNull(table.shardType()), value(operand, parameters));
    if (value == null) {
      throw ZynamoErrors.create(
          ZynamoSqlState.ROUTE_UNKNOWN,
          "the shard key \"" + table.shardColumn() + "\" of " + table.table() + " is NULL");
    }
    return value;
  }

  /** A bucket's keys and their indexes, as they are found. */
  private static final class Part {
    final BucketId bucket;
    final List<Object> keys = new ArrayList<>();
    final List<Integer> items = new ArrayList<>();

    Part(BucketId bucket) {
      this.bucket = bucket;
    }
  }

  private static @Nullable Object value(Operand operand, List<@Nullable Object> parameters)
      throws SQLException {
    if (operand instanceof Operand.Literal literal) {
      return literal.value();
    }
    if (operand instanceof Operand.Parameter parameter) {
      if (parameter.index() > parameters.size()) {
        throw ZynamoErrors.create(
            ZynamoSqlState.INVALID_PARAMETER_VALUE,
            "no value bound for parameter "
                + parameter.index()
                + " ("
                + parameters.size()
                + " bound)");
      }
      return parameters.get(parameter.index() - 1);
    }
    throw ZynamoErrors.create(
        ZynamoSqlState.ROUTE_UNKNOWN,
        "the shard key is given as "
            + describe(operand)
            + ": give it as a literal or a parameter (generated keys come with cluster-unique"
            + " sequences)");
  }

  private static String describe(Operand operand) {
    return operand instanceof Operand.Expression e ? "the expression " + e.text() : "DEFAULT";
  }

  private TableDistribution distribution(ObjectName table) throws SQLException {
    return catalog
        .find(table)
        .orElseThrow(
            () ->
                ZynamoErrors.create(
                    ZynamoSqlState.UNDEFINED_TABLE,
                    "relation " + table + " is not a Zynamo table (create it through Zynamo)"));
  }

  private static ObjectName requireTarget(ParsedStatement statement) throws SQLException {
    if (statement.target() == null) {
      throw ZynamoErrors.create(
          ZynamoSqlState.ROUTE_UNKNOWN,
          "cannot tell which table the " + statement.kind() + " writes");
    }
    return statement.target();
  }
}
