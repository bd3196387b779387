package io.zynamo.proxy.embedded;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What one finished external command (initdb, pg_ctl) returned: its exit code and its output. */
record CommandResult(List<String> command, int exitCode, String output) {

  CommandResult {
    command = List.copyOf(command);
    requireNonNull(output, "output");
  }

  boolean succeeded() {
    return exitCode == 0;
  }

  /** One line for error messages: the command, its exit code and what it printed. */
  String describe() {
    String printed = output.isBlank() ? "(no output)" : output.strip();
    return String.join(" ", command) + " exited with " + exitCode + ": " + printed;
  }
}
