package io.zynamo.proxy.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class BinaryNumericTest {

  @Test
  void layoutMatchesNumericSend() {
    // 12345.678: digits 1, 2345, 6780; weight 1; dscale 3 (as numeric_send writes it)
    assertArrayEquals(
        new byte[] {0, 3, 0, 1, 0, 0, 0, 3, 0, 1, 0x09, 0x29, 0x1a, 0x7c},
        BinaryNumeric.encode("12345.678"));
    // -0.0001: one digit 1 at weight -1, dscale 4
    assertArrayEquals(
        new byte[] {0, 1, -1, -1, 0x40, 0, 0, 4, 0, 1}, BinaryNumeric.encode("-0.0001"));
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 2}, BinaryNumeric.encode("0.00"));
    assertArrayEquals(new byte[] {0, 0, 0, 0, (byte) 0xC0, 0, 0, 0}, BinaryNumeric.encode("NaN"));
  }

  @Test
  void roundTripsKeepValueAndScale() {
    for (String value :
        new String[] {
          "0",
          "1",
          "-1",
          "10000",
          "12345.678",
          "0.000001",
          "-98765432109876543210.5",
          "1E+12",
          "100.10"
        }) {
      BigDecimal expected = new BigDecimal(value);
      BigDecimal decoded = BinaryNumeric.decode(BinaryNumeric.encode(expected));
      assertEquals(0, expected.compareTo(decoded), value);
      assertEquals(Math.max(0, expected.scale()), decoded.scale(), value);
    }
  }

  @Test
  void malformedInputIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BinaryNumeric.decode(new byte[] {0, 1}));
    assertThrows(
        IllegalArgumentException.class,
        () -> BinaryNumeric.decode(new byte[] {0, 5, 0, 0, 0, 0, 0, 0, 0, 1}));
    assertThrows(
        IllegalArgumentException.class,
        () -> BinaryNumeric.decode(new byte[] {0, 1, 0, 0, 0, 0, 0, 0, 0x27, 0x10}));
  }
}
