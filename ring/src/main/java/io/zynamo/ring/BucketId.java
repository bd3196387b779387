package io.zynamo.ring;

/**
 * One bucket: a slice of the key space, the unit of placement and of data movement.
 *
 * <p>Buckets are numbered {@code 0 .. B-1} with {@code B = 2^Q}; see {@link KeyHasher}.
 */
public record BucketId(int value) implements Comparable<BucketId> {

  public BucketId {
    if (value < 0) {
      throw new IllegalArgumentException("bucket: " + value + " (expected: >= 0)");
    }
  }

  @Override
  public int compareTo(BucketId other) {
    return Integer.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Integer.toString(value);
  }
}
