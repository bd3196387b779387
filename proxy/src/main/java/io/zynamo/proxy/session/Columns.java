package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.proxy.types.PgType;
import io.zynamo.proxy.types.ValueEncoder;
import io.zynamo.proxy.wire.BackendMessage.DataRow;
import io.zynamo.proxy.wire.BackendMessage.Field;
import io.zynamo.proxy.wire.BackendMessage.RowDescription;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a result as the client sees them: RowDescription fields (name, type OID, size,
 * format) and the encoding of each row. Types come from the node's metadata by name ({@link
 * PgType}); table OID and column number are 0, as for a computed column, since the node's OIDs
 * differ from node to node.
 */
final class Columns {

  private final List<Field> fields;
  private final List<PgType> types;

  private Columns(List<Field> fields, List<PgType> types) {
    this.fields = List.copyOf(fields);
    this.types = List.copyOf(types);
  }

  /**
   * The columns of {@code metaData} in the formats a Bind asked for.
   *
   * @param formats none (all text), one (for all) or one per column; 0 text, 1 binary
   * @throws SQLException 08P01 if the number of formats fits neither, 0A000 if binary is asked for
   *     a type the proxy cannot encode
   */
  static Columns of(ResultSetMetaData metaData, List<Short> formats) throws SQLException {
    requireNonNull(formats, "formats");
    int count = metaData.getColumnCount();
    if (formats.size() > 1 && formats.size() != count) {
      throw ZynamoErrors.create(
          ZynamoSqlState.PROTOCOL_VIOLATION,
          "bind message has "
              + formats.size()
              + " result formats but query has "
              + count
              + " columns");
    }
    List<Field> fields = new ArrayList<>(count);
    List<PgType> types = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      PgType type = PgType.ofColumn(metaData.getColumnTypeName(i));
      short format = formats.isEmpty() ? 0 : formats.get(formats.size() == 1 ? 0 : i - 1);
      if (format == 1 && !ValueEncoder.hasBinary(type)) {
        throw ZynamoErrors.create(
            ZynamoSqlState.FEATURE_NOT_SUPPORTED,
            "binary format for results of type "
                + type.typeName()
                + " is not supported by the proxy yet");
      }
      fields.add(
          new Field(metaData.getColumnLabel(i), 0, (short) 0, type.oid(), type.size(), -1, format));
      types.add(type);
    }
    return new Columns(fields, types);
  }

  RowDescription description() {
    return new RowDescription(fields);
  }

  /** The current row of {@code rows}, each value in its column's format. */
  DataRow row(ResultSet rows) throws SQLException {
    List<byte[]> values = new ArrayList<>(fields.size());
    for (int i = 0; i < fields.size(); i++) {
      String text = rows.getString(i + 1);
      if (text == null) {
        values.add(null);
      } else if (fields.get(i).format() == 0) {
        values.add(ValueEncoder.text(text));
      } else {
        values.add(ValueEncoder.binary(types.get(i), text));
      }
    }
    return new DataRow(values);
  }
}
