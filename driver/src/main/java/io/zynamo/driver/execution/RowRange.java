package io.zynamo.driver.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A range of row ids ({@code zynamo_rowid}) that share their first {@code digits} hexadecimal
 * digits, {@code prefix}: a node of the hash tree anti-entropy compares replicas with. The root
 * ({@link #ALL}) holds every row id; each range splits into sixteen children by its next digit.
 *
 * <pre>
 *   ALL = [null, null)
 *    +-- 0 = [00000000-..., 10000000-...)
 *    |    +-- 00 = [00000000-..., 01000000-...)  ...  0f = [0f000000-..., 10000000-...)
 *    +-- 1 ...
 *    +-- f = [f0000000-..., null)
 * </pre>
 *
 * <p>PostgreSQL orders {@code uuid} by its bytes, most significant first, which is the unsigned
 * order of the digits: so a range is the interval {@code [lower, upper)} of {@link #lower()} and
 * {@link #upper()}, and the node's {@code zynamo.range_hashes} finds each row's child from digit
 * number {@code digits} of its id. Row ids from {@code gen_random_uuid()} are uniform over the
 * first twelve digits (the thirteenth is the version), so children split a range evenly.
 *
 * @param prefix the shared digits, as a number below {@code 16^digits}
 * @param digits how many leading digits are shared, 0 .. {@link #MAX_DIGITS}
 */
record RowRange(long prefix, int digits) {

  /** The deepest range: 12 digits (48 bits), where random ids stop being uniform. */
  static final int MAX_DIGITS = 12;

  /** Every row id. */
  static final RowRange ALL = new RowRange(0, 0);

  RowRange {
    if (digits < 0 || digits > MAX_DIGITS) {
      throw new IllegalArgumentException(
          "digits: " + digits + " (expected: 0.." + MAX_DIGITS + ")");
    }
    if (prefix < 0 || prefix >= 1L << (4 * digits)) {
      throw new IllegalArgumentException(
          "prefix: " + prefix + " (expected: 0.." + ((1L << (4 * digits)) - 1) + ")");
    }
  }

  /** Whether this range cannot be split further. */
  boolean deepest() {
    return digits == MAX_DIGITS;
  }

  /** The sixteen children, in order: child {@code i} has {@code i} as its next digit. */
  List<RowRange> children() {
    if (deepest()) {
      throw new IllegalStateException("range " + this + " is the deepest");
    }
    List<RowRange> children = new ArrayList<>(16);
    for (int digit = 0; digit < 16; digit++) {
      children.add(new RowRange(prefix << 4 | digit, digits + 1));
    }
    return children;
  }

  /** The smallest row id in the range; null for the root (no bound). */
  @Nullable UUID lower() {
    return digits == 0 ? null : new UUID(prefix << (64 - 4 * digits), 0L);
  }

  /** The smallest row id after the range; null when the range runs to the last id. */
  @Nullable UUID upper() {
    long next = prefix + 1;
    return next == 1L << (4 * digits) ? null : new UUID(next << (64 - 4 * digits), 0L);
  }

  /** The shared digits, e.g. {@code "0f"}; {@code "*"} for the root. */
  @Override
  public String toString() {
    if (digits == 0) {
      return "*";
    }
    String hex = Long.toHexString(prefix);
    return "0".repeat(digits - hex.length()) + hex;
  }
}
