package io.zynamo.proxy.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ServerAccountTest {

  @Test
  void effectiveUidIsTheSecondUidField() {
    String status = "Name:\tjava\nUmask:\t0022\nUid:\t1000\t0\t0\t0\nGid:\t0\t0\t0\t0\n";

    assertEquals(OptionalInt.of(0), ServerAccount.effectiveUid(status));
  }

  @Test
  void statusWithoutUidLineGivesNothing() {
    assertEquals(OptionalInt.empty(), ServerAccount.effectiveUid("Name:\tjava\n"));
  }
}
