package io.zynamo.driver.catalog;

/**
 * What {@code zynamo.apply} did with a batch of row images on one replica.
 *
 * @param applied images that changed the replica: newer than the row or tombstone it held
 * @param skipped the others: older or equal (already applied), beaten by a tombstone, or superseded
 *     by a newer image of the same row in the same batch
 */
public record ApplyResult(int applied, int skipped) {

  public ApplyResult {
    if (applied < 0 || skipped < 0) {
      throw new IllegalArgumentException(
          "apply result: applied " + applied + ", skipped " + skipped + " (expected: >= 0)");
    }
  }

  /** How many images the batch held. */
  public int total() {
    return applied + skipped;
  }
}
