package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.HostId;
import io.zynamo.ring.NodeId;
import org.junit.jupiter.api.Test;

class NodeAddressTest {

  @Test
  void parsesHostPortAndDatabase() {
    NodeAddress a = NodeAddress.of(new NodeId("db1.example.com:5433/app"));
    assertEquals(new NodeAddress("db1.example.com", 5433, "app"), a);
    assertEquals("jdbc:postgresql://db1.example.com:5433/app", a.jdbcUrl());
    assertEquals(new NodeId("db1.example.com:5433/app"), a.nodeId());
  }

  @Test
  void parsesBracketedIpv6() {
    NodeAddress a = NodeAddress.of(new NodeId("[::1]:6433/postgres"));
    assertEquals("::1", a.host());
    assertEquals("jdbc:postgresql://[::1]:6433/postgres", a.jdbcUrl());
    assertEquals(new NodeId("[::1]:6433/postgres"), a.nodeId());
  }

  @Test
  void loopbackNodesAreSeparateFailureDomains() {
    assertEquals(
        new HostId("127.0.0.1:6433"),
        NodeAddress.of(new NodeId("127.0.0.1:6433/app")).failureDomain());
    assertEquals(
        new HostId("localhost:6434"),
        NodeAddress.of(new NodeId("localhost:6434/app")).failureDomain());
    assertEquals(
        new HostId("10.0.0.7"), NodeAddress.of(new NodeId("10.0.0.7:5432/app")).failureDomain());
    assertEquals(new HostId("db1"), NodeAddress.of(new NodeId("db1:5433/app")).failureDomain());
  }

  @Test
  void rejectsMalformedIdsWithTheValue() {
    for (String bad :
        new String[] {"nohost", "h:notaport/db", "h:5432", "h:99999/db", ":5432/db"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> NodeAddress.of(new NodeId(bad)));
      assertTrue(e.getMessage().contains("node"), e.getMessage());
    }
  }
}
