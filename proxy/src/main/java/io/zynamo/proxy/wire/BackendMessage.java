package io.zynamo.proxy.wire;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A message from proxy to client, one record per message of the PostgreSQL protocol version 3
 * (protocol-message-formats.html), named as there. {@link MessageEncoder} frames each body with its
 * type byte and length.
 */
public sealed interface BackendMessage {

  /** The type byte. */
  byte type();

  /** Writes the body, after the length field. */
  void writeBody(ByteBuf out);

  /** Whether the message has the type byte and length frame (all but the encryption answer). */
  default boolean framed() {
    return true;
  }

  /** The single byte 'N' answering SSLRequest or GSSENCRequest: encryption refused. */
  record EncryptionRefused() implements BackendMessage {
    @Override
    public byte type() {
      return 'N';
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeByte('N');
    }

    @Override
    public boolean framed() {
      return false;
    }
  }

  /** The single byte 'S' answering SSLRequest: the TLS handshake follows. */
  record EncryptionAccepted() implements BackendMessage {
    @Override
    public byte type() {
      return 'S';
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeByte('S');
    }

    @Override
    public boolean framed() {
      return false;
    }
  }

  /** Authentication succeeded. */
  record AuthenticationOk() implements BackendMessage {
    @Override
    public byte type() {
      return 'R';
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeInt(0);
    }
  }

  /** Asks for the password in clear text (AuthenticationCleartextPassword). */
  record AuthenticationCleartextPassword() implements BackendMessage {
    @Override
    public byte type() {
      return 'R';
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeInt(3);
    }
  }

  /** Asks for md5(md5(password + user) + salt) (AuthenticationMD5Password). */
  record AuthenticationMd5Password(int salt) implements BackendMessage {
    @Override
    public byte type() {
      return 'R';
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeInt(5);
      out.writeInt(salt);
    }
  }

  /** Offers SASL mechanisms (AuthenticationSASL). */
  record AuthenticationSasl(List<String> mechanisms) implements BackendMessage {
    public AuthenticationSasl {
      mechanisms = List.copyOf(mechanisms);
    }

    @Override
    public byte type() {
      return 'R';
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeInt(10);
      mechanisms.forEach(m -> writeCString(out, m));
      out.writeByte(0);
    }
  }

  /**
   * A SASL challenge (AuthenticationSASLContinue, code 11) or outcome (AuthenticationSASLFinal,
   * 12).
   */
  record AuthenticationSaslData(boolean last, String data) implements BackendMessage {
    public AuthenticationSaslData {
      requireNonNull(data, "data");
    }

    @Override
    public byte type() {
      return 'R';
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeInt(last ? 12 : 11);
      out.writeCharSequence(data, StandardCharsets.UTF_8);
    }
  }

  /** The newest minor protocol version supported, and the startup options not recognized. */
  record NegotiateProtocolVersion(int newestMinorVersion, List<String> unrecognizedOptions)
      implements BackendMessage {
    public NegotiateProtocolVersion {
      unrecognizedOptions = List.copyOf(unrecognizedOptions);
    }

    @Override
    public byte type() {
      return 'v';
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeInt(newestMinorVersion);
      out.writeInt(unrecognizedOptions.size());
      unrecognizedOptions.forEach(o -> writeCString(out, o));
    }
  }

  /** A run-time parameter's current value. */
  record ParameterStatus(String name, String value) implements BackendMessage {
    public ParameterStatus {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
    }

    @Override
    public byte type() {
      return 'S';
    }

    @Override
    public void writeBody(ByteBuf out) {
      writeCString(out, name);
      writeCString(out, value);
    }
  }

  /** The key a client needs to cancel this session's statements. */
  record BackendKeyData(int processId, int secretKey) implements BackendMessage {
    @Override
    public byte type() {
      return 'K';
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeInt(processId);
      out.writeInt(secretKey);
    }
  }

  /** The transaction status ReadyForQuery reports. */
  enum TransactionStatus {
    IDLE('I'),
    IN_TRANSACTION('T'),
    FAILED('E');

    private final char code;

    TransactionStatus(char code) {
      this.code = code;
    }

    public char code() {
      return code;
    }
  }

  /** The server is ready for a new query. */
  record ReadyForQuery(TransactionStatus status) implements BackendMessage {
    public ReadyForQuery {
      requireNonNull(status, "status");
    }

    @Override
    public byte type() {
      return 'Z';
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeByte(status.code());
    }
  }

  /** One column of a RowDescription; {@code format} 0 text, 1 binary. */
  record Field(
      String name,
      int tableOid,
      short columnNumber,
      int typeOid,
      short typeSize,
      int typeModifier,
      short format) {
    public Field {
      requireNonNull(name, "name");
    }

    /** The same column in another format. */
    public Field withFormat(short newFormat) {
      return new Field(name, tableOid, columnNumber, typeOid, typeSize, typeModifier, newFormat);
    }
  }

  /** The columns of the rows that follow. */
  record RowDescription(List<Field> fields) implements BackendMessage {
    public RowDescription {
      fields = List.copyOf(fields);
    }

    @Override
    public byte type() {
      return 'T';
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeShort(fields.size());
      for (Field f : fields) {
        writeCString(out, f.name());
        out.writeInt(f.tableOid());
        out.writeShort(f.columnNumber());
        out.writeInt(f.typeOid());
        out.writeShort(f.typeSize());
        out.writeInt(f.typeModifier());
        out.writeShort(f.format());
      }
    }
  }

