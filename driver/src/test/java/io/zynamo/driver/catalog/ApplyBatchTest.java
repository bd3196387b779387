package io.zynamo.driver.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApplyBatchTest {

  @Test
  void recordsBecomeOneObjectEachInOrderWithTheImageCopiedVerbatim() {
    List<ChangeRecord> records =
        List.of(
            new ChangeRecord("public.items", ChangeOp.INSERT, "{\"id\": 1}"),
            new ChangeRecord("public.items", ChangeOp.DELETE, "{\"zynamo_version\": 7}"));

    assertEquals(
        "[{\"op\":\"I\",\"table\":\"public.items\",\"image\":{\"id\": 1}},"
            + "{\"op\":\"D\",\"table\":\"public.items\",\"image\":{\"zynamo_version\": 7}}]",
        ApplyBatch.toJson(records));
  }

  @Test
  void emptyBatchIsAnEmptyArray() {
    assertEquals("[]", ApplyBatch.toJson(List.of()));
  }

  @Test
  void quotedTableNamesAreEscaped() {
    StringBuilder json = new StringBuilder();

    ApplyBatch.appendString(json, "public.\"Odd \\ \"\t");

    assertEquals("\"public.\\\"Odd \\\\ \\\"\\u0009\"", json.toString());
  }

  @Test
  void opCodesRoundTrip() {
    for (ChangeOp op : ChangeOp.values()) {
      assertEquals(op, ChangeOp.fromCode(op.code()));
    }
    assertThrows(IllegalArgumentException.class, () -> ChangeOp.fromCode("X"));
  }

  @Test
  void recordNeverPrintsRowData() {
    ChangeRecord record = new ChangeRecord("public.t", ChangeOp.UPDATE, "{\"secret\": 1}");

    assertFalse(record.toString().contains("secret"), record.toString());
  }
}
