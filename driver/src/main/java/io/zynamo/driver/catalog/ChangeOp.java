package io.zynamo.driver.catalog;

import static java.util.Objects.requireNonNull;

/** What a captured row image records: one row inserted, updated or deleted. */
public enum ChangeOp {
  INSERT("I"),
  UPDATE("U"),
  DELETE("D");

  private final String code;

  ChangeOp(String code) {
    this.code = code;
  }

  /** The one-letter code stored in {@code zynamo.changes.op}. */
  public String code() {
    return code;
  }

  /**
   * The operation stored as {@code code}.
   *
   * @throws IllegalArgumentException if {@code code} is not {@code I}, {@code U} or {@code D}
   */
  public static ChangeOp fromCode(String code) {
    requireNonNull(code, "code");
    for (ChangeOp op : values()) {
      if (op.code.equals(code)) {
        return op;
      }
    }
    throw new IllegalArgumentException("change op: '" + code + "' (expected: I, U or D)");
  }
}
