package io.zynamo.driver.sql;

/**
 * A range of characters {@code [start, end)} of a statement's source text.
 *
 * @param start the offset of the first character
 * @param end the offset after the last character
 */
public record Span(int start, int end) {

  public Span {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("span [" + start + ", " + end + ")");
    }
  }

  /** Whether {@code offset} lies in this span. */
  public boolean contains(int offset) {
    return offset >= start && offset < end;
  }
}
