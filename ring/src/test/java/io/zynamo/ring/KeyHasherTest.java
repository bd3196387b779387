package io.zynamo.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyHasherTest {

  private static final HexFormat HEX = HexFormat.of();
  private final KeyHasher hasher = new KeyHasher(KeyHasher.DEFAULT_BITS);

  @Test
  void murmur3MatchesTheReferenceVector() {
    // SMHasher's MurmurHash3_x64_128, seed 0: digest 6c1b07bc7bbc4be347939ac4a93c437a.
    byte[] fox = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0xe34bbc7bbc071b6cL, KeyHasher.hashBytes(fox));
    assertEquals(0L, KeyHasher.hashBytes(new byte[0]));
  }

  @Test
  void murmur3MatchesGuavasForEveryLengthAndTail() {
    java.util.Random random = new java.util.Random(7);
    com.google.common.hash.HashFunction guava = com.google.common.hash.Hashing.murmur3_128(0);
    for (int length = 0; length <= 80; length++) {
      for (int trial = 0; trial < 50; trial++) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        assertEquals(
            guava.hashBytes(bytes).asLong(), KeyHasher.hashBytes(bytes), "length " + length);
      }
    }
  }

  @Test
  void equalNumbersHashAlikeWhateverTheirType() {
    BucketId five = hasher.bucketOf(5L);
    for (Object same :
        List.of(
            (short) 5,
            5,
            (byte) 5,
            BigInteger.valueOf(5),
            new BigDecimal("5"),
            new BigDecimal("5.000"),
            new BigDecimal("0.5E1"),
            5.0d,
            5.0f)) {
      assertEquals(five, hasher.bucketOf(same), () -> same.getClass() + " " + same);
      assertEquals(KeyHasher.hash(5L), KeyHasher.hash(same), () -> same.getClass() + " " + same);
    }
    assertEquals(KeyHasher.hash(new BigDecimal("0.5")), KeyHasher.hash(0.5d));
    assertEquals(KeyHasher.hash(new BigDecimal("0.00")), KeyHasher.hash(-0.0d));
    assertNotEquals(KeyHasher.hash(5L), KeyHasher.hash("5"));
  }

  @Test
  void integersBeyondLongRangeHashAsDecimals() {
    BigInteger huge = BigInteger.TWO.pow(70);
    assertEquals(KeyHasher.hash(huge), KeyHasher.hash(new BigDecimal(huge).setScale(3)));
    assertArrayEquals(
        ("\u0002" + huge).getBytes(StandardCharsets.US_ASCII), KeyEncoding.encode(huge));
  }

  @Test
  void textHashesByItsUtf8Bytes() {
    byte[] encoded = KeyEncoding.encode("héllo");
    assertEquals(KeyEncoding.TEXT, encoded[0]);
    assertEquals("héllo", new String(encoded, 1, encoded.length - 1, StandardCharsets.UTF_8));
    assertEquals(KeyHasher.hash("a"), KeyHasher.hash('a'));
  }

  @Test
  void uuidHashesByItsSixteenBytes() {
    UUID uuid = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
    assertEquals("0500112233445566778899aabbccddeeff", HEX.formatHex(KeyEncoding.encode(uuid)));
  }

  @Test
  void timestampsWithZoneHashByInstant() {
    OffsetDateTime paris = OffsetDateTime.of(2026, 1, 2, 13, 0, 0, 0, ZoneOffset.ofHours(1));
    assertEquals(KeyHasher.hash(paris), KeyHasher.hash(Instant.parse("2026-01-02T12:00:00Z")));
    // PostgreSQL stores microseconds: nanoseconds beyond them do not change the bucket.
    LocalDateTime local = LocalDateTime.of(2026, 1, 2, 12, 0, 0, 1_000);
    assertEquals(KeyHasher.hash(local), KeyHasher.hash(local.plusNanos(999)));
  }

  @Test
  void unsupportedTypesAreRejectedByName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KeyHasher.hash(new Object()));
    assertEquals(true, e.getMessage().contains("java.lang.Object"), e.getMessage());
  }

  @Test
  void bucketsAreTheTopBitsAndNestAcrossBucketCounts() {
    for (long key = 0; key < 1000; key++) {
      long hash = KeyHasher.hash(key);
      int coarse = new KeyHasher(7).bucketOfHash(hash).value();
      int fine = new KeyHasher(8).bucketOfHash(hash).value();
      assertEquals(coarse, fine >> 1);
      assertEquals(0, new KeyHasher(0).bucketOfHash(hash).value());
      assertEquals(true, fine < 256);
    }
  }

  @Test
  void bucketBitsAreBounded() {
    assertThrows(IllegalArgumentException.class, () -> new KeyHasher(-1));
    assertThrows(IllegalArgumentException.class, () -> new KeyHasher(17));
    assertEquals(65536, new KeyHasher(16).bucketCount());
  }

  /**
   * Pins the hash forever: every stored row was placed by it. A failure here means existing data
   * would become unreachable; never "fix" this test by regenerating the golden file.
   */
  @Test
  void goldenVectorsNeverChange() throws IOException {
    List<String[]> rows = goldenRows();
    assertEquals(true, rows.size() >= 20, "golden rows: " + rows.size());
    for (String[] row : rows) {
      Object value = parse(row[0], row[1]);
      String where = row[0] + " " + row[1];
      assertEquals(row[2], HEX.formatHex(KeyEncoding.encode(value)), where);
      assertEquals(row[3], HEX.toHexDigits(KeyHasher.hash(value)), where);
      assertEquals(Integer.parseInt(row[4]), hasher.bucketOf(value).value(), where);
    }
  }

  private static List<String[]> goldenRows() throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (InputStream in =
            Objects.requireNonNull(KeyHasherTest.class.getResourceAsStream("key-hash-golden.tsv"));
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          rows.add(line.split("\t", -1));
        }
      }
    }
    return rows;
  }

  static Object parse(String type, String literal) {
    return switch (type) {
      case "null" -> null;
      case "smallint" -> Short.valueOf(literal);
      case "int" -> Integer.valueOf(literal);
      case "bigint" -> Long.valueOf(literal);
      case "numeric" -> new BigDecimal(literal);
      case "float8" -> Double.valueOf(literal);
      case "text" -> literal;
      case "uuid" -> UUID.fromString(literal);
      case "bool" -> Boolean.valueOf(literal);
      case "bytea" -> HEX.parseHex(literal);
      case "date" -> LocalDate.parse(literal);
      case "timestamp" -> LocalDateTime.parse(literal);
      case "timestamptz" -> Instant.parse(literal);
      default -> throw new IllegalArgumentException("golden type: " + type);
    };
  }
}