  /** One row; a null value is SQL NULL. */
  record DataRow(List<byte @Nullable []> values) implements BackendMessage {
    public DataRow {
      values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    @Override
    public byte type() {
      return 'D';
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeShort(values.size());
      for (byte[] value : values) {
        if (value == null) {
          out.writeInt(-1);
        } else {
          out.writeInt(value.length);
          out.writeBytes(value);
        }
      }
    }
  }

  /** A statement finished; {@code tag} as PostgreSQL writes it ({@code INSERT 0 1}). */
  record CommandComplete(String tag) implements BackendMessage {
    public CommandComplete {
      requireNonNull(tag, "tag");
    }

    @Override
    public byte type() {
      return 'C';
    }

    @Override
    public void writeBody(ByteBuf out) {
      writeCString(out, tag);
    }
  }

  /** The answer to an empty query string. */
  record EmptyQueryResponse() implements BackendMessage {
    @Override
    public byte type() {
      return 'I';
    }

    @Override
    public void writeBody(ByteBuf out) {}
  }

  /** One field of an ErrorResponse or NoticeResponse: its code ('S', 'C', 'M'...) and text. */
  record ErrorField(char code, String value) {
    public ErrorField {
      requireNonNull(value, "value");
    }
  }

  /** An error; the fields in order, at least S, V, C and M. */
  record ErrorResponse(List<ErrorField> fields) implements BackendMessage {
    public ErrorResponse {
      fields = List.copyOf(fields);
    }

    @Override
    public byte type() {
      return 'E';
    }

    @Override
    public void writeBody(ByteBuf out) {
      writeFields(out, fields);
    }

    /** The value of field {@code code}, or null. */
    public @Nullable String field(char code) {
      return fields.stream()
          .filter(f -> f.code() == code)
          .map(ErrorField::value)
          .findFirst()
          .orElse(null);
    }
  }

  /** A warning or notice. */
  record NoticeResponse(List<ErrorField> fields) implements BackendMessage {
    public NoticeResponse {
      fields = List.copyOf(fields);
    }

    @Override
    public byte type() {
      return 'N';
    }

    @Override
    public void writeBody(ByteBuf out) {
      writeFields(out, fields);
    }
  }

  /** Parse succeeded. */
  record ParseComplete() implements BackendMessage {
    @Override
    public byte type() {
      return '1';
    }

    @Override
    public void writeBody(ByteBuf out) {}
  }

  /** Bind succeeded. */
  record BindComplete() implements BackendMessage {
    @Override
    public byte type() {
      return '2';
    }

    @Override
    public void writeBody(ByteBuf out) {}
  }

  /** Close succeeded. */
  record CloseComplete() implements BackendMessage {
    @Override
    public byte type() {
      return '3';
    }

    @Override
    public void writeBody(ByteBuf out) {}
  }

  /** The described statement or portal returns no rows. */
  record NoData() implements BackendMessage {
    @Override
    public byte type() {
      return 'n';
    }

    @Override
    public void writeBody(ByteBuf out) {}
  }

  /** The parameter types of a described statement. */
  record ParameterDescription(List<Integer> typeOids) implements BackendMessage {
    public ParameterDescription {
      typeOids = List.copyOf(typeOids);
    }

    @Override
    public byte type() {
      return 't';
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeShort(typeOids.size());
      typeOids.forEach(out::writeInt);
    }
  }

  /** Execute stopped at its row limit; the portal has more rows. */
  record PortalSuspended() implements BackendMessage {
    @Override
    public byte type() {
      return 's';
    }

    @Override
    public void writeBody(ByteBuf out) {}
  }

  /**
   * The server is ready for COPY ... FROM STDIN data (CopyInResponse, 'G') or about to send COPY
   * ... TO STDOUT data (CopyOutResponse, 'H'): overall format and each column's, all text here.
   */
  record CopyResponse(boolean in, int columns) implements BackendMessage {
    @Override
    public byte type() {
      return (byte) (in ? 'G' : 'H');
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeByte(0);
      out.writeShort(columns);
      for (int i = 0; i < columns; i++) {
        out.writeShort(0);
      }
    }
  }

  /** One chunk of COPY ... TO STDOUT data (a row, here). */
  final class CopyOutData implements BackendMessage {
    private final byte[] data;

    public CopyOutData(byte[] data) {
      this.data = data.clone();
    }

    @Override
    public byte type() {
      return 'd';
    }

    @Override
    public void writeBody(ByteBuf out) {
      out.writeBytes(data);
    }

    @Override
    public String toString() {
      return "CopyOutData[" + new String(data, StandardCharsets.UTF_8) + "]";
    }
  }

  /** The end of COPY ... TO STDOUT data. */
  record CopyOutDone() implements BackendMessage {
    @Override
    public byte type() {
      return 'c';
    }

    @Override
    public void writeBody(ByteBuf out) {}
  }

  private static void writeFields(ByteBuf out, List<ErrorField> fields) {
    for (ErrorField f : fields) {
      out.writeByte(f.code());
      writeCString(out, f.value());
    }
    out.writeByte(0);
  }

  /** A string as UTF-8 followed by NUL; a NUL inside would end it early, so it becomes U+FFFD. */
  private static void writeCString(ByteBuf out, String value) {
    out.writeCharSequence(
        value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD'), StandardCharsets.UTF_8);
    out.writeByte(0);
  }
}
