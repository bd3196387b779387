package io.zynamo.ring;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import org.jspecify.annotations.Nullable;

/**
 * Maps a shard key value to its bucket: MurmurHash3 x64-128 (seed 0) over the value's {@link
 * KeyEncoding canonical encoding}, keeping the first 64-bit half {@code h1}; the bucket is the top
 * {@code Q} bits of {@code h1}.
 *
 * <p>Taking the top bits (not {@code h1 mod B}) makes buckets nest: bucket {@code b} at {@code Q}
 * splits into buckets {@code 2b} and {@code 2b+1} at {@code Q+1}, so the bucket count can later
 * grow by splitting buckets in place. Like the encoding, the hash is frozen forever.
 */
public final class KeyHasher {

  /** The default {@code Q}: {@code B = 256} buckets. */
  public static final int DEFAULT_BITS = 8;

  /** Largest supported {@code Q}: {@code B = 65536} buckets. */
  public static final int MAX_BITS = 16;

  private static final HashFunction MURMUR3 = Hashing.murmur3_128(0);

  private final int bits;

  /** A hasher into {@code 2^bits} buckets. */
  public KeyHasher(int bits) {
    if (bits < 0 || bits > MAX_BITS) {
      throw new IllegalArgumentException(
          "bucket bits: " + bits + " (expected: 0.." + MAX_BITS + ")");
    }
    this.bits = bits;
  }

  /** {@code Q}, the number of hash bits that select a bucket. */
  public int bits() {
    return bits;
  }

  /** {@code B = 2^Q}. */
  public int bucketCount() {
    return 1 << bits;
  }

  /** The bucket that owns a shard key value. */
  public BucketId bucketOf(@Nullable Object key) {
    return bucketOfHash(hash(key));
  }

  /** The bucket of a 64-bit key hash: its top {@code Q} bits. */
  public BucketId bucketOfHash(long hash) {
    return new BucketId(bits == 0 ? 0 : (int) (hash >>> (Long.SIZE - bits)));
  }

  /** The 64-bit hash {@code h1} of a shard key value; equal for values PostgreSQL deems equal. */
  public static long hash(@Nullable Object key) {
    return hashBytes(KeyEncoding.encode(key));
  }

  /** {@code h1} of MurmurHash3 x64-128 with seed 0 over raw bytes. */
  public static long hashBytes(byte[] bytes) {
    // Guava's asLong() is the first 8 bytes of the little-endian digest, i.e. h1.
    return MURMUR3.hashBytes(bytes).asLong();
  }
}
