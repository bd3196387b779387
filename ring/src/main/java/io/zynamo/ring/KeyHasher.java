package io.zynamo.ring;

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

  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

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

  /**
   * {@code h1} of MurmurHash3 x64-128 with seed 0 over raw bytes (Austin Appleby's {@code
   * MurmurHash3_x64_128}, the first 64-bit half of the digest, as Guava's {@code
   * murmur3_128(0).hashBytes(bytes).asLong()} gives it). Written out here because every routed
   * statement hashes its keys: Guava's hasher allocates a hasher, a buffer and a digest per call.
   */
  public static long hashBytes(byte[] bytes) {
    long h1 = 0;
    long h2 = 0;
    int length = bytes.length;
    int blocks = length >>> 4;
    for (int i = 0; i < blocks; i++) {
      int at = i << 4;
      h1 ^= mixK1(littleEndianLong(bytes, at, 8));
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(littleEndianLong(bytes, at + 8, 8));
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    int tail = blocks << 4;
    int remaining = length - tail;
    if (remaining > 8) {
      h2 ^= mixK2(littleEndianLong(bytes, tail + 8, remaining - 8));
    }
    if (remaining > 0) {
      h1 ^= mixK1(littleEndianLong(bytes, tail, Math.min(remaining, 8)));
    }
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    return h1 + h2;
  }

  /** The {@code count} (1..8) bytes at {@code at} as a little-endian number. */
  private static long littleEndianLong(byte[] bytes, int at, int count) {
    long value = 0;
    for (int i = count - 1; i >= 0; i--) {
      value = (value << 8) | (bytes[at + i] & 0xffL);
    }
    return value;
  }

  private static long mixK1(long k1) {
    return Long.rotateLeft(k1 * C1, 31) * C2;
  }

  private static long mixK2(long k2) {
    return Long.rotateLeft(k2 * C2, 33) * C1;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
