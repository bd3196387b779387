package io.zynamo.driver.catalog;

import java.util.List;

/**
 * The JSON array {@code zynamo.apply} takes: one {@code {"op", "table", "image"}} object per change
 * record, in capture order.
 *
 * <p>The image is copied as the node produced it ({@code jsonb} text); the node parses the whole
 * array, so a malformed image fails there with PostgreSQL's {@code 22P02}.
 */
final class ApplyBatch {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private ApplyBatch() {}

  static String toJson(List<ChangeRecord> records) {
    int size = 2;
    for (ChangeRecord record : records) {
      size += record.image().length() + record.table().length() + 40;
    }
    StringBuilder json = new StringBuilder(size).append('[');
    for (ChangeRecord record : records) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append("{\"op\":\"").append(record.op().code()).append("\",\"table\":");
      appendString(json, record.table());
      json.append(",\"image\":").append(record.image()).append('}');
    }
    return json.append(']').toString();
  }

  /** A JSON string literal (RFC 8259 section 7): quote, backslash and controls escaped. */
  static void appendString(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      } else {
        json.append(c);
      }
    }
    json.append('"');
  }
}
