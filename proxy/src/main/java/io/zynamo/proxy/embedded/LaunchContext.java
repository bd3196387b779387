package io.zynamo.proxy.embedded;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * What every node of one cluster shares: the binaries, the account servers run as, the settings,
 * the initdb template to copy and the cluster's port allocator.
 */
record LaunchContext(
    PostgresBinaries binaries,
    ServerAccount account,
    PostgresConfig config,
    Path template,
    PortAllocator ports) {

  LaunchContext {
    requireNonNull(binaries, "binaries");
    requireNonNull(account, "account");
    requireNonNull(config, "config");
    requireNonNull(template, "template");
    requireNonNull(ports, "ports");
  }

  /** A runner for server commands, started in the (world-readable) binaries folder. */
  ProcessRunner runner() {
    return new ProcessRunner(binaries.home());
  }
}
